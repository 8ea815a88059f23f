"""Assemble the OSM side: elements with ids, way outlines, route members and the ground truth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from samplegen import osm_elements, osm_extras, osm_noise

_NODE_BASE, _WAY_BASE = 240_000_000, 20_000_000


@dataclass(frozen=True)
class OsmWorld:
    """Everything the XML writer, the route builder and the truth file need."""

    nodes: pl.DataFrame  # id, lat, lon, tag columns (null for untagged outline nodes)
    ways: pl.DataFrame  # id, tag columns, nd (list of node ids, closed)
    members: pl.DataFrame  # pl_id, role (platform/stop), type (node/way), ref
    truth: pl.DataFrame  # pl_id, osm_id: the candidate elements that stand for each platform


def ascending_ids(n: int, base: int, rng) -> np.ndarray:
    """n distinct ids, ascending in a random order of the rows (gaps like real OSM)."""
    ids = base + np.cumsum(rng.integers(1, 500, n))
    out = np.empty(n, dtype=np.int64)
    out[rng.permutation(n)] = ids
    return out


def _enrich(platforms: pl.DataFrame, sp: pl.DataFrame) -> pl.DataFrame:
    """Platforms with their place's name, centre, noise and operator's OSM spelling."""
    cols = sp.select(
        "sp_id",
        "name",
        "locality",
        "way_mode",
        "shift_m",
        "shift_dir",
        "uic_ref",
        "variant",
        "operator_on",
        "network",
        "osm_operator",
        pl.col("lat").alias("sp_lat"),
        pl.col("lon").alias("sp_lon"),
    )
    return platforms.join(cols, on="sp_id", how="left", maintain_order="left")


def _elements(platforms: pl.DataFrame, sp: pl.DataFrame, rng) -> pl.DataFrame:
    """All stop elements before ids: platforms, stops, stations, duplicates and OSM-only stops."""
    plat = osm_elements.platform_elements(platforms, rng)
    parts = [
        plat,
        osm_elements.stop_elements(platforms, rng),
        osm_elements.station_elements(sp.with_columns(bearing=pl.lit(0.0)), rng),
        osm_extras.duplicates(plat, rng),
    ]
    parts.append(osm_extras.extras(sp, platforms, parts[0], rng))
    return pl.concat(parts, how="vertical_relaxed")


def _with_ids(elements: pl.DataFrame, rng) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Give ids to element nodes, outline nodes and ways; returns (elements, nodes, ways)."""
    ways = elements.filter(pl.col("elem") == "way")
    corners = osm_extras.outlines(ways)
    node_el = elements.filter(pl.col("elem") == "node")
    node_ids = ascending_ids(node_el.height + corners.height, _NODE_BASE, rng)
    node_el = node_el.with_columns(id=pl.Series(node_ids[: node_el.height]))
    corner_ids = node_ids[node_el.height :]
    way_ids = ascending_ids(ways.height, _WAY_BASE, rng)
    nd = corner_ids.reshape(-1, 4) if ways.height else np.zeros((0, 4), dtype=np.int64)
    ways = ways.with_columns(
        id=pl.Series(way_ids, dtype=pl.Int64),
        nd=pl.Series(np.column_stack([nd, nd[:, :1]]).tolist(), dtype=pl.List(pl.Int64)),
    )
    outline = pl.DataFrame({"id": corner_ids, "lat": corners["lat"], "lon": corners["lon"]})
    nodes = pl.concat(
        [node_el.drop("elem", "role", "pl_id", "pl_id2", "sp_id", "kind", "bearing", "candidate"), outline],
        how="diagonal_relaxed",
    )
    return pl.concat([node_el, ways.drop("nd")], how="vertical_relaxed"), nodes.sort("id"), ways


def _links(elements: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(truth, route members): which elements stand for which platform (a trio stop for two)."""
    elements = elements.with_columns(
        osm_id=pl.when(pl.col("elem") == "way")
        .then("way_" + pl.col("id").cast(pl.Utf8))
        .otherwise(pl.col("id").cast(pl.Utf8))
    )
    first = elements.drop("pl_id2")
    second = elements.drop("pl_id").rename({"pl_id2": "pl_id"}).select(first.columns)
    linked = pl.concat([first, second]).filter(pl.col("pl_id").is_not_null())
    truth = linked.filter("candidate").select("pl_id", "osm_id").unique().sort("pl_id", "osm_id")
    members = linked.filter(pl.col("role").is_in(["platform", "stop"])).select(
        "pl_id", "role", pl.col("elem").alias("type"), pl.col("id").alias("ref")
    )
    return truth, members


def build_osm(platforms: pl.DataFrame, sp: pl.DataFrame, ops: pl.DataFrame, rng) -> OsmWorld:
    """The whole OSM side of the region, with the truth linking platforms to elements."""
    noise = osm_noise.place_noise(sp, rng)
    sp = (
        sp.join(noise, on="sp_id")
        .join(ops.select("op_id", "osm_operator"), on="op_id", how="left", maintain_order="left")
        .with_columns(way_mode=pl.Series(osm_extras.way_modes(sp, rng)))
    )
    elements, nodes, ways = _with_ids(_elements(_enrich(platforms, sp), sp, rng), rng)
    truth, members = _links(elements)
    tag_cols = list(osm_elements.TAG_KEYS)
    return OsmWorld(
        nodes=nodes.select("id", "lat", "lon", *tag_cols),
        ways=ways.select("id", *tag_cols, "nd"),
        members=members,
        truth=truth,
    )
