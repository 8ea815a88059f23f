"""Pre-grouping: pairs, the 15 m guard, the ratio test, trios, inherited keys, stations."""

import polars as pl

from matcher.engine import match
from matcher.tests.factory import atlas_frame, element, osm_frame, pairs, stop, types

UIC = 8501001


def units(result) -> dict[str, str]:
    """unit_kind per osm_id."""
    return dict(result.osm_units.select("osm_id", "unit_kind").iter_rows())


def test_mutual_nearest_platform_and_stop_position_within_12_m_form_a_pair():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"))
    osm = osm_frame(
        element("platform", 0, 1, "p", uic_ref=str(UIC)),
        element("stop_position", 0, 11, "s", uic_ref=str(UIC)),
    )
    result = match(atlas, osm)
    assert units(result) == {"p": "pair", "s": "pair"}
    assert pairs(result) == {("a", "p"), ("a", "s")}


def test_14_m_pair_needs_agreeing_counts():
    # One platform, one stop_position, but no official stop within 30 m: counts disagree.
    far = atlas_frame(stop(UIC, 0, 200, sloid="a"))
    osm = osm_frame(
        element("platform", 0, 0, "p", uic_ref=str(UIC)),
        element("stop_position", 0, 14, "s", uic_ref=str(UIC)),
    )
    assert units(match(far, osm)) == {"p": "single", "s": "single"}
    # With the one official stop next to the platform, 1 = 1 = 1 and the 15 m variant applies.
    near = atlas_frame(stop(UIC, 0, -2, sloid="a"))
    assert units(match(near, osm)) == {"p": "pair", "s": "pair"}


def test_pair_ratio_test_rejects_an_ambiguous_stop_position():
    # Two stop_positions at 6 and 8 m: 8/6 < 1.5 on the platform's side, so no pair.
    osm = osm_frame(
        element("platform", 0, 0, "p", name="X"),
        element("stop_position", 0, 6, "s1", name="X"),
        element("stop_position", 0, -8, "s2", name="X"),
    )
    result = match(atlas_frame(stop(UIC, 500, 0)), osm)
    assert set(units(result).values()) == {"single"}


def test_pair_keyed_by_name_and_platform_inherits_uic_ref():
    atlas = atlas_frame(stop(UIC, 0, 300, sloid="a"))  # 300 m: only a key can reach it
    osm = osm_frame(
        element("platform", 0, 0, "p", name="Dorf"),
        element("stop_position", 0, 5, "s", name="Dorf", uic_ref=str(UIC)),
    )
    result = match(atlas, osm)
    assert units(result)["p"] == "pair"
    assert types(result) == {("a", "p"): "exact", ("a", "s"): "exact"}


def test_trams_pair_without_shared_keys():
    osm = osm_frame(
        element("platform", 0, 0, "p", is_tram=True), element("stop_position", 0, 4, "s", is_tram=True)
    )
    assert units(match(atlas_frame(stop(UIC, 900, 0)), osm)) == {"p": "pair", "s": "pair"}


def test_trio_assigns_sides_by_minimum_total_distance():
    atlas = atlas_frame(stop(UIC, -9, 0, sloid="west"), stop(UIC, 9, 0, sloid="east"))
    osm = osm_frame(
        element("platform", -10, 0, "pw", uic_ref=str(UIC)),
        element("stop_position", 0, 0, "mid", uic_ref=str(UIC)),
        element("platform", 10, 0, "pe", uic_ref=str(UIC)),
    )
    result = match(atlas, osm)
    assert set(units(result).values()) == {"trio"}
    assert pairs(result) == {("west", "pw"), ("west", "mid"), ("east", "pe"), ("east", "mid")}
    assert set(types(result).values()) == {"trio"}


def test_no_trio_when_the_stop_position_is_not_in_the_middle():
    atlas = atlas_frame(stop(UIC, -9, 0, sloid="a"), stop(UIC, -5, 0, sloid="b"))
    osm = osm_frame(
        element("platform", -10, 0, "p1", uic_ref=str(UIC)),
        element("stop_position", 0, 0, "mid", uic_ref=str(UIC)),
        element("platform", -6, 1, "p2", uic_ref=str(UIC)),
    )
    assert "trio" not in set(units(match(atlas, osm)).values())


def test_stations_are_never_matched_nor_listed():
    atlas = atlas_frame(stop(UIC, 0, 0, sloid="a"))
    osm = osm_frame(element("station", 0, 1, "st", uic_ref=str(UIC)))
    result = match(atlas, osm)
    assert result.matches.is_empty()
    assert result.unmatched.to_dicts() == [{"side": "atlas", "id": "a", "isolated": True}]
    assert result.osm_units.filter(pl.col("osm_id") == "st").is_empty()


def test_blank_texts_are_no_keys():
    # Staged frames keep '' apart from NULL: a blank designation must not contradict "A".
    atlas = atlas_frame(stop(UIC, 0, 0, "", sloid="a"))
    osm = osm_frame(element("platform", 2, 0, "p", local_ref="A", uic_ref=""))
    assert types(match(atlas, osm)) == {("a", "p"): "nearest"}
