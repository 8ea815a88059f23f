"""GTFS: Swiss stop ids, the four-step sloid resolution, route ids, itineraries, bad feeds."""

from __future__ import annotations

import zipfile
from datetime import date

import polars as pl
import pytest

from preprocess import zipstream
from preprocess.atlas import read_atlas
from preprocess.errors import SourceError
from preprocess.gtfs import read_gtfs
from preprocess.tests.factories import atlas_for_gtfs, gtfs_files, write_atlas, zip_files


@pytest.fixture
def atlas(tmp_path):
    return read_atlas(write_atlas(tmp_path / "atlas.csv", atlas_for_gtfs()), today=date(2026, 1, 1)).stops


@pytest.fixture
def feed(tmp_path, atlas):
    return read_gtfs(zip_files(tmp_path / "gtfs.zip", gtfs_files()), atlas)


def test_swiss_stop_ids_give_uic_and_platform(feed):
    rows = {r["stop_id"]: r for r in feed.stops.iter_rows(named=True)}
    assert (rows["8503000:0:1"]["uic"], rows["8503000:0:1"]["platform"]) == (8503000, "1")
    assert rows["8500020:0:A"]["platform"] == "A"  # from the id: no platform_code
    assert rows["8503000:0:7"]["platform"] == "07"  # platform_code wins, kept as written
    assert (rows["Parent8503000"]["uic"], rows["8500010"]["platform"]) == (8503000, None)


def test_each_resolution_method_with_its_confidence(feed):
    got = {
        r["stop_id"]: (r["sloid"], r["resolve_method"], r["confidence"])
        for r in feed.stops.iter_rows(named=True)
    }
    assert got == {
        "Parent8503000": (None, None, 0.0),  # a parent station is never a platform
        "8503000:0:1": ("ch:1:sloid:3000:0:1", "uic_platform", 0.95),
        "8503000:0:2": ("ch:1:sloid:3000:0:9", "original_stop_id", 1.0),
        "8503000:0:7": ("ch:1:sloid:3000:0:7", "uic_platform", 0.95),  # `07` == `7`
        "8500010": ("ch:1:sloid:10:0:1", "uic_distance", 0.9),
        "8500020:0:A": ("ch:1:sloid:20:0:1", "uic_single", 0.7),
        "8500030": ("ch:1:sloid:30:0:1", "uic_single", 0.7),
    }


def test_distance_step_refuses_pairings_that_are_not_one_to_one(tmp_path, atlas):
    twin = "8500010:0:9,Basel twin,47.5474,7.5896,0,,,\n"
    stops = gtfs_files()["stops.txt"] + twin
    feed = read_gtfs(zip_files(tmp_path / "g.zip", gtfs_files(stops=stops)), atlas)
    basel = feed.stops.filter(pl.col("uic") == 8500010)
    assert basel["sloid"].to_list() == [None, None]


def test_route_ids_are_normalised(feed):
    assert dict(zip(feed.routes["route_id"], feed.routes["route_id_norm"], strict=True)) == {
        "91-10-A-j25-1": "91-10-A-jXX-1",
        "92-3-j25": "92-3-jXX",
    }
    assert feed.routes["route_type"].dtype == pl.Int32


def test_identical_trip_patterns_collapse_into_itineraries(feed):
    its = feed.itineraries.sort("itinerary_id")
    assert its.select("route_id", "direction_id", "headsign", "trip_count").rows() == [
        ("91-10-A-j25-1", 0, "Basel SBB", 2),
        ("91-10-A-j25-1", 1, "Zürich HB", 1),
        ("92-3-j25", 0, "Bern", 1),
    ]
    assert its["route_id_norm"].to_list() == ["91-10-A-jXX-1"] * 2 + ["92-3-jXX"]
    first = feed.itinerary_stops.filter(itinerary_id=its["itinerary_id"][0]).sort("seq")
    assert first["stop_id"].to_list() == ["8503000:0:1", "8500030", "8500010"]
    assert first["sloid"].to_list() == ["ch:1:sloid:3000:0:1", "ch:1:sloid:30:0:1", "ch:1:sloid:10:0:1"]
    assert first["uic"].to_list() == [8503000, 8500030, 8500010]
    assert first["seq"].to_list() == [1, 2, 3]


def test_stop_times_are_read_in_chunks(tmp_path, atlas, monkeypatch):
    monkeypatch.setattr(zipstream, "READ_BYTES", 16)  # a few compressed bytes per read
    chunked = read_gtfs(zip_files(tmp_path / "g.zip", gtfs_files()), atlas)
    assert chunked.itineraries["trip_count"].sum() == 4
    assert chunked.itinerary_stops.height == 3 + 2 + 2


def _bad(tmp_path, atlas, data: bytes | None = None, **members) -> SourceError:
    path = tmp_path / "gtfs.zip"
    if data is None:
        zip_files(path, gtfs_files(**members))
    else:
        path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_gtfs(path, atlas)
    assert caught.value.source == "gtfs" and str(path) in caught.value.file
    return caught.value


def test_truncated_zip(tmp_path, atlas):
    big = gtfs_files(stop_times=gtfs_files()["stop_times.txt"] * 200)
    whole = zip_files(tmp_path / "whole.zip", big).read_bytes()
    assert "zip" in _bad(tmp_path, atlas, whole[: len(whole) // 2]).reason


def test_empty_file(tmp_path, atlas):
    assert _bad(tmp_path, atlas, b"").reason == "empty file"


def test_missing_member_and_missing_column(tmp_path, atlas):
    files = gtfs_files()
    del files["trips.txt"]
    path = zip_files(tmp_path / "g.zip", files)
    with pytest.raises(SourceError, match="trips.txt missing"):
        read_gtfs(path, atlas)
    error = _bad(tmp_path, atlas, routes="route_id,agency_id\nr1,a\n")
    assert "route_type" in error.reason and error.file.endswith("!routes.txt")


def test_non_numeric_stop_coordinate_names_its_row(tmp_path, atlas):
    stops = gtfs_files()["stops.txt"].replace("47.5474,7.5896", "47.5474,east")
    error = _bad(tmp_path, atlas, stops=stops)
    assert error.location == 6 and "non-numeric stop_lon 'east'" in error.reason


def test_non_utf8_stops(tmp_path, atlas):
    stops = gtfs_files()["stops.txt"].encode().replace("Zürich".encode(), "Zürich".encode("latin-1"))
    error = _bad(tmp_path, atlas, stops=stops)
    assert "UTF-8" in error.reason and error.location == 2


def test_truncated_stop_times_names_the_cut_row(tmp_path, atlas):
    cut = gtfs_files()["stop_times.txt"][:-15]
    error = _bad(tmp_path, atlas, stop_times=cut)
    assert "truncated" in error.reason and error.location == 11


def test_corrupt_stop_times_member(tmp_path, atlas):
    big = gtfs_files(stop_times=gtfs_files()["stop_times.txt"] * 50)
    path = zip_files(tmp_path / "gtfs.zip", big)
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo("stop_times.txt").header_offset + 30 + len("stop_times.txt") + 40
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(SourceError, match="corrupt zip") as caught:
        read_gtfs(path, atlas)
    assert caught.value.file.endswith("!stop_times.txt")


def test_ordered_and_unordered_stop_times_give_the_same_itineraries(tmp_path, atlas):
    header, *rows = gtfs_files()["stop_times.txt"].splitlines()
    ordered = "\n".join([header, *sorted(rows, key=lambda r: (r.split(",")[0], int(r.split(",")[4])))])
    shuffled = read_gtfs(zip_files(tmp_path / "a.zip", gtfs_files()), atlas)
    in_order = read_gtfs(zip_files(tmp_path / "b.zip", gtfs_files(stop_times=ordered + "\n")), atlas)
    assert in_order.itineraries.equals(shuffled.itineraries)
    assert in_order.itinerary_stops.equals(shuffled.itinerary_stops)
