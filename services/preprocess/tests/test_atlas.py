"""ATLAS parsing: the four filters, duplicate groups, operators, and every kind of bad input."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from preprocess.atlas import ATLAS_SCHEMA, read_atlas
from preprocess.errors import SourceError
from preprocess.tests.factories import ATLAS_COLUMNS, atlas_row, atlas_text, write_atlas, zip_files

TODAY = date(2026, 6, 1)


def test_filters_count_what_each_removes_in_order(tmp_path):
    rows = [
        atlas_row("ch:1:sloid:3000:0:1"),
        atlas_row("ch:1:sloid:1:0:1", uicCountryCode="80"),
        atlas_row("ch:1:sloid:1:0:2", uicCountryCode="80", wgs84East="2.35"),  # counted once
        atlas_row("ch:1:sloid:2:0:1", wgs84East="2.3522", wgs84North="48.8566"),  # Paris
        atlas_row("ch:1:sloid:2:0:2", wgs84East="", wgs84North=""),  # no position: outside
        atlas_row("ch:1:sloid:3:0:1", validTo="2026-05-31"),
        atlas_row("ch:1:sloid:3:0:2", validTo="2026-06-01"),  # valid through today: kept
        atlas_row("ch:1:sloid:4:0:1", trafficPointElementType="BOARDING_AREA"),
    ]
    result = read_atlas(write_atlas(tmp_path / "atlas.csv", rows), today=TODAY)
    assert result.raw_rows == 8
    assert result.filter_counts == {"country": 2, "boundary": 2, "validity": 1, "element_type": 1}
    assert sorted(result.stops["sloid"]) == ["ch:1:sloid:3000:0:1", "ch:1:sloid:3:0:2"]


def test_stops_have_the_contract_columns_and_types(tmp_path):
    rows = [atlas_row("ch:1:sloid:3000:0:1", servicePointBusinessOrganisationAbbreviationDe="")]
    stops = read_atlas(write_atlas(tmp_path / "a.csv", rows), today=TODAY).stops
    assert stops.schema == pl.Schema(ATLAS_SCHEMA)  # the contract in docs/architecture.md
    row = stops.row(0, named=True)
    assert row["uic"] == 8503000 and row["designation_official"] == "Zürich HB"
    assert row["operator"] == "Schweizerische Bundesbahnen"  # abbreviation empty: description
    assert row["operator_number"] == "100" and row["parent_sloid"] == "ch:1:sloid:3000"
    assert (row["lon"], row["lat"]) == (8.5402, 47.3782)


def test_duplicate_groups_share_number_and_non_empty_designation(tmp_path):
    rows = [
        atlas_row("ch:1:sloid:3000:0:1", "8503000", "1"),
        atlas_row("ch:1:sloid:3000:0:2", "8503000", "1"),
        atlas_row("ch:1:sloid:3000:0:3", "8503000", "2"),
        atlas_row("ch:1:sloid:3000:0:4", "8503000", ""),  # empty designation: never a group
        atlas_row("ch:1:sloid:3000:0:5", "8503000", ""),
        atlas_row("ch:1:sloid:10:0:1", "8500010", "A"),
        atlas_row("ch:1:sloid:10:0:2", "8500010", "A"),
        atlas_row("ch:1:sloid:10:0:3", "8500010", "A"),
    ]
    result = read_atlas(write_atlas(tmp_path / "a.csv", rows), today=TODAY)
    groups = dict(zip(result.stops["sloid"], result.stops["duplicate_group"], strict=True))
    assert result.duplicate_groups == 2
    assert groups["ch:1:sloid:3000:0:1"] == groups["ch:1:sloid:3000:0:2"] is not None
    assert groups["ch:1:sloid:10:0:1"] == groups["ch:1:sloid:10:0:3"] is not None
    assert groups["ch:1:sloid:10:0:1"] != groups["ch:1:sloid:3000:0:1"]
    assert {groups[s] for s in ("ch:1:sloid:3000:0:3", "ch:1:sloid:3000:0:4")} == {None}
    assert set(result.stops["duplicate_group"].drop_nulls()) == {1, 2}


def test_zipped_csv_reads_like_the_plain_one(tmp_path):
    body = b"\xef\xbb\xbf" + atlas_text([atlas_row("ch:1:sloid:3000:0:1")]).encode()
    result = read_atlas(zip_files(tmp_path / "atlas.zip", {"actual_date-world.csv": body}), today=TODAY)
    assert result.stops["sloid"].to_list() == ["ch:1:sloid:3000:0:1"]


def _bad(tmp_path, data: bytes, name: str = "atlas.csv") -> SourceError:
    """Parse bytes that must fail and return the error."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_atlas(path, today=TODAY)
    assert caught.value.source == "atlas" and caught.value.file == str(path)
    return caught.value


def _csv(rows: list[dict], columns: list[str] | None = None) -> bytes:
    return atlas_text(rows, columns).encode()


def test_missing_column_is_named(tmp_path):
    columns = [c for c in ATLAS_COLUMNS if c != "wgs84North"]
    error = _bad(tmp_path, _csv([atlas_row("a")], columns))
    assert "wgs84North" in error.reason and error.location == 1


def test_non_numeric_coordinate_names_its_row(tmp_path):
    rows = [atlas_row("ch:1:sloid:1"), atlas_row("ch:1:sloid:2", wgs84East="abc")]
    error = _bad(tmp_path, _csv(rows))
    assert error.location == 3 and "non-numeric wgs84East 'abc'" in error.reason
    assert str(error) == f"atlas: {error.file} row 3: non-numeric wgs84East 'abc'"


def test_out_of_range_coordinate_names_its_row(tmp_path):
    rows = [atlas_row("ch:1:sloid:1", wgs84North="147.4")]
    error = _bad(tmp_path, _csv(rows))
    assert error.location == 2 and "out-of-range wgs84North" in error.reason


def test_empty_sloid_names_its_row(tmp_path):
    rows = [atlas_row("ch:1:sloid:1"), atlas_row("ch:1:sloid:2"), atlas_row("  ")]
    error = _bad(tmp_path, _csv(rows))
    assert error.location == 4 and error.reason == "empty sloid"


def test_truncated_csv_names_the_cut_row(tmp_path):
    data = _csv([atlas_row("ch:1:sloid:1"), atlas_row("ch:1:sloid:2")])
    error = _bad(tmp_path, data[: len(data) - 60])
    assert error.location == 3 and "truncated" in error.reason


def test_truncated_zip_is_reported(tmp_path):
    whole = zip_files(tmp_path / "whole.zip", {"a.csv": _csv([atlas_row("x")] * 50)}).read_bytes()
    error = _bad(tmp_path, whole[: len(whole) // 2], "atlas.zip")
    assert "zip" in error.reason


def test_empty_file_is_reported(tmp_path):
    assert _bad(tmp_path, b"").reason == "empty file"
    assert _bad(tmp_path, b"\xef\xbb\xbf\n").reason == "empty file"


def test_non_utf8_names_its_row(tmp_path):
    data = _csv([atlas_row("ch:1:sloid:1"), atlas_row("ch:1:sloid:2", designationOfficial="Z")])
    data = data.replace(b";Z;", ";Z\xfcrich;".encode("latin-1"))
    error = _bad(tmp_path, data)
    assert error.location == 3 and "UTF-8" in error.reason
