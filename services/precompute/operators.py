"""Operator names: the editable alias table and normalisation for comparing both sides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import orjson
import polars as pl

# The editable default table lives with the repository's data, next to the sample data.
DEFAULT_ALIASES_PATH = Path(__file__).resolve().parents[2] / "data" / "operator_aliases.json"

# The canonical abbreviation of the national railway: its stops are capped at P3 for distance.
SBB = "sbb"


def operator_key(name: str | None) -> str | None:
    """Fold one operator name the same way `normalize_operator` does, before alias lookup."""
    if name is None:
        return None
    folded = " ".join(name.split()).lower()
    return folded or None


def load_aliases(path: Path | str | None = None) -> dict[str, str]:
    """Read an alias table (JSON object alias -> canonical); keys starting with `_` are notes."""
    raw = orjson.loads(Path(path or DEFAULT_ALIASES_PATH).read_bytes())
    if not isinstance(raw, dict):
        raise ValueError("operator alias table must be a JSON object")
    return {str(k): str(v) for k, v in raw.items() if not str(k).startswith("_")}


def folded_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    """Fold both sides of an alias table so that lookups ignore case and spacing."""
    table: dict[str, str] = {}
    for alias, canonical in aliases.items():
        key, value = operator_key(alias), operator_key(canonical)
        if key and value:
            table[key] = value
    return table


def normalize_operator(expr: pl.Expr, aliases: Mapping[str, str]) -> pl.Expr:
    """Casefold, collapse spaces and map aliases to their canonical (folded) operator name."""
    folded = expr.cast(pl.String).str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()
    # An empty string carries no operator: treat it like a missing value.
    folded = pl.when(folded == "").then(None).otherwise(folded)
    table = folded_aliases(aliases)
    if not table:
        return folded
    return folded.replace(table)
