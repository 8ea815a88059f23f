"""OSM route relations (PTv2) for each line direction, their route_masters, and hiking decoys."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen.osm_build import ascending_ids
from samplegen.routes import Lines

_RELATION_BASE = 1_000_000
RELATION_KEYS = [
    "type",
    "route",
    "route_master",
    "ref",
    "name",
    "from",
    "to",
    "network",
    "operator",
    "public_transport:version",
    "gtfs:route_id",
    "ref_trips",
]
_MODE_LABEL = {"bus": "Bus", "tram": "Tram", "train": "Zug", "ferry": "Schiff", "aerialway": "Seilbahn"}


def _route_tags(lines: pl.DataFrame, ends: pl.DataFrame, rng) -> pl.DataFrame:
    """Tags of one route per line and direction: ref, name, from/to, gtfs:route_id, ref_trips."""
    routes = ends.join(lines, on="line_id", how="left", maintain_order="left")
    n = routes.height
    # half carry this year's id, some a stale year's (j24, equal once normalised), some none
    choice = pl.Series(rng.integers(0, 10, n))
    gtfs_id = routes.select(
        pl.when(choice < 5)
        .then(pl.col("route_id"))
        .when(choice < 8)
        .then(pl.col("route_id").str.replace("-j25-", "-j24-", literal=True))
    ).to_series()
    trip = pl.format("1.TA.{}.0.{}", pl.col("route_id"), pl.col("direction"))
    return routes.with_columns(
        type=pl.lit("route"),
        route=pl.col("mode"),
        name=pl.format("{} {}: {} => {}", pl.col("mode").replace_strict(_MODE_LABEL), "ref", "from", "to"),
        **{
            "public_transport:version": pl.lit("2"),
            "gtfs:route_id": gtfs_id,
            "ref_trips": pl.when(pl.Series(rng.random(n) < 0.7)).then(trip),
        },
    )


def _members(stops: pl.DataFrame, osm_members: pl.DataFrame, route_ids: pl.DataFrame):
    """Ordered route members: at each stop its stop_position, then its platform."""
    m = stops.join(route_ids, on=["line_id", "direction"]).join(osm_members, on="pl_id", how="inner")
    m = m.with_columns(within=pl.when(pl.col("role") == "stop").then(0).otherwise(1))
    return (
        m.sort("id", "seq", "within", "ref")
        .with_columns(seq=pl.int_range(pl.len()).over("id"))
        .select("id", "seq", "type", "ref", "role")
    )


def _endpoints(lines: Lines, sp_names: pl.Series) -> pl.DataFrame:
    """Per line and direction: the first and last stop's names (from, to)."""
    ends = lines.stops.group_by("line_id", "direction", maintain_order=True).agg(
        pl.col("sp_id").first().alias("first"), pl.col("sp_id").last().alias("last")
    )
    return ends.with_columns(**{"from": sp_names.gather(ends["first"]), "to": sp_names.gather(ends["last"])})


def _masters(line_tab: pl.DataFrame, routes: pl.DataFrame, ids: np.ndarray, rng):
    """route_master relations (most lines have one) and their members, the line's two routes."""
    has_master = pl.Series(rng.random(line_tab.height) < 0.9)
    masters = line_tab.with_columns(id=pl.Series(ids)).filter(has_master)
    masters = masters.with_columns(
        type=pl.lit("route_master"),
        route_master=pl.col("mode"),
        name=pl.format("{} {}", pl.col("mode").replace_strict(_MODE_LABEL), "ref"),
    )
    member = routes.join(masters.select("line_id", pl.col("id").alias("master")), on="line_id")
    return masters, member.select(
        pl.col("master").alias("id"),
        seq=pl.when(pl.col("direction") == "H").then(0).otherwise(1),
        type=pl.lit("relation"),
        ref="id",
        role=pl.lit(""),
    )


def build_relations(
    lines: Lines, members: pl.DataFrame, sp_names: pl.Series, route_ids, rng
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Route, route_master and hiking relations with their ordered members."""
    line_tab = lines.lines.with_columns(route_id=route_ids)
    ends = _endpoints(lines, sp_names)
    n_routes, n_lines = ends.height, line_tab.height
    n_hike = max(1, n_lines // 100)
    ids = ascending_ids(n_routes + n_lines + n_hike, _RELATION_BASE, rng)
    routes = _route_tags(line_tab, ends, rng).with_columns(id=pl.Series(ids[:n_routes]))
    route_mem = _members(lines.stops, members, routes.select("line_id", "direction", "id"))
    masters, master_mem = _masters(line_tab, routes, ids[n_routes : n_routes + n_lines], rng)
    hikes, hike_mem = _hiking(ids[n_routes + n_lines :], members, rng)
    relations = pl.concat([routes, masters, hikes], how="diagonal_relaxed")
    all_mem = pl.concat([route_mem, master_mem, hike_mem], how="vertical_relaxed")
    return relations.select("id", *[k for k in RELATION_KEYS if k in relations.columns]), all_mem


def _hiking(ids: np.ndarray, members: pl.DataFrame, rng) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Hiking routes passing some stops: relations the parser must ignore."""
    n = len(ids)
    stops = members.filter(pl.col("type") == "node").sample(
        min(n * 4, members.height), seed=int(rng.integers(2**31))
    )
    mem = stops.with_columns(
        id=pl.Series(np.repeat(ids, 4)[: stops.height]), seq=pl.int_range(pl.len()) % 4, role=pl.lit("")
    )
    rel = pl.DataFrame(
        {
            "id": ids,
            "type": "route",
            "route": "hiking",
            "network": "lwn",
            "name": [f"Wanderweg {i + 1}" for i in range(n)],
        }
    )
    return rel, mem.select("id", "seq", "type", "ref", "role")
