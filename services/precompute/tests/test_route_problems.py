"""Route problems: unmatched routes, metadata, membership, sequence and direction."""

import orjson
import polars as pl
import pytest

from precompute.route_problems import band, unmatched_route_priority
from precompute.tests.frames import atlas, detect, matches, of_type, osm

STOPS = 8


def _stops():
    """Stops 0..7: official s<i> (UIC 85000<i>) matched to OSM element <i>."""
    a = atlas(*({"sloid": f"s{i}", "uic": 8500000 + i} for i in range(STOPS)))
    o = osm(*({"osm_id": str(i), "uic_ref": None} for i in range(STOPS)))
    m = matches(*({"sloid": f"s{i}", "osm_id": str(i)} for i in range(STOPS)))
    return a, o, m


def _routes(osm_seq, gtfs_seq, *, osm_meta=None, gtfs_meta=None, route_matches=None):
    """One OSM relation (100) against one GTFS itinerary (7), serving the given stop indexes."""
    meta = {
        "relation_id": 100,
        "mode": "bus",
        "ref": "31",
        "name": "Bus 31: A => B",
        "network": None,
        "operator": None,
        "gtfs_route_id": None,
        "direction": None,
        "route_master_id": None,
        **(osm_meta or {}),
    }
    osm_routes = pl.DataFrame([meta])
    route_stops = pl.DataFrame(
        {
            "relation_id": [100] * len(osm_seq),
            "seq": list(range(len(osm_seq))),
            "osm_id": [str(i) for i in osm_seq],
            "role": ["platform"] * len(osm_seq),
        },
        schema={"relation_id": pl.Int64, "seq": pl.Int32, "osm_id": pl.String, "role": pl.String},
    )
    gmeta = {
        "route_id": "r31",
        "short_name": "31",
        "long_name": None,
        "route_type": 3,
        "direction_id": 0,
        **(gtfs_meta or {}),
    }
    gtfs = {
        "routes": pl.DataFrame(
            [{k: gmeta[k] for k in ("route_id", "short_name", "long_name", "route_type")}]
        ),
        "itineraries": pl.DataFrame(
            [{"itinerary_id": 7, "route_id": "r31", "direction_id": gmeta["direction_id"]}]
        ),
        "itinerary_stops": pl.DataFrame(
            {
                "itinerary_id": [7] * len(gtfs_seq),
                "seq": list(range(len(gtfs_seq))),
                "stop_id": [f"g{i}" for i in gtfs_seq],
                "sloid": [f"s{i}" for i in gtfs_seq],
                "uic": [8500000 + i for i in gtfs_seq],
            },
            schema={
                "itinerary_id": pl.Int64,
                "seq": pl.Int32,
                "stop_id": pl.String,
                "sloid": pl.String,
                "uic": pl.Int64,
            },
        ),
    }
    if route_matches is None:
        route_matches = pl.DataFrame({"relation_id": [100], "itinerary_id": [7]})
    a, o, m = _stops()
    return detect(
        a,
        o,
        m,
        route_matches=route_matches,
        osm_routes=osm_routes,
        osm_route_stops=route_stops,
        gtfs=gtfs,
    )


def _route_types(problems):
    return sorted(t for t in problems["problem_type"] if t.startswith("route_"))


def test_agreeing_routes_have_no_problem():
    assert _route_types(_routes(range(6), range(6))) == []


@pytest.mark.parametrize(
    ("fraction", "priority"), [(0.0, None), (0.05, 3), (0.0999, 3), (0.1, 2), (0.4, 2), (0.4001, 1)]
)
def test_band_boundaries(fraction, priority):
    assert pl.select(band(pl.lit(fraction))).item() == priority


@pytest.mark.parametrize(("stops", "priority"), [(0, 3), (4, 3), (5, 2), (20, 2), (21, 1)])
def test_unmatched_route_boundaries(stops, priority):
    assert pl.select(unmatched_route_priority(pl.lit(stops))).item() == priority


def test_unmatched_routes_on_each_side_are_ranked_by_stop_count():
    lone = pl.DataFrame(
        {"relation_id": [100, None], "itinerary_id": [None, 7]},
        schema={"relation_id": pl.Int64, "itinerary_id": pl.Int64},
    )
    found = of_type(_routes(range(5), range(4), route_matches=lone), "route_unmatched")
    details = sorted(
        (orjson.loads(d)["side"], orjson.loads(d)["stops"], p)
        for d, p in zip(found["details"], found["priority"], strict=True)
    )
    assert details == [("gtfs", 4, 3), ("osm", 5, 2)]
    assert found["sloid"].is_null().all() and found["osm_node_id"].is_null().all()


@pytest.mark.parametrize(
    ("osm_meta", "gtfs_meta", "priority", "failed"),
    [
        ({"ref": "32"}, {}, 2, ["ref"]),
        ({"mode": "train"}, {}, 2, ["mode"]),
        ({"mode": "trolleybus"}, {"route_type": 700}, None, None),
        ({"mode": "light_rail"}, {"route_type": 900}, None, None),
        ({"name": "Bus 31: Bern => Thun"}, {"long_name": "Bern - Thun"}, 3, ["name"]),
        ({"name": "Bus 31: Bern - Thun"}, {"long_name": "bern - thun"}, None, None),
    ],
)
def test_metadata_mismatch(osm_meta, gtfs_meta, priority, failed):
    found = of_type(
        _routes(range(6), range(6), osm_meta=osm_meta, gtfs_meta=gtfs_meta), "route_metadata"
    )
    if priority is None:
        assert found.is_empty()
    else:
        assert found["priority"].to_list() == [priority]
        assert orjson.loads(found["details"].item())["failed"] == failed


def test_membership_lists_stops_served_on_one_side_only():
    found = of_type(_routes([0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5]), "route_membership")
    details = orjson.loads(found["details"].item())
    assert details["osm_only_uics"] == [8500006] and details["gtfs_only_uics"] == []
    assert found["priority"].item() == 2  # 1 of 7 stops: 14 %


def test_sequence_mismatch_bands_by_share_out_of_order():
    swapped = of_type(_routes([0, 1, 2, 3, 4, 5, 7, 6], range(8)), "route_sequence")
    assert swapped["priority"].item() == 2  # 1 of 8 out of order: 12.5 %
    shuffled = of_type(_routes([3, 0, 4, 1, 5, 2], range(6)), "route_sequence")
    assert shuffled["priority"].item() == 1  # 3 of 6: 50 %
    assert _route_types(_routes([0, 1, 2], range(3))) == []


def test_direction_mismatch_reversed_run_and_tags():
    reversed_run = _routes(list(reversed(range(6))), range(6))
    assert _route_types(reversed_run) == ["route_direction"]
    assert of_type(reversed_run, "route_direction")["priority"].item() == 2
    tags = of_type(_routes(range(6), range(6), osm_meta={"direction": "R"}), "route_direction")
    assert tags["priority"].item() == 3
    same = _routes(range(6), range(6), osm_meta={"direction": "H"}, gtfs_meta={"direction_id": 0})
    assert of_type(same, "route_direction").is_empty()


def test_route_problem_ids_are_stable():
    first = _routes([3, 0, 4, 1, 5, 2, 6], range(6), osm_meta={"ref": "9"})
    again = _routes([3, 0, 4, 1, 5, 2, 6], range(6), osm_meta={"ref": "9"})
    assert first["problem_id"].to_list() == again["problem_id"].to_list()
    assert first["problem_id"].n_unique() == first.height == 3
