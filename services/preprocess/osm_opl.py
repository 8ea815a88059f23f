"""OPL text (one OSM object per line) into frames, vectorized: objects, and their tags as rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl

ESCAPE = r"%[0-9a-f]+%"  # OPL writes `%2c%` for ',' and the like (hex code point)


def read_objects(path: Path) -> pl.DataFrame:
    """obj (n/w/r), id, lon, lat, and the raw tag, way-node and member fields of each line."""
    lines = pl.read_csv(
        path,
        has_header=False,
        new_columns=["line"],
        separator="\x1f",
        quote_char=None,
        schema={"line": pl.String},
    )
    fields = pl.col("line").str.split(" ")
    head = fields.list.first()
    return lines.select(
        head.str.slice(0, 1).alias("obj"),
        head.str.slice(1).cast(pl.Int64).alias("id"),
        _field(fields, "T").fill_null("").alias("tags"),
        _field(fields, "x").cast(pl.Float64, strict=False).alias("lon"),
        _field(fields, "y").cast(pl.Float64, strict=False).alias("lat"),
        _field(fields, "N").fill_null("").alias("nodes"),
        _field(fields, "M").fill_null("").alias("members"),
    )


def _field(fields: pl.Expr, letter: str) -> pl.Expr:
    """The value of the field starting with `letter` (OPL fields are `<letter><value>`)."""
    return fields.list.eval(
        pl.element().filter(pl.element().str.starts_with(letter)).str.slice(1)
    ).list.first()


def tag_rows(objects: pl.DataFrame) -> pl.DataFrame:
    """One row per (obj, id, k, v), unescaped."""
    pairs = (
        objects.select("obj", "id", pl.col("tags").str.split(","))
        .explode("tags")
        .filter(pl.col("tags") != "")
        .select("obj", "id", pl.col("tags").str.splitn("=", 2).struct.rename_fields(["k", "v"]))
        .unnest("tags")
    )
    return pairs.with_columns(unescape(pl.col("k"), pairs["k"]), unescape(pl.col("v"), pairs["v"]))


def unescape(expr: pl.Expr, values: pl.Series) -> pl.Expr:
    """Replace OPL escapes by their characters; the distinct escapes present are few."""
    codes = values.str.extract_all(ESCAPE).explode().drop_nulls().unique().to_list()
    if not codes:
        return expr
    return expr.str.replace_many({code: chr(int(code[1:-1], 16)) for code in codes})


def way_centres(ways: pl.DataFrame) -> pl.DataFrame:
    """id, lon, lat: bounding-box centre of each way's located nodes (`n1x8.1y47.2,...`)."""
    refs = (
        ways.select("id", pl.col("nodes").str.split(","))
        .explode("nodes")
        .select(
            "id",
            pl.col("nodes").str.extract(r"x(-?[\d.]+)", 1).cast(pl.Float64).alias("x"),
            pl.col("nodes").str.extract(r"y(-?[\d.]+)", 1).cast(pl.Float64).alias("y"),
        )
        .drop_nulls()
    )
    return refs.group_by("id").agg(
        ((pl.col("x").min() + pl.col("x").max()) / 2).alias("lon"),
        ((pl.col("y").min() + pl.col("y").max()) / 2).alias("lat"),
    )


def member_rows(relations: pl.DataFrame) -> pl.DataFrame:
    """relation id, position, member type (n/w/r), ref and unescaped role (`n12@stop,...`)."""
    members = (
        relations.select(pl.col("id").alias("relation_id"), pl.col("members").str.split(","))
        .explode("members")
        .filter(pl.col("members") != "")
        .with_columns(pl.int_range(pl.len()).over("relation_id").alias("position"))
    )
    parts = pl.col("members").str.splitn("@", 2)
    members = members.select(
        "relation_id",
        "position",
        parts.struct.field("field_0").str.slice(0, 1).alias("member_type"),
        parts.struct.field("field_0").str.slice(1).cast(pl.Int64).alias("ref"),
        parts.struct.field("field_1").fill_null("").alias("role"),
    )
    return members.with_columns(unescape(pl.col("role"), members["role"]))
