"""Attribute checks of matched pairs: UIC, name, designation and operator."""

import orjson
import pytest

from precompute.tests.frames import atlas, detect, matches, of_type, osm

BASE_ATLAS = {
    "sloid": "s1",
    "uic": 8507000,
    "designation_official": "Bern",
    "designation": "7",
    "operator": "SBB",
}
BASE_OSM = {
    "osm_id": "1",
    "uic_ref": "8507000",
    "uic_name": "Bern",
    "local_ref": "7",
    "operator": "SBB",
}


def _attributes(atlas_extra=None, osm_extra=None, aliases=None):
    a = atlas({**BASE_ATLAS, **(atlas_extra or {})})
    o = osm({**BASE_OSM, **(osm_extra or {})})
    found = of_type(
        detect(a, o, matches({"sloid": "s1", "osm_id": "1"}), aliases=aliases), "attributes"
    )
    return found


def test_agreeing_pair_has_no_problem():
    assert _attributes().is_empty()


@pytest.mark.parametrize(
    ("atlas_extra", "osm_extra", "priority", "failed"),
    [
        ({}, {"uic_ref": "8507001"}, 1, ["uic"]),
        ({}, {"uic_name": "Bern Wankdorf"}, 1, ["name"]),
        ({}, {"local_ref": "8"}, 2, ["designation"]),
        ({}, {"operator": "BLS"}, 3, ["operator"]),
        (
            {},
            {"uic_name": "Thun", "local_ref": "8", "operator": "BLS"},
            1,
            ["name", "designation", "operator"],
        ),
        ({"designation": "B"}, {"operator": "BLS"}, 2, ["designation", "operator"]),
    ],
)
def test_highest_failed_check_sets_priority(atlas_extra, osm_extra, priority, failed):
    found = _attributes(atlas_extra, osm_extra)
    assert found["priority"].to_list() == [priority]
    assert orjson.loads(found["details"][0])["failed"] == failed


@pytest.mark.parametrize(
    ("atlas_extra", "osm_extra"),
    [
        ({}, {"uic_ref": None, "uic_name": None, "local_ref": None, "operator": None}),
        ({"designation": None, "operator": None}, {"local_ref": "99", "operator": "BLS"}),
        ({"designation_official": "BERN"}, {"uic_name": " bern ", "local_ref": "7"}),
        ({"designation": "a"}, {"local_ref": "A"}),
    ],
)
def test_checks_need_both_values_and_ignore_case(atlas_extra, osm_extra):
    assert _attributes(atlas_extra, osm_extra).is_empty()


def test_operator_aliases_from_the_default_table():
    assert _attributes({"operator": "SBB"}, {"operator": "SBB CFF FFS"}).is_empty()
    assert _attributes({"operator": "PostAuto AG"}, {"operator": "CarPostal"}).is_empty()


def test_a_given_alias_table_replaces_the_default():
    assert _attributes({"operator": "SBB"}, {"operator": "SBB CFF FFS"}, aliases={}).height == 1
    custom = {"Busbetrieb Beispiel": "BBX", "bbx ag": "BBX"}
    found = _attributes(
        {"operator": "BBX AG"}, {"operator": "busbetrieb  beispiel"}, aliases=custom
    )
    assert found.is_empty()
