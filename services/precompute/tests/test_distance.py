"""Distance bands of matched pairs, with exact boundaries and the SBB cap."""

import orjson
import pytest

from precompute.tests.frames import atlas, detect, matches, of_type, osm


def _distance(metres: float, operator: str | None = None):
    a = atlas({"sloid": "s1", "operator": operator})
    o = osm({"osm_id": "1"})
    m = matches({"sloid": "s1", "osm_id": "1", "distance_m": metres})
    return of_type(detect(a, o, m), "distance")


@pytest.mark.parametrize(
    ("metres", "priority"),
    [
        (0.0, None),
        (15.0, None),
        (15.01, 3),
        (25.0, 3),
        (25.01, 2),
        (80.0, 2),
        (80.01, 1),
        (500.0, 1),
    ],
)
def test_distance_bands_are_inclusive_as_written(metres, priority):
    found = _distance(metres)
    if priority is None:
        assert found.is_empty()
    else:
        assert found["priority"].to_list() == [priority]
        details = orjson.loads(found["details"][0])
        assert details["distance_m"] == metres
        assert "message" in details


@pytest.mark.parametrize(
    "operator", ["SBB", "sbb", "SBB CFF FFS", " Schweizerische  Bundesbahnen "]
)
@pytest.mark.parametrize(("metres", "priority"), [(15.0, None), (20.0, 3), (80.01, 3), (900.0, 3)])
def test_sbb_stops_never_go_above_p3(operator, metres, priority):
    found = _distance(metres, operator)
    assert found["priority"].to_list() == ([] if priority is None else [priority])


def test_sbb_cap_names_its_rule_and_other_operators_are_not_capped():
    sbb = orjson.loads(_distance(90.0, "SBB")["details"][0])
    assert sbb["rule"] == "sbb_capped_p3" and sbb["sbb"] is True
    assert _distance(90.0, "BLS")["priority"].to_list() == [1]


def test_null_or_infinite_distance_is_not_a_problem():
    for metres in (None, float("inf"), float("nan")):
        assert _distance(metres).is_empty()


def test_each_pair_of_a_multi_element_match_is_its_own_record():
    a = atlas({"sloid": "s1"})
    o = osm({"osm_id": "1"}, {"osm_id": "2", "kind": "stop_position"})
    m = matches(
        {"sloid": "s1", "osm_id": "1", "distance_m": 30.0},
        {"sloid": "s1", "osm_id": "2", "distance_m": 90.0},
        {"sloid": "s1", "osm_id": "2", "distance_m": 20.0},
    )
    found = of_type(detect(a, o, m), "distance").sort("osm_node_id")
    # The repeated (s1, 2) row collapses to its highest severity.
    assert found.select("osm_node_id", "priority").rows() == [("1", 2), ("2", 1)]
