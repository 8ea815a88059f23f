"""Duplicates on both sides and matches contradicted by routes."""

import orjson

from precompute.problems import detect_problems
from precompute.tests.frames import atlas, detect, matches, of_type, osm, units, unmatched


def _osm_dups(rows, unit_rows=()):
    found = of_type(detect(o=osm(*rows), un=units(*unit_rows)), "duplicates")
    return sorted(found["osm_node_id"].to_list()), found


def test_osm_elements_sharing_uic_ref_and_local_ref_are_p3():
    rows = [
        {"osm_id": "1", "uic_ref": "8500001", "local_ref": "A"},
        {"osm_id": "2", "uic_ref": "8500001", "local_ref": "a ", "kind": "stop_position"},
        {"osm_id": "3", "uic_ref": "8500001", "local_ref": "B"},
    ]
    ids, found = _osm_dups(rows)
    assert ids == ["1", "2"]
    assert found["priority"].unique().to_list() == [3] and found["sloid"].is_null().all()
    assert orjson.loads(found["details"][0])["members"] == ["1", "2"]


def test_osm_duplicates_ignore_pairs_trios_other_kinds_and_missing_refs():
    rows = [
        {"osm_id": "1", "uic_ref": "8500001", "local_ref": "A"},
        {"osm_id": "2", "uic_ref": "8500001", "local_ref": "A", "kind": "stop_position"},
        {"osm_id": "3", "uic_ref": "8500001", "local_ref": "A", "kind": "station"},
        {"osm_id": "4", "uic_ref": "8500001", "local_ref": None},
        {"osm_id": "5", "uic_ref": "8500001", "local_ref": None},
    ]
    pair = [
        {"osm_id": "1", "unit_id": 1, "unit_kind": "pair"},
        {"osm_id": "2", "unit_id": 1, "unit_kind": "pair"},
    ]
    assert _osm_dups(rows, pair)[0] == []
    single = [{"osm_id": "1", "unit_id": 1, "unit_kind": "single"}]
    assert _osm_dups(rows, single)[0] == ["1", "2"]


def _official(match_rows):
    a = atlas(
        {"sloid": "s1", "duplicate_group": 7},
        {"sloid": "s2", "duplicate_group": 7},
        {"sloid": "s3", "duplicate_group": 8},
        {"sloid": "s4", "duplicate_group": None},
    )
    found = of_type(
        detect(a, osm({"osm_id": "1"}, {"osm_id": "2"}), matches(*match_rows)), "duplicates"
    )
    assert found["osm_node_id"].is_null().all() and found["priority"].unique().to_list() in (
        [2],
        [],
    )
    return sorted(found["sloid"].to_list())


def test_official_duplicate_members_are_p2_unless_handled_by_propagation():
    # Group 8 has one member: not a duplicate. No propagation: both members of group 7.
    assert _official([]) == ["s1", "s2"]
    assert _official([{"sloid": "s1", "osm_id": "1"}, {"sloid": "s2", "osm_id": "2"}]) == [
        "s1",
        "s2",
    ]
    # s2 got s1's element by propagation: both are handled.
    assert (
        _official(
            [
                {"sloid": "s1", "osm_id": "1"},
                {"sloid": "s2", "osm_id": "1", "evidence": {"propagated": True}},
            ]
        )
        == []
    )
    # A propagated row for another element leaves the source member open.
    assert _official(
        [
            {"sloid": "s1", "osm_id": "1"},
            {"sloid": "s2", "osm_id": "2", "evidence": {"propagated": True}},
        ]
    ) == ["s1"]
    assert _official([{"sloid": "s2", "osm_id": "1", "evidence": {"propagated": False}}]) == [
        "s1",
        "s2",
    ]


def test_route_contradiction_evidence_is_p2():
    a = atlas({"sloid": "s1"}, {"sloid": "s2"})
    o = osm({"osm_id": "1"}, {"osm_id": "2"})
    m = matches(
        {"sloid": "s1", "osm_id": "1", "evidence": {"route_contradiction": True}},
        {"sloid": "s2", "osm_id": "2", "evidence": {"route_contradiction": False}},
    )
    found = of_type(detect(a, o, m), "contradicts_route_matching")
    assert found.select("sloid", "osm_node_id", "priority").rows() == [("s1", "1", 2)]


def test_missing_units_frame_means_every_element_stands_alone():
    rows = [
        {"osm_id": "1", "uic_ref": "8500001", "local_ref": "A"},
        {"osm_id": "2", "uic_ref": "8500001", "local_ref": "A", "kind": "stop_position"},
    ]
    found = detect_problems(atlas(), osm(*rows), matches(), unmatched(), None)
    assert sorted(of_type(found, "duplicates")["osm_node_id"]) == ["1", "2"]
