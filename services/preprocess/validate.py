"""Row-level checks shared by the CSV sources: the first bad value fails the run, with its row."""

from __future__ import annotations

import polars as pl

from preprocess.errors import SourceError


def check_coordinate(
    frame: pl.DataFrame, source: str, file: str, text: str, number: str, low: float, high: float
) -> None:
    """A present but non-numeric or out-of-range value in `text` (parsed into `number`) fails."""
    present = pl.col(text).is_not_null() & (pl.col(text).str.strip_chars() != "")
    non_numeric = frame.filter(present & pl.col(number).is_null())
    if non_numeric.height:
        row = non_numeric.row(0, named=True)
        raise SourceError(source, file, f"non-numeric {text} {row[text]!r}", int(row["row"]))
    out = frame.filter(pl.col(number).is_not_nan() & ~pl.col(number).is_between(low, high))
    if out.height:
        row = out.row(0, named=True)
        raise SourceError(source, file, f"out-of-range {text} {row[text]!r}", int(row["row"]))


def parse_lon_lat(frame: pl.DataFrame, source: str, file: str, lon: str, lat: str) -> pl.DataFrame:
    """Add Float64 `lon`/`lat` from text columns; needs a `row` column for the error message."""
    frame = frame.with_columns(
        pl.col(lon).str.strip_chars().cast(pl.Float64, strict=False).alias("lon"),
        pl.col(lat).str.strip_chars().cast(pl.Float64, strict=False).alias("lat"),
    )
    check_coordinate(frame, source, file, lon, "lon", -180, 180)
    check_coordinate(frame, source, file, lat, "lat", -90, 90)
    return frame


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Strip text; empty or blank text becomes null."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)
