"""generate(): deterministic bytes, counts that scale linearly, and the GTFS trip total."""

from __future__ import annotations

import pytest

from samplegen import generate

from .conftest import SCALE, SEED, read_member

FILES = ("atlas.csv", "osm.osm", "gtfs.zip", "truth.jsonl")


def test_same_seed_same_bytes(region, tmp_path):
    generate(SCALE, SEED, tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (region[0] / name).read_bytes(), name


def test_another_seed_another_region(region, tmp_path):
    generate(SCALE, SEED + 1, tmp_path)
    assert (tmp_path / "atlas.csv").read_bytes() != (region[0] / "atlas.csv").read_bytes()


def test_counts_scale_linearly(region, tmp_path):
    small = region[1]
    big = generate(SCALE * 4, SEED, tmp_path)
    for key in ("atlas_rows", "atlas_kept", "osm_stop_nodes", "gtfs_stops"):
        assert 3.0 < big[key] / small[key] < 5.0, key


def test_scale_one_proportions_hold_in_small(region):
    c = region[1]
    # at 1.0: ~62,000 raw rows, ~55,000 kept, ~66,000 OSM stop nodes, ~82,000 GTFS stops
    assert 0.84 < c["atlas_kept"] / c["atlas_rows"] < 0.92
    assert 1.05 < c["osm_stop_nodes"] / c["atlas_kept"] < 1.35
    assert 1.3 < c["gtfs_stops"] / c["atlas_kept"] < 1.7


def test_gtfs_trips_sets_the_trip_total(tmp_path):
    counts = generate(SCALE, SEED, tmp_path, gtfs_trips=5000)
    assert counts["gtfs_trips"] == 5000
    trips = read_member(tmp_path / "gtfs.zip", "trips.txt")
    assert trips.height == 5000 and trips["trip_id"].is_unique().all()
    assert counts["gtfs_stop_times"] == read_member(tmp_path / "gtfs.zip", "stop_times.txt").height


def test_a_tiny_scale_still_makes_a_complete_region(tmp_path):
    counts = generate(0.0003, 3, tmp_path)
    assert counts["atlas_kept"] > 0 and counts["gtfs_stop_times"] > 0
    assert all((tmp_path / name).stat().st_size > 0 for name in FILES)


def test_scale_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        generate(0, 1, tmp_path)


def test_a_region_without_any_line_still_writes_valid_files(tmp_path):
    counts = generate(0.0001, 9, tmp_path)  # this seed draws no line at all
    assert counts["lines"] == 0 and counts["gtfs_stop_times"] == 0
    assert read_member(tmp_path / "gtfs.zip", "stop_times.txt").columns[0] == "trip_id"
    assert (tmp_path / "osm.osm").read_text().rstrip().endswith("</osm>")
