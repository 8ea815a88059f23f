"""GTFS stop ids -> UIC and platform, and the four-step resolution of each stop to a sloid."""

from __future__ import annotations

import polars as pl

from preprocess.validate import blank_to_null

# The resolution steps in order, with the confidence each one earns.
METHODS = (
    ("original_stop_id", 1.0),  # the feed names the sloid itself
    ("uic_platform", 0.95),  # same UIC and the same normalized platform
    ("uic_distance", 0.9),  # same UIC, within 0.5 m, one-to-one
    ("uic_single", 0.7),  # the UIC has only one sloid: nothing else it could be
)
SAME_PLACE_METRES = 0.5
EARTH_RADIUS_M = 6_371_008.8
SLOID_UIC = r"^ch:1:sloid:(\d+)"


def parse_stop_ids(stops: pl.DataFrame) -> pl.DataFrame:
    """Swiss ids: `8503000:0:1` is UIC 8503000 platform 1; `platform_code` wins when given."""
    swiss_id = pl.coalesce(
        pl.col("original_stop_id").str.extract(r"^(?:Parent)?(\d{7})", 1),
        pl.col("stop_id").str.extract(r"^(?:Parent)?(\d{7})", 1),
    )
    from_sloid = pl.col("original_stop_id").str.extract(SLOID_UIC, 1).cast(pl.Int64, strict=False)
    platform = pl.coalesce(
        blank_to_null(pl.col("platform_code")),
        blank_to_null(pl.col("stop_id").str.split(":").list.get(2, null_on_oob=True)),
    )
    return stops.with_columns(
        pl.coalesce(swiss_id.cast(pl.Int64, strict=False), from_sloid + 8_500_000).alias("uic"),
        platform.alias("platform"),
    )


def normalize_platform(expr: pl.Expr) -> pl.Expr:
    """Compare platforms case- and space-blind, and without leading zeros (`01` == `1`)."""
    return expr.str.to_uppercase().str.replace_all(r"\s+", "").str.replace(r"^0+(\d)", "$1")


def resolve_sloids(stops: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """Add sloid, resolve_method and confidence; parent stations are never resolved."""
    candidates = stops.filter(pl.col("location_type").fill_null("0").is_in(["0", ""]))
    found = pl.DataFrame(schema={"stop_id": pl.String, "sloid": pl.String, "step": pl.Int32})
    for step, finder in enumerate((_by_original_id, _by_platform, _by_distance, _by_single_uic)):
        open_stops = candidates.join(found, on="stop_id", how="anti")
        hits = finder(open_stops, atlas).unique("stop_id", keep="any")
        found = pl.concat([found, hits.select("stop_id", "sloid", pl.lit(step, pl.Int32).alias("step"))])
    methods = pl.DataFrame(
        {
            "step": list(range(len(METHODS))),
            "resolve_method": [m for m, _ in METHODS],
            "confidence": [c for _, c in METHODS],
        },
        schema={"step": pl.Int32, "resolve_method": pl.String, "confidence": pl.Float64},
    )
    return (
        stops.join(found.join(methods, on="step"), on="stop_id", how="left")
        .with_columns(pl.col("confidence").fill_null(0.0))
        .drop("step")
    )


def _by_original_id(stops: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """original_stop_id is itself a known sloid."""
    return stops.join(
        atlas.select("sloid"), left_on="original_stop_id", right_on="sloid", how="inner"
    ).with_columns(pl.col("original_stop_id").alias("sloid"))


def _by_platform(stops: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """Same UIC and normalized platform, where ATLAS has exactly one such sloid."""
    keyed = (
        atlas.filter(pl.col("designation").is_not_null())
        .with_columns(normalize_platform(pl.col("designation")).alias("pkey"))
        .filter(pl.len().over("uic", "pkey") == 1)
    )
    return (
        stops.filter(pl.col("platform").is_not_null())
        .with_columns(normalize_platform(pl.col("platform")).alias("pkey"))
        .join(keyed.select("uic", "pkey", "sloid"), on=["uic", "pkey"], how="inner")
    )


def _by_distance(stops: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """Same UIC within half a metre, kept only where the pairing is one-to-one."""
    pairs = stops.select("stop_id", "uic", "lon", "lat").join(
        atlas.select("sloid", "uic", pl.col("lon").alias("a_lon"), pl.col("lat").alias("a_lat")),
        on="uic",
        how="inner",
    )
    # Equirectangular distance: exact enough at half a metre.
    mean_lat = ((pl.col("lat") + pl.col("a_lat")) / 2).radians()
    dx = (pl.col("lon") - pl.col("a_lon")).radians() * mean_lat.cos()
    dy = (pl.col("lat") - pl.col("a_lat")).radians()
    close = pairs.filter(((dx**2 + dy**2).sqrt() * EARTH_RADIUS_M) <= SAME_PLACE_METRES)
    return close.filter((pl.len().over("stop_id") == 1) & (pl.len().over("sloid") == 1)).select(
        "stop_id", "sloid"
    )


def _by_single_uic(stops: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """The UIC has one sloid only."""
    single = atlas.filter(pl.len().over("uic") == 1).select("uic", "sloid")
    return stops.join(single, on="uic", how="inner")
