"""Unmatched stops on each side: UIC existence, 80 m / 50 m radius, platform counts."""

import orjson
import polars as pl
import pytest

from precompute.problems import UNMATCHED_RULE_PRIORITY, unmatched_rule
from precompute.tests.frames import atlas, detect, north, of_type, osm, units, unmatched


@pytest.mark.parametrize(
    ("uic", "counterpart", "near", "atlas_n", "osm_n", "rule", "priority"),
    [
        (8500001, False, 1.0, 1, 0, "no_counterpart_uic", 1),
        (8500001, True, 80.01, 1, 1, "nothing_within_80m", 1),
        (8500001, True, 80.0, 1, 1, "nothing_within_50m", 2),
        (8500001, True, 50.01, 1, 1, "nothing_within_50m", 2),
        (8500001, True, 50.0, 1, 1, "counterpart_nearby", 3),
        (8500001, True, 50.0, 2, 1, "platform_counts_differ", 2),
        (8500001, True, 0.0, 1, 1, "counterpart_nearby", 3),
        (None, None, 80.01, None, None, "nothing_within_80m", 1),
        (None, None, 10.0, None, None, "counterpart_nearby", 3),
    ],
)
def test_rule_boundaries_exactly(uic, counterpart, near, atlas_n, osm_n, rule, priority):
    frame = pl.DataFrame(
        {
            "uic": [uic],
            "counterpart_uic": [counterpart],
            "nearest_m": [near],
            "atlas_platforms": [atlas_n],
            "osm_platforms": [osm_n],
        },
        schema={
            "uic": pl.Int64,
            "counterpart_uic": pl.Boolean,
            "nearest_m": pl.Float64,
            "atlas_platforms": pl.Int64,
            "osm_platforms": pl.Int64,
        },
    )
    assert frame.select(unmatched_rule()).item() == rule
    assert UNMATCHED_RULE_PRIORITY[rule] == priority


def _atlas_unmatched(osm_rows, atlas_rows=None, unit_rows=()):
    a = atlas({"sloid": "s1", "uic": 8500001}, *(atlas_rows or []))
    found = of_type(
        detect(a, osm(*osm_rows), u=unmatched({"side": "atlas", "id": "s1"}), un=units(*unit_rows)),
        "unmatched",
    )
    assert found["sloid"].to_list() == ["s1"] and found["osm_node_id"].is_null().all()
    return found["priority"].item(), orjson.loads(found["details"].item())


@pytest.mark.parametrize(
    ("metres", "priority"), [(30.0, 3), (49.0, 3), (51.0, 2), (79.0, 2), (81.0, 1), (400.0, 1)]
)
def test_atlas_side_radius_with_real_geometry(metres, priority):
    got, details = _atlas_unmatched([{"osm_id": "9", "uic_ref": "8500001", "lat": north(metres)}])
    assert got == priority
    assert details["nearest_m"] == pytest.approx(metres, abs=0.01)


def test_atlas_side_without_any_osm_uic_is_p1_even_when_close():
    got, details = _atlas_unmatched([{"osm_id": "9", "uic_ref": "8599999"}])
    assert (got, details["rule"]) == (1, "no_counterpart_uic")


def test_platform_count_difference_is_p2_and_pairs_count_once():
    stops = [
        {"osm_id": "9", "uic_ref": "8500001"},
        {"osm_id": "10", "uic_ref": "8500001", "kind": "stop_position"},
    ]
    got, details = _atlas_unmatched(stops)
    assert (got, details["osm_platforms"], details["atlas_platforms"]) == (2, 2, 1)
    paired = [
        {"osm_id": "9", "unit_id": 5, "unit_kind": "pair"},
        {"osm_id": "10", "unit_id": 5, "unit_kind": "pair"},
    ]
    assert _atlas_unmatched(stops, unit_rows=paired)[0] == 3


def test_osm_side_uses_atlas_counterparts():
    a = atlas({"sloid": "s1", "uic": 8500001, "lat": north(60.0)})
    o = osm(
        {"osm_id": "7", "uic_ref": "8500001"},
        {"osm_id": "8", "uic_ref": "8577777"},
        {"osm_id": "9", "uic_ref": None, "lat": north(100.0)},
    )
    u = unmatched(
        {"side": "osm", "id": "7"}, {"side": "osm", "id": "8"}, {"side": "osm", "id": "9"}
    )
    found = of_type(detect(a, o, u=u), "unmatched").sort("osm_node_id")
    assert found.select("osm_node_id", "priority").rows() == [("7", 2), ("8", 1), ("9", 3)]
    assert found["sloid"].is_null().all()


def test_unknown_ids_are_ignored_and_empty_other_side_is_p1():
    found = of_type(
        detect(
            atlas({"sloid": "s1"}),
            u=unmatched({"side": "atlas", "id": "s1"}, {"side": "osm", "id": "ghost"}),
        ),
        "unmatched",
    )
    assert found.select("sloid", "priority").rows() == [("s1", 1)]
    assert orjson.loads(found["details"].item())["nearest_m"] is None
