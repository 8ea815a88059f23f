"""Render the OSM side as OSM XML 0.6: nodes, then ways, then relations, each by ascending id."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from samplegen.osm_elements import TAG_KEYS


def escape(expr: pl.Expr) -> pl.Expr:
    """XML attribute escaping (&, <, >, "), in one pass so '&' is never escaped twice."""
    return expr.str.replace_many(["&", "<", ">", '"'], ["&amp;", "&lt;", "&gt;", "&quot;"])


def tag_lines(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """One '<tag k= v=/>' line per non-null tag: id, pos (1), sub (key), text."""
    if frame.height == 0 or not keys:
        return pl.DataFrame(schema={"id": pl.Int64, "pos": pl.Int32, "sub": pl.Utf8, "text": pl.Utf8})
    long = frame.unpivot(index="id", on=keys, variable_name="k", value_name="v").drop_nulls("v")
    return long.select(
        "id",
        pos=pl.lit(1, pl.Int32),
        sub=pl.col("k"),
        text=pl.format('    <tag k="{}" v="{}"/>', escape(pl.col("k")), escape(pl.col("v"))),
    )


def _render(kind: str, heads: pl.DataFrame, children: pl.DataFrame) -> pl.Series:
    """Lines of one element kind: '<kind attrs/>' when childless, else open, children, close."""
    has_child = heads["id"].is_in(children["id"].unique().implode())
    attrs = heads.select("id", pl.col("attrs"), pl.Series("open", has_child))
    opening = attrs.select(
        "id",
        pos=pl.lit(0, pl.Int32),
        sub=pl.lit(""),
        text=pl.when("open")
        .then(pl.format("  <{}{}>", pl.lit(kind), "attrs"))
        .otherwise(pl.format("  <{}{}/>", pl.lit(kind), "attrs")),
    )
    closing = attrs.filter("open").select(
        "id", pos=pl.lit(2, pl.Int32), sub=pl.lit(""), text=pl.lit(f"  </{kind}>")
    )
    lines = pl.concat([opening, children.select(opening.columns), closing])
    return lines.sort("id", "pos", "sub", maintain_order=True)["text"]


def _coord(col: str) -> pl.Expr:
    """A coordinate with 7 decimals, as OSM stores them."""
    return pl.col(col).round(7).cast(pl.Utf8)


def node_lines(nodes: pl.DataFrame) -> pl.Series:
    """All <node> lines."""
    heads = nodes.select(
        "id", attrs=pl.format(' id="{}" lat="{}" lon="{}"', "id", _coord("lat"), _coord("lon"))
    )
    return _render("node", heads, tag_lines(nodes, list(TAG_KEYS)))


def way_lines(ways: pl.DataFrame) -> pl.Series:
    """All <way> lines (their nd refs in order, then tags)."""
    heads = ways.select("id", attrs=pl.format(' id="{}"', "id"))
    nds = (
        ways.select("id", "nd")
        .explode("nd")
        .with_row_index("order")
        .select(
            "id",
            pos=pl.lit(1, pl.Int32),
            sub=pl.col("order").cast(pl.Utf8).str.zfill(9),
            text=pl.format('    <nd ref="{}"/>', "nd"),
        )
    )
    tags = tag_lines(ways, list(TAG_KEYS)).with_columns(sub="~" + pl.col("sub"))
    return _render("way", heads, pl.concat([nds, tags]))


def relation_lines(relations: pl.DataFrame, members: pl.DataFrame, keys: list[str]) -> pl.Series:
    """All <relation> lines: members in order (member frame: id, seq, type, ref, role), tags."""
    heads = relations.select("id", attrs=pl.format(' id="{}"', "id"))
    mem = members.select(
        "id",
        pos=pl.lit(1, pl.Int32),
        sub=pl.col("seq").cast(pl.Utf8).str.zfill(9),
        text=pl.format('    <member type="{}" ref="{}" role="{}"/>', "type", "ref", "role"),
    )
    tags = tag_lines(relations, keys).with_columns(sub="~" + pl.col("sub"))
    return _render("relation", heads, pl.concat([mem, tags]))


def write_osm(
    path: Path,
    nodes: pl.DataFrame,
    ways: pl.DataFrame,
    relations: pl.DataFrame,
    members: pl.DataFrame,
    relation_keys: list[str],
) -> None:
    """Write the document (ids ascending within each kind, kinds in OSM order)."""
    parts = [
        node_lines(nodes.sort("id")),
        way_lines(ways.sort("id")),
        relation_lines(relations.sort("id"), members, relation_keys),
    ]
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write('<osm version="0.6" generator="stopsync samplegen">\n')
        for lines in parts:
            if lines.len():
                f.write("\n".join(lines.to_list()))
                f.write("\n")
        f.write("</osm>\n")
