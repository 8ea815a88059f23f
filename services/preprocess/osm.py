"""OSM stops, candidate ways and route relations as the `osm_*` frames."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from preprocess import osm_tags
from preprocess.errors import SourceError
from preprocess.osm_opl import member_rows, read_objects, tag_rows, way_centres
from preprocess.osm_read import filter_to_opl
from preprocess.validate import blank_to_null

TAG_COLUMNS = {  # frame column -> OSM keys, first present wins
    "name": ("name",),
    "uic_name": ("uic_name",),
    "uic_ref": ("uic_ref",),
    "local_ref": ("local_ref", "ref"),
    "operator": ("operator",),
    "network": ("network",),
    "gtfs_name": ("gtfs:name",),
    "gtfs_id": ("gtfs:stop_id", "gtfs:id"),
    "ref_sloid": ("ref:sloid",),
    "wikidata": ("wikidata",),
}
WIDE_KEYS = sorted(
    {k for keys in TAG_COLUMNS.values() for k in keys}
    | set(osm_tags.STOP_NODE_TAGS)
    | set(osm_tags.ROUTE_KEYS)
    | {"tram"}
)
JSON_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
OBJECT_SCHEMA = {
    "obj": pl.String, "id": pl.Int64, "tags": pl.String, "lon": pl.Float64, "lat": pl.Float64,
    "nodes": pl.String, "members": pl.String,
}  # fmt: skip


@dataclass
class OsmResult:
    """The three OSM frames of docs/architecture.md."""

    elements: pl.DataFrame
    routes: pl.DataFrame
    route_stops: pl.DataFrame


def read_osm(path: Path) -> OsmResult:
    """Parse an `.osm` XML or `.osm.pbf` file into elements, routes and route stops."""
    path = Path(path)
    if not path.is_file():
        raise SourceError("osm", str(path), "file not found")
    with tempfile.TemporaryDirectory(prefix="stopsync-osm-") as tmp:
        opl = Path(tmp) / "filtered.opl"
        filter_to_opl(path, opl)
        empty = opl.stat().st_size == 0
        objects = pl.DataFrame(schema=OBJECT_SCHEMA) if empty else read_objects(opl)
    pairs = tag_rows(objects)
    tagged = objects.join(_wide(pairs), on=["obj", "id"], how="left")
    routes, route_stops = _routes(tagged)
    return OsmResult(_elements(tagged, pairs), routes, route_stops)


def _wide(pairs: pl.DataFrame) -> pl.DataFrame:
    """One row per object with a column per key the filters and frames read."""
    wanted = pairs.filter(pl.col("k").is_in(WIDE_KEYS))
    wide = wanted.pivot(on="k", index=["obj", "id"], values="v", aggregate_function="first")
    absent = [pl.lit(None, pl.String).alias(k) for k in WIDE_KEYS if k not in wide.columns]
    return wide.with_columns(absent).select("obj", "id", *WIDE_KEYS)


def _elements(tagged: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Stop nodes, and candidate ways at their centre, with kind, tag columns and tags JSON."""
    nodes = tagged.filter(pl.col("obj") == "n")
    stops = nodes.filter(osm_tags.is_stop_node() & pl.col("lon").is_not_null())
    node_refs = nodes.select(pl.col("uic_ref").drop_nulls().unique())["uic_ref"]
    ways = tagged.filter((pl.col("obj") == "w") & osm_tags.is_candidate_way())
    # A way counts when it is an aerialway station or carries a uic_ref that no node carries.
    ways = ways.filter((pl.col("aerialway") == "station") | ~pl.col("uic_ref").is_in(node_refs.implode()))
    ways = ways.drop("lon", "lat").join(way_centres(ways), on="id", how="inner")
    found = pl.concat([stops, ways.select(stops.columns)])
    return (
        found.join(_tags_json(pairs), on=["obj", "id"], how="left")
        .select(
            pl.when(pl.col("obj") == "n")
            .then(pl.col("id").cast(pl.String))
            .otherwise(pl.format("way_{}", pl.col("id")))
            .alias("osm_id"),
            pl.when(pl.col("obj") == "n").then(pl.lit("node")).otherwise(pl.lit("way")).alias("osm_type"),
            "lon",
            "lat",
            _kind().alias("kind"),
            _is_tram().alias("is_tram"),
            *(_first_tag(keys).alias(column) for column, keys in TAG_COLUMNS.items()),
            pl.col("json").fill_null("{}").alias("tags"),
        )
        .unique("osm_id", keep="first", maintain_order=True)
    )


def _kind() -> pl.Expr:
    """platform, stop_position, station, ferry_terminal or aerialway; stations never match."""
    pt, railway = pl.col("public_transport"), pl.col("railway")
    return (
        pl.when((pt == "station") | (railway == "station")).then(pl.lit("station"))
        .when(pl.col("aerialway") == "station").then(pl.lit("aerialway"))
        .when(pl.col("amenity") == "ferry_terminal").then(pl.lit("ferry_terminal"))
        .when(pt == "stop_position").then(pl.lit("stop_position"))
        .when(pt == "platform").then(pl.lit("platform"))
        # A tram stop or halt without public_transport is mapped on the track: a stop position.
        .when(railway.is_in(["tram_stop", "halt"]) | (pt == "halt")).then(pl.lit("stop_position"))
        .otherwise(pl.lit("platform"))
    )  # fmt: skip


def _is_tram() -> pl.Expr:
    """railway=tram_stop or tram=yes."""
    return ((pl.col("railway") == "tram_stop") | (pl.col("tram") == "yes")).fill_null(False)


def _first_tag(keys: tuple[str, ...]) -> pl.Expr:
    """The first of `keys` with a non-blank value."""
    return pl.coalesce([blank_to_null(pl.col(k)) for k in keys])


def _tags_json(pairs: pl.DataFrame) -> pl.DataFrame:
    """obj, id and a JSON object of the kept tags, built without a Python loop."""
    kept = pairs.filter(osm_tags.is_kept_key(pl.col("k")))
    member = pl.format("{}:{}", _json_string(pl.col("k")), _json_string(pl.col("v")))
    return kept.group_by("obj", "id", maintain_order=True).agg(
        pl.concat_str(pl.lit("{"), member.str.join(","), pl.lit("}")).alias("json")
    )


def _json_string(expr: pl.Expr) -> pl.Expr:
    """A JSON string literal: quotes and backslashes escaped, other control characters dropped."""
    escaped = expr.str.replace_many(JSON_ESCAPES).str.replace_all(r"[\x00-\x1f]", "")
    return pl.concat_str(pl.lit('"'), escaped, pl.lit('"'))


def _routes(tagged: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Public-transport routes with direction and route_master, and their ordered stops."""
    relations = tagged.filter(pl.col("obj") == "r")
    routes = relations.filter(osm_tags.is_pt_route())
    masters = (
        member_rows(relations.filter(osm_tags.is_route_master()))
        .filter(pl.col("member_type") == "r")
        .select(pl.col("relation_id").alias("route_master_id"), pl.col("ref").alias("relation_id"))
        .unique("relation_id", keep="first", maintain_order=True)
    )
    direction = pl.col("ref_trips").str.split(";").list.first().str.strip_chars().str.extract(r"\.([HR])$", 1)
    frame = routes.select(
        pl.col("id").alias("relation_id"),
        pl.col("route").alias("mode"),
        "ref",
        "name",
        "network",
        "operator",
        pl.col("gtfs:route_id").alias("gtfs_route_id"),
        direction.alias("direction"),
    ).join(masters, on="relation_id", how="left", maintain_order="left")
    return frame, _route_stops(routes)


def _route_stops(routes: pl.DataFrame) -> pl.DataFrame:
    """Stop and platform members in relation order, numbered from 1."""
    stops = member_rows(routes).filter(osm_tags.is_stop_member())
    return stops.select(
        "relation_id",
        (pl.int_range(pl.len()).over("relation_id") + 1).cast(pl.Int32).alias("seq"),
        pl.when(pl.col("member_type") == "n")
        .then(pl.col("ref").cast(pl.String))
        .otherwise(pl.format("way_{}", pl.col("ref")))
        .alias("osm_id"),
        "role",
    )
