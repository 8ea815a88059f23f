"""The stages' tricky cases, each as a small hand-written fixture."""

from dataclasses import replace

import orjson
import polars as pl

from matcher.engine import match
from matcher.profiles import SWISS
from matcher.tests.factory import atlas_frame, element, osm_frame, pairs, stop, types

UIC, OTHER = 8502001, 8502002


def test_exact_one_unit_goes_to_its_closest_stop_by_default():
    atlas = atlas_frame(stop(UIC, 0, 0, "A", sloid="a"), stop(UIC, 20, 0, "B", sloid="b"))
    osm = osm_frame(element("platform", 8, 0, "p", uic_ref=str(UIC)))
    assert types(match(atlas, osm)) == {("a", "p"): "exact"}


def test_exact_one_unit_takes_all_official_stops_with_the_reference_rule():
    atlas = atlas_frame(
        stop(UIC, 0, 0, "A", sloid="a"), stop(UIC, 20, 0, "B", sloid="b"), stop(UIC, 60, 0, "C", sloid="c")
    )
    # c has an element of its own closer than the shared unit, so it is not served by it.
    osm = osm_frame(element("platform", 8, 0, "p", uic_ref=str(UIC)), element("platform", 62, 0, "own"))
    reference = replace(SWISS, exact_shared_unit_all=True)
    assert types(match(atlas, osm, profile=reference)) == {
        ("a", "p"): "exact",
        ("b", "p"): "exact",
        ("c", "own"): "nearest",
    }


def test_exact_n_to_m_pairs_by_local_ref_case_insensitively_and_leaves_the_rest():
    atlas = atlas_frame(
        stop(UIC, 0, 0, "A", sloid="a"), stop(UIC, 40, 0, "B", sloid="b"), stop(UIC, 80, 0, "C", sloid="c")
    )
    # local_ref "a" sits next to stop B: the key, not the distance, decides in N:M.
    osm = osm_frame(
        element("platform", 40, 3, "pa", uic_ref=str(UIC), local_ref="a"),
        element("platform", 0, 3, "pb", uic_ref=str(UIC), local_ref="B"),
        element("platform", 200, 0, "px", uic_ref=str(UIC)),
    )
    result = match(atlas, osm)
    exact = {k for k, t in types(result).items() if t == "exact"}
    assert exact == {("a", "pa"), ("b", "pb")}
    assert "c" not in {s for s, _ in exact}


def test_wrong_uic_ref_far_away_is_not_an_exact_match():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"))
    osm = osm_frame(element("platform", 3000, 0, "trap", uic_ref=str(UIC)), element("platform", 0, 4, "real"))
    assert types(match(atlas, osm)) == {("a", "real"): "nearest"}


def test_a_neighbours_copied_uic_ref_is_not_exact_evidence():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"), stop(OTHER, 160, 0, sloid="b"))
    # The platform next to b carries a's UIC by mistake; a's own platform is tagged correctly.
    # Without the guard, "1 official stop gives all units" would hand a both platforms.
    osm = osm_frame(
        element("platform", 0, 3, "pa", uic_ref=str(UIC)), element("platform", 160, 3, "pb", uic_ref=str(UIC))
    )
    assert types(match(atlas, osm)) == {("a", "pa"): "exact", ("b", "pb"): "nearest"}


def test_name_stage_breaks_a_tie_with_local_ref():
    atlas = atlas_frame(stop(UIC, 0, 0, "2", name="Dorf, Post", sloid="a"))
    osm = osm_frame(
        element("platform", 0, 90, "p1", name="Dorf, Post", local_ref="1"),
        element("platform", 0, -90, "p2", uic_name="Dorf, Post", local_ref="2"),
    )
    assert types(match(atlas, osm)) == {("a", "p2"): "name"}


def test_name_tie_without_local_ref_is_left_unmatched():
    atlas = atlas_frame(stop(UIC, 0, 0, name="Dorf, Post", sloid="a"))
    osm = osm_frame(
        element("platform", 0, 190, "p1", name="Dorf, Post"),
        element("platform", 0, -400, "p2", gtfs_name="Dorf, Post"),
    )
    result = match(atlas, osm)
    assert result.matches.is_empty()
    assert result.unmatched.filter(pl.col("side") == "atlas")["isolated"].to_list() == [True]


def test_proximity_tie_is_left_unmatched():
    atlas = atlas_frame(stop(UIC, 0, 0, name="Dorf", sloid="a"))
    osm = osm_frame(
        element("platform", 0, 90, "p1", name="Dorf"), element("platform", 0, -90, "p2", name="Dorf")
    )
    assert match(atlas, osm, profile=_without("name")).matches.is_empty()


def test_nearest_tie_between_two_stops_is_left_unmatched():
    atlas = atlas_frame(stop(UIC, -10, 0, sloid="a"), stop(OTHER, 10, 0, sloid="b"))
    osm = osm_frame(element("platform", 0, 0, "p"))
    result = match(atlas, osm)
    assert result.matches.is_empty()
    assert set(result.unmatched["isolated"].to_list()) == {False}


def test_nearest_ratio_test():
    # 4 m against 20 m: 20 >= 10 and 20/4 >= 4, so the closest wins.
    won = match(
        atlas_frame(stop(UIC, 0, 0, sloid="a")),
        osm_frame(element("platform", 4, 0, "p1"), element("platform", -20, 0, "p2")),
    )
    assert pairs(won) == {("a", "p1")}
    assert orjson.loads(won.matches["evidence"][0])["rule"] == "ratio"
    # 4 m against 12 m: only 3x, so nothing is decided.
    lost = match(
        atlas_frame(stop(UIC, 0, 0, sloid="a")),
        osm_frame(element("platform", 4, 0, "p1"), element("platform", -12, 0, "p2")),
    )
    assert lost.matches.is_empty()


def test_nearest_drops_a_candidate_whose_local_ref_contradicts():
    atlas = atlas_frame(stop(UIC, 0, 0, "3", sloid="a"))
    osm = osm_frame(element("platform", 2, 0, "p1", local_ref="4"), element("platform", -12, 0, "p2"))
    assert pairs(match(atlas, osm)) == {("a", "p2")}


def test_local_ref_stage_takes_the_closest_agreeing_target():
    atlas = atlas_frame(stop(UIC, 0, 0, "7", sloid="a"))
    osm = osm_frame(
        element("platform", 5, 0, "p1"),
        element("platform", 9, 0, "p2", local_ref="7"),
        element("platform", 30, 0, "p3", local_ref="7"),
    )
    assert types(match(atlas, osm)) == {("a", "p2"): "local_ref"}


def test_proximity_assigns_by_minimum_total_distance():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"), stop(UIC, 10, 0, sloid="b"))
    osm = osm_frame(
        element("platform", 4.5, 3, "p1", uic_name="Dorf"), element("platform", 6, -3, "p2", uic_name="Dorf")
    )
    atlas = atlas.with_columns(designation_official=pl.lit("Dorf"))
    result = match(atlas, osm, profile=_without("exact", "name"))
    assert types(result) == {("a", "p1"): "proximity", ("b", "p2"): "proximity"}


def test_a_target_much_closer_to_another_stop_is_not_taken():
    # p sits 2 m from b (already matched through its own uic_ref) and 30 m from a: it is b's
    # leftover stop_position, not a's platform, even though a has no other candidate.
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"), stop(OTHER, 30, 0, sloid="b"))
    osm = osm_frame(
        element("platform", 30, 1, "pb", uic_ref=str(OTHER)), element("stop_position", 30, -2, "p")
    )
    assert types(match(atlas, osm)) == {("b", "pb"): "exact"}


def test_official_duplicates_share_the_representatives_match():
    atlas = atlas_frame(
        stop(UIC, 0, 0, "1", sloid="d1"), stop(UIC, 1, 0, "1", sloid="d2"), stop(UIC, 50, 0, "2", sloid="x")
    )
    osm = osm_frame(
        element("platform", 0, 2, "p1", uic_ref=str(UIC), local_ref="1"),
        element("platform", 50, 2, "p2", uic_ref=str(UIC), local_ref="2"),
    )
    result = match(atlas, osm)
    assert pairs(result) == {("d1", "p1"), ("d2", "p1"), ("x", "p2")}
    propagated = result.matches.filter(pl.col("sloid") == "d2")["evidence"][0]
    assert orjson.loads(propagated)["propagated_from"] == "d1"


def test_normalized_name_variants_match_within_the_distance_bound():
    atlas = atlas_frame(
        stop(UIC, 0, 0, name="Zürich, Paradeplatz", sloid="a"),
        stop(OTHER, 5000, 0, name="St. Gallen, Bahnhofstrasse", sloid="b"),
        stop(8502003, 9000, 0, name="Bern, Rathaus", sloid="c"),
    )
    osm = osm_frame(
        element("platform", 0, 45, "p1", name="Paradeplatz"),
        element("platform", 0, -35, "decoy"),  # keeps the nearest stage undecided
        element("platform", 5000, 120, "p2", name="Sankt Gallen Bahnhofstr."),
        element("platform", 9000, 120, "p3", name="Rathaus"),
    )
    result = match(atlas, osm)
    # The full name reaches 150 m; a locality-free "Rathaus" (in every town) only 50 m.
    assert types(result) == {("a", "p1"): "normalized_name", ("b", "p2"): "normalized_name"}


def test_manual_decisions_come_first_and_stay():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"), stop(OTHER, 400, 0, sloid="b"))
    osm = osm_frame(element("platform", 0, 2, "near", uic_ref=str(UIC)), element("platform", 400, 3, "p2"))
    manual = pl.DataFrame({"sloid": ["a", "b"], "osm_id": ["near", "p2"], "action": ["unmatch", "match"]})
    result = match(atlas, osm, manual=manual)
    assert types(result) == {("b", "p2"): "manual"}
    assert result.matches.filter(pl.col("sloid") == "b")["confidence"].to_list() == [1.0]


def test_confidence_ranks_identity_above_geometry():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"), stop(OTHER, 900, 0, sloid="b"))
    osm = osm_frame(element("platform", 0, 5, "p1", uic_ref=str(UIC)), element("platform", 900, 5, "p2"))
    conf = dict(match(atlas, osm).matches.select("sloid", "confidence").iter_rows())
    assert 0 < conf["b"] < conf["a"] <= 1


def _without(*stages):
    profile = SWISS
    for s in stages:
        profile = profile.without(s)
    return profile


def test_a_shared_stop_position_does_not_make_the_own_platform_ambiguous():
    # Two platforms either side of the road with one stop_position between them, no keys:
    # the stop_position (9 m) would fail the ratio test against the own platform (2 m).
    atlas = atlas_frame(stop(UIC, 0, -10, sloid="a"), stop(UIC, 0, 10, sloid="b"))
    osm = osm_frame(
        element("platform", 0, -12, "pa"),
        element("stop_position", 0, -1, "mid"),
        element("platform", 0, 12, "pb"),
    )
    assert types(match(atlas, osm)) == {("a", "pa"): "nearest", ("b", "pb"): "nearest"}


def test_manual_match_is_kept_element_by_element_and_reaches_duplicates():
    # d2 duplicates d1 (same uic and designation). The user confirms d2 with the platform only,
    # although that platform forms a pair with its stop_position.
    atlas = atlas_frame(stop(UIC, 0, 0, "1", sloid="d1"), stop(UIC, 1, 0, "1", sloid="d2"))
    osm = osm_frame(
        element("platform", 0, 2, "p", uic_ref=str(UIC)),
        element("stop_position", 0, 6, "s", uic_ref=str(UIC)),
    )
    manual = pl.DataFrame({"sloid": ["d2"], "osm_id": ["p"], "action": ["match"]})
    result = match(atlas, osm, manual=manual)
    assert types(result) == {("d2", "p"): "manual"}
    # The representative d1 stays open: its unit is closed by the user's decision.
    assert result.unmatched.filter(pl.col("side") == "atlas")["id"].to_list() == ["d1"]
