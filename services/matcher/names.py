"""Name normalisation: case, diacritics, whitespace, locality prefixes and abbreviations."""

from __future__ import annotations

import polars as pl

# Word-level replacements applied after lower-casing and stripping diacritics. Station words in
# the four national languages collapse to one token so "Gare" and "Bahnhof" compare equal.
_WORDS = {
    r"bhf|bf|bahnhof|gare|stazione|staz|stn|station": "bahnhof",
    r"hbf|hb|hauptbahnhof": "hauptbahnhof",
    r"st|sankt|saint|san": "sankt",
    r"ste|sainte|santa": "sainte",
    r"str|strasse": "strasse",
    r"pl|platz": "platz",
    r"av|ave|avenue": "avenue",
}


def normalize(expr: pl.Expr) -> pl.Expr:
    """A comparable name: lower case, no diacritics, punctuation as spaces, abbreviations expanded."""
    e = expr.str.to_lowercase().str.replace_all("ß", "ss").str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    e = e.str.replace_all(r"[.,;:\-/'’`()\"]", " ")
    # "Bahnhofstr." -> "bahnhofstrasse": the suffix form is glued to its word in German.
    e = e.str.replace_all(r"(\w)str\b", "${1}strasse")
    for pattern, word in _WORDS.items():
        e = e.str.replace_all(rf"\b(?:{pattern})\b", word)
    # German transliterated umlauts ("Zuerich") fold like the accented form ("Zürich" -> "zurich").
    e = e.str.replace_all("ue", "u").str.replace_all("oe", "o").str.replace_all("ae", "a")
    return e.str.replace_all(r"\s+", " ").str.strip_chars()


def without_locality(expr: pl.Expr) -> pl.Expr:
    """The part after the locality prefix ("Zürich, Paradeplatz" -> "Paradeplatz"), else null."""
    return pl.when(expr.str.contains(",")).then(expr.str.replace(r"^[^,]*,\s*", "")).otherwise(None)


def name_keys(frame: pl.DataFrame, id_col: str, name_cols: list[str]) -> pl.DataFrame:
    """Long frame (id, key, full) of every normalized name (full) and locality-free variant."""
    parts = []
    for col in name_cols:
        raw = pl.col(col)
        for key, full in ((normalize(raw), True), (normalize(without_locality(raw)), False)):
            parts.append(frame.select(pl.col(id_col), key.alias("key"), full=pl.lit(full)))
    keys = pl.concat(parts).drop_nulls("key")
    return keys.filter(pl.col("key") != "").unique()


def same_text(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """Case-insensitive, trimmed equality of two nullable text columns (null never equals)."""
    return left.str.strip_chars().str.to_lowercase() == right.str.strip_chars().str.to_lowercase()
