"""The route stage, route-to-route matching and the LCS it rests on."""

import random

import polars as pl
import pytest

from matcher.engine import match
from matcher.routes import norm_route_id
from matcher.sequences import lcs_length, lcs_ratio, squeeze
from matcher.tests.factory import atlas_frame, element, osm_frame, stop, types


def gtfs_frames(itins: list[tuple[int, str, int, str, list[str]]]) -> dict:
    """GTFS frames from (itinerary_id, route_id, direction_id, headsign, sloids)."""
    routes = sorted({r for _, r, _, _, _ in itins})
    return {
        "routes": pl.DataFrame(
            {"route_id": routes, "route_id_norm": routes, "short_name": [r.split("-")[-1] for r in routes]}
        ),
        "itineraries": pl.DataFrame(
            {
                "itinerary_id": [i[0] for i in itins],
                "route_id": [i[1] for i in itins],
                "route_id_norm": [i[1] for i in itins],
                "direction_id": [i[2] for i in itins],
                "headsign": [i[3] for i in itins],
                "trip_count": [10] * len(itins),
            },
            schema_overrides={"direction_id": pl.Int32},
        ),
        "itinerary_stops": pl.DataFrame(
            [
                {"itinerary_id": i[0], "seq": n, "stop_id": s, "sloid": s, "uic": None}
                for i in itins
                for n, s in enumerate(i[4])
            ],
            schema_overrides={"seq": pl.Int32, "uic": pl.Int64},
        ),
    }


def osm_route_frames(rels: list[tuple[int, str | None, str | None, str, list[str]]]):
    """osm_routes and osm_route_stops from (relation_id, gtfs_route_id, direction, ref, ids)."""
    routes = pl.DataFrame(
        {
            "relation_id": [r[0] for r in rels],
            "mode": ["bus"] * len(rels),
            "ref": [r[3] for r in rels],
            "name": [f"Bus {r[3]}" for r in rels],
            "network": [None] * len(rels),
            "operator": [None] * len(rels),
            "gtfs_route_id": [r[1] for r in rels],
            "direction": [r[2] for r in rels],
            "route_master_id": [None] * len(rels),
        },
        schema_overrides={
            "route_master_id": pl.Int64,
            "network": pl.String,
            "direction": pl.String,
            "operator": pl.String,
        },
    )
    stops = pl.DataFrame(
        [
            {"relation_id": r[0], "seq": n, "osm_id": o, "role": "platform"}
            for r in rels
            for n, o in enumerate(r[4])
        ],
        schema_overrides={"seq": pl.Int32},
    )
    return routes, stops


@pytest.mark.parametrize(
    ("directions", "names"),
    [
        (("H", "R"), ("Bus 7", "Bus 7")),  # (route, direction) tokens decide
        ((None, None), ("Bus 7: A => Zelg", "Bus 7: Zelg => A")),  # only the destination does
    ],
)
def test_route_stage_picks_the_platform_served_by_the_stops_line_and_direction(directions, names):
    atlas = atlas_frame(stop(8505001, 0, 0, sloid="a"), stop(8505002, 2000, 0, sloid="z"))
    osm = osm_frame(
        element("platform", 0, 6, "p1"),
        element("platform", 0, -8, "p2"),
        element("platform", 2000, 3, "pz"),
    )
    routes, route_stops = osm_route_frames(
        [(1, "r-7", directions[0], "7", ["p1", "pz"]), (2, "r-7", directions[1], "7", ["pz", "p2"])]
    )
    routes = routes.with_columns(name=pl.Series(list(names)))
    gtfs = gtfs_frames([(11, "r-7", 0, "Zelg", ["a", "z"])])
    result = match(atlas, osm, gtfs=gtfs, osm_routes=routes, osm_route_stops=route_stops)
    assert types(result)[("a", "p1")] == "route"
    assert ("a", "p2") not in types(result)


def test_route_to_route_families_and_itineraries():
    atlas = atlas_frame(*(stop(8506000 + i, 300 * i, 0, sloid=f"s{i}") for i in range(6)))
    osm = osm_frame(*(element("platform", 300 * i, 2, f"{i}") for i in range(6)))
    routes, route_stops = osm_route_frames(
        [
            (1, "r-1", "H", "1", ["0", "1", "2", "3", "4", "5"]),  # exact id, same stops
            (2, "R-1 ", "R", "1", ["5", "4", "3", "2"]),  # joins family r-1 through master below
            (3, None, "H", "9", ["0", "2", "4"]),  # display ref 9, shares stops with line 9
            (4, "r-1", "H", "1", ["0", "5"]),  # no master, same id: family 100; too short
        ]
    )
    routes = routes.with_columns(
        route_master_id=pl.when(pl.col("relation_id") <= 2).then(pl.lit(100)).otherwise(None).cast(pl.Int64)
    )
    gtfs = gtfs_frames(
        [
            (11, "r-1", 0, "E", [f"s{i}" for i in range(6)]),
            (12, "r-1", 1, "W", ["s5", "s4", "s3", "s2", "s1"]),
            (21, "x-9", 0, "E", ["s0", "s2", "s4"]),
        ]
    )
    result = match(atlas, osm, gtfs=gtfs, osm_routes=routes, osm_route_stops=route_stops)
    rm = result.route_matches
    fam = {
        (r["osm_relation_id"], r["gtfs_route_id"]): r["method"]
        for r in rm.filter(pl.col("level") == "family").to_dicts()
    }
    assert fam == {(100, "r-1"): "exact", (3, "x-9"): "display"}
    # Relation 4 shares 2 of 6 stops with itinerary 11: below 0.8, so it stays unpaired.
    itin = {
        r["osm_relation_id"]: (r["gtfs_itinerary_id"], r["score"])
        for r in rm.filter(pl.col("level") == "itinerary").to_dicts()
    }
    assert itin == {1: (11, 1.0), 2: (12, 0.8), 3: (21, 1.0)}


def test_lcs_agrees_with_the_textbook_dynamic_programme():
    rng = random.Random(5)

    def textbook(a, b):
        table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
        return table[-1][-1]

    for _ in range(300):
        a = [rng.randrange(6) for _ in range(rng.randrange(12))]
        b = [rng.randrange(6) for _ in range(rng.randrange(12))]
        assert lcs_length(a, b) == textbook(a, b)
    assert lcs_ratio(["a", "b", "c", "d", "e"], ["a", "b", "c", "d"]) == 0.8
    assert squeeze(["a", "a", "b", "a"]) == ["a", "b", "a"]


def test_route_ids_from_another_timetable_year_pair_as_normalized():
    atlas = atlas_frame(*(stop(8507000 + i, 300 * i, 0, sloid=f"s{i}") for i in range(3)))
    osm = osm_frame(*(element("platform", 300 * i, 2, f"{i}") for i in range(3)))
    routes, route_stops = osm_route_frames([(1, "80-5-A-j24-1", "H", "5", ["0", "1", "2"])])
    gtfs = gtfs_frames([(11, "80-5-A-j25-1", 0, "E", ["s0", "s1", "s2"])])
    gtfs["routes"] = gtfs["routes"].with_columns(route_id_norm=pl.lit("80-5-A-jXX-1"))
    result = match(atlas, osm, gtfs=gtfs, osm_routes=routes, osm_route_stops=route_stops)
    rows = {(r["level"], r["method"]) for r in result.route_matches.to_dicts()}
    assert rows == {("family", "normalized"), ("itinerary", "lcs")}
    assert pl.select(norm_route_id(pl.lit(" 80-5-A-j24-1")))[0, 0] == "80-5-a-jxx-1"


def test_itinerary_sequences_use_platforms_and_fall_back_to_uic():
    atlas = atlas_frame(*(stop(8508000 + i, 300 * i, 0, sloid=f"s{i}") for i in range(4)))
    osm = osm_frame(
        *(element("platform", 300 * i, 2, f"p{i}") for i in range(3)),
        # The last platform is too far to match, but its uic_ref still names the stop.
        element("platform", 900, 700, "p3", uic_ref="8508003"),
        *(element("stop_position", 300 * i, 30, f"s{i}") for i in range(4)),
    )
    routes, _ = osm_route_frames([(1, "r-4", "H", "4", [])])
    members = [(f"s{i}", "stop") for i in range(4)] + [(f"p{i}", "platform") for i in range(4)]
    route_stops = pl.DataFrame(
        [{"relation_id": 1, "seq": n, "osm_id": o, "role": r} for n, (o, r) in enumerate(members)],
        schema_overrides={"seq": pl.Int32},
    )
    gtfs = gtfs_frames([(11, "r-4", 0, "E", [f"s{i}" for i in range(4)])])
    gtfs["itinerary_stops"] = gtfs["itinerary_stops"].with_columns(
        uic=pl.col("sloid").str.slice(1).cast(pl.Int64) + 8508000
    )
    result = match(atlas, osm, gtfs=gtfs, osm_routes=routes, osm_route_stops=route_stops)
    assert ("s3", "p3") not in set(result.matches.select("sloid", "osm_id").iter_rows())
    itin = result.route_matches.filter(pl.col("level") == "itinerary").to_dicts()
    assert [(r["gtfs_itinerary_id"], r["score"]) for r in itin] == [(11, 1.0)]
