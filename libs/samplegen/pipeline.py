"""generate(): the whole synthetic region, written as atlas.csv, osm.osm, gtfs.zip, truth.jsonl."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from samplegen import (
    atlas,
    atlas_rows,
    gtfs_feed,
    gtfs_stops,
    gtfs_trips,
    operators,
    osm_build,
    osm_routes,
    osm_xml,
    routes,
)
from samplegen.osm_noise import NETWORKS
from samplegen.places import build_places
from samplegen.platforms import build_platforms

Progress = Callable[[str, int, int], None]


def _quiet(_step: str, _done: int, _total: int) -> None:
    """Default progress callback: report nothing."""


def write_truth(path: Path, rows: pl.DataFrame, truth: pl.DataFrame) -> int:
    """truth.jsonl: each kept ATLAS sloid with its true OSM ids (empty when OSM lacks it)."""
    kept = rows.filter(pl.col("truth_pl").is_not_null()).select("sloid", "truth_pl")
    ids = truth.group_by("pl_id").agg(pl.col("osm_id").sort().alias("osm_ids"))
    joined = kept.join(
        ids, left_on="truth_pl", right_on="pl_id", how="left", maintain_order="left"
    ).with_columns(pl.col("osm_ids").fill_null([]))
    joined.select("sloid", "osm_ids").write_ndjson(path)
    return joined.height


def _write_osm(
    out: Path,
    world: osm_build.OsmWorld,
    lines: routes.Lines,
    sp: pl.DataFrame,
    ops: pl.DataFrame,
    route_ids: pl.Series,
    rng,
) -> int:
    """Relations plus elements to osm.osm; returns the number of relations."""
    line_ops = lines.lines.join(
        ops.select("op_id", pl.col("osm_operator").alias("operator")),
        on="op_id",
        how="left",
        maintain_order="left",
    ).with_columns(network=pl.col("town").replace_strict(NETWORKS, default=None, return_dtype=pl.Utf8))
    rel, members = osm_routes.build_relations(
        routes.Lines(line_ops, lines.stops), world.members, sp["name"], route_ids, rng
    )
    osm_xml.write_osm(out / "osm.osm", world.nodes, world.ways, rel, members, osm_routes.RELATION_KEYS)
    return rel.height


def _write_gtfs(
    out: Path,
    sp,
    platforms,
    lines: routes.Lines,
    ops,
    route_ids,
    scale: float,
    gtfs_trips_total: int | None,
    rng,
    progress: Progress,
) -> dict[str, int]:
    """stops, patterns and trips to gtfs.zip."""
    stops = gtfs_stops.build_stops(platforms, sp, lines.stops["pl_id"].to_numpy(), scale, rng)
    quay = stops.with_row_index("code").filter(pl.col("pl_id").is_not_null())
    index = quay.select("pl_id", pl.col("code").cast(pl.Int64))
    patterns = gtfs_trips.build_patterns(lines.stops, route_ids, index, sp["name"], rng)
    trips = gtfs_trips.trip_frame(patterns, gtfs_trips.trip_counts(patterns, gtfs_trips_total, rng), rng)
    tables = {
        "agency.txt": gtfs_feed.agency_table(ops),
        "routes.txt": gtfs_feed.routes_table(lines.lines, route_ids, ops),
    }
    return gtfs_feed.write_gtfs(out / "gtfs.zip", tables, patterns, trips, stops, progress)


def generate(
    scale: float, seed: int, out: Path, gtfs_trips: int | None = None, progress: Progress = _quiet
) -> dict:
    """Write the four files for (scale, seed) into out; returns the counts of what was written."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ops = operators.operators()
    progress("places", 0, 5)
    sp, _towns = build_places(scale, rng)
    platforms = build_platforms(sp, rng)
    rows = atlas_rows.all_rows(platforms, sp, rng)
    progress("atlas", 1, 5)
    n_atlas = atlas.write_atlas(rows, ops, out, rng)
    progress("osm", 2, 5)
    world = osm_build.build_osm(platforms, sp, ops, rng)
    lines = routes.build_lines(sp, platforms, rng)
    route_ids = routes.gtfs_route_ids(lines.lines, ops)
    n_rel = _write_osm(out, world, lines, sp, ops, route_ids, rng)
    progress("truth", 3, 5)
    n_truth = write_truth(out / "truth.jsonl", rows, world.truth)
    progress("gtfs", 4, 5)
    counts = _write_gtfs(out, sp, platforms, lines, ops, route_ids, scale, gtfs_trips, rng, progress)
    progress("done", 5, 5)
    return {
        "atlas_rows": n_atlas,
        "atlas_kept": n_truth,
        "osm_nodes": world.nodes.height,
        "osm_stop_nodes": _stop_nodes(world.nodes),
        "osm_ways": world.ways.height,
        "osm_relations": n_rel,
        "truth_with_osm": int(world.truth["pl_id"].n_unique()),
        "lines": lines.lines.height,
        **counts,
    }


def _stop_nodes(nodes: pl.DataFrame) -> int:
    """Nodes carrying a public-transport tag (the ones the OSM parser keeps)."""
    tagged = pl.any_horizontal(
        pl.col(k).is_not_null() for k in ("public_transport", "highway", "railway", "amenity", "aerialway")
    )
    return nodes.filter(tagged).height
