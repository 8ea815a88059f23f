"""Deterministic JSON Lines and summary files for matching results."""

from __future__ import annotations

from pathlib import Path

import orjson
import polars as pl

# orjson writes floats in their shortest round-tripping form, so equal values give equal bytes.
_OPTS = orjson.OPT_SORT_KEYS


def write_jsonl(frame: pl.DataFrame, path: Path, sort_by: list[str]) -> int:
    """Write rows sorted by the given columns, one compact JSON object per line."""
    rows = frame.sort(sort_by).to_dicts()
    with path.open("wb") as fh:
        for row in rows:
            fh.write(orjson.dumps(row))
            fh.write(b"\n")
    return len(rows)


def write_json(data: dict, path: Path) -> None:
    """Write one JSON document, keys sorted, indented, with a final newline."""
    path.write_bytes(orjson.dumps(data, option=_OPTS | orjson.OPT_INDENT_2) + b"\n")


def match_lines(matches: pl.DataFrame) -> pl.DataFrame:
    """The public shape of matches.jsonl."""
    return matches.select(
        "sloid",
        osm_node_id="osm_id",
        match_type="match_type",
        distance_m="distance_m",
        confidence="confidence",
    )
