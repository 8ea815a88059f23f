"""Official stops for the generic profile: GTFS stops.txt in the atlas_stops frame shape."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl
from preprocess.atlas import ATLAS_SCHEMA

# The same frame contract as ATLAS (docs/architecture.md), so the engine needs no branch.
ATLAS_COLUMNS = ATLAS_SCHEMA


def read_stops_txt(path: Path) -> pl.DataFrame:
    """stops.txt from a GTFS zip or a bare file, every column as text."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            name = next(n for n in zf.namelist() if n.rsplit("/", 1)[-1] == "stops.txt")
            data = zf.read(name)
    else:
        data = Path(path).read_bytes()
    return pl.read_csv(io.BytesIO(data.removeprefix(b"\xef\xbb\xbf")), infer_schema=False)


def gtfs_official_stops(path: Path) -> pl.DataFrame:
    """Boarding points of a GTFS feed (location_type 0 or empty) as official stops."""
    stops = read_stops_txt(path)
    for col in ("location_type", "platform_code", "parent_station"):
        if col not in stops.columns:
            stops = stops.with_columns(pl.lit(None, pl.String).alias(col))
    boarding = stops.filter(pl.col("location_type").fill_null("0").is_in(["0", ""]))
    return (
        boarding.select(
            sloid=pl.col("stop_id"),
            # Swiss-style feeds carry the UIC as the stop_id's numeric head ("8503000:0:3").
            uic=pl.col("stop_id").str.extract(r"^(\d{7})", 1).cast(pl.Int64, strict=False),
            designation=pl.col("platform_code"),
            designation_official=pl.col("stop_name"),
            lon=pl.col("stop_lon").cast(pl.Float64),
            lat=pl.col("stop_lat").cast(pl.Float64),
            operator=pl.lit(None, pl.String),
            operator_number=pl.lit(None, pl.String),
            parent_sloid=pl.col("parent_station"),
            duplicate_group=pl.lit(None, pl.Int64),
        )
        .drop_nulls(["lon", "lat"])
        .cast(ATLAS_COLUMNS)
        .sort("sloid")
    )
