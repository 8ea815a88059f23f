"""ATLAS traffic-point rows: the kept platforms, registry duplicates, and rows the filters drop."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen import geo
from samplegen.operators import foreign_operator
from samplegen.towns import FOREIGN

_DUPLICATE_SHARE = 0.003  # rows repeating another's (number, designation): registry duplicates
_EXPIRED_SHARE = 0.027
_FOREIGN_SHARE = 0.054  # other countries' traffic points, as in the world file
_OUTSIDE_SHARE = 0.006  # Swiss-numbered points that lie abroad


def check_digits(number: np.ndarray) -> np.ndarray:
    """UIC check digit of 7-digit numbers (Luhn: weights 2,1,2,... from the left)."""
    digits = (number[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2])
    total = (prod // 10 + prod % 10).sum(axis=1)
    return (10 - total % 10) % 10


def _dates(rng, n: int, start: str, end: str) -> np.ndarray:
    """Random ISO dates between start and end (inclusive)."""
    lo, hi = np.datetime64(start), np.datetime64(end)
    days = rng.integers(0, (hi - lo).astype(int) + 1, n)
    return (lo + days).astype(str)


def kept_rows(pl_frame: pl.DataFrame, sp: pl.DataFrame) -> pl.DataFrame:
    """One BOARDING_PLATFORM row per platform (the rows that survive the filters)."""
    cols = sp.select(
        "sp_id",
        "name",
        "op_id",
        pl.col("kind").alias("sp_kind"),
        pl.col("lat").alias("sp_lat"),
        pl.col("lon").alias("sp_lon"),
    )
    return pl_frame.join(cols, on="sp_id", how="left").with_columns(
        country=pl.lit(85, pl.Int64),
        valid_to=pl.lit("9999-12-31"),
        element=pl.lit("BOARDING_PLATFORM"),
        truth_pl=pl.col("pl_id").cast(pl.Int64),
    )


def duplicate_rows(kept: pl.DataFrame, rng) -> pl.DataFrame:
    """Registry duplicates: a second sloid with the same number and designation, metres away."""
    cand = kept.filter(pl.col("designation") != "")
    n = min(round(kept.height * _DUPLICATE_SHARE), cand.height)
    dup = cand.sample(n, seed=int(rng.integers(2**31)))
    lat, lon = geo.polar_offset(
        dup["lat"].to_numpy(), dup["lon"].to_numpy(), rng.random(n) * 3, rng.random(n) * 2 * np.pi
    )
    return dup.with_columns(
        sloid=pl.col("sloid").str.replace(r":(\d+)$", ":8${1}"), lat=pl.Series(lat), lon=pl.Series(lon)
    )


def expired_rows(kept: pl.DataFrame, rng) -> pl.DataFrame:
    """Versions that ended in the past: half old versions of live sloids, half retired stops."""
    n = round(kept.height * _EXPIRED_SHARE)
    old = kept.sample(n, seed=int(rng.integers(2**31)))
    retired = rng.random(n) < 0.5
    new_sloid = (
        pl.when(pl.Series(retired))
        .then(pl.col("sloid").str.replace(r":(\d+)$", ":9${1}"))
        .otherwise(pl.col("sloid"))
    )
    return old.with_columns(
        sloid=new_sloid,
        truth_pl=pl.lit(None, pl.Int64),
        valid_to=pl.Series(_dates(rng, n, "2018-12-09", "2024-12-14")),
    )


def area_rows(kept: pl.DataFrame) -> pl.DataFrame:
    """BOARDING_AREA rows: one per station and per bus hub (the parent of its platforms)."""
    hubs = kept.filter((pl.col("k") == 0) & ((pl.col("kind") == "rail") | (pl.col("n") >= 4)))
    return hubs.with_columns(
        sloid=pl.col("sloid").str.replace(r":\d+$", ""),
        designation=pl.lit(""),
        lat=pl.col("sp_lat"),
        lon=pl.col("sp_lon"),
        element=pl.lit("BOARDING_AREA"),
        truth_pl=pl.lit(None, pl.Int64),
    )


def abroad_rows(kept: pl.DataFrame, rng, share: float, swiss: bool) -> pl.DataFrame:
    """Points in Germany, France, Italy or Austria, with their own or (wrongly) Swiss numbers."""
    n = round(kept.height * share)
    city = rng.integers(0, len(FOREIGN), n)
    anchor = np.array([(c[1], c[2], c[3]) for c in FOREIGN])[city]
    lat, lon = geo.polar_offset(anchor[:, 0], anchor[:, 1], rng.random(n) * 6000, rng.random(n) * 2 * np.pi)
    country = np.full(n, 85) if swiss else anchor[:, 2].astype(np.int64)
    # abroad numbers: the country code then 5 digits; Swiss ones in an unused block (8550000+)
    number = np.where(swiss, 8_550_000, country * 100_000) + rng.integers(0, 50_000, n)
    names = np.array([c[0] for c in FOREIGN])[city]
    base = kept.sample(n, seed=int(rng.integers(2**31)), with_replacement=True)
    return base.with_columns(
        uic=pl.Series(number),
        country=pl.Series(country),
        lat=pl.Series(lat),
        lon=pl.Series(lon),
        name=pl.Series(names) + ", Halt " + pl.Series((number % 1000).astype(str)),
        sloid="ch:1:sloid:"
        + pl.Series((number % 100_000).astype(str))
        + ":0:"
        + pl.Series(rng.integers(1, 9999, n).astype(str)),
        designation=pl.lit(""),
        kind=pl.lit("bus"),
        truth_pl=pl.lit(None, pl.Int64),
        op_id=pl.Series(foreign_operator(country), dtype=pl.UInt32),
    )


def all_rows(pl_frame: pl.DataFrame, sp: pl.DataFrame, rng) -> pl.DataFrame:
    """Every ATLAS row of the file, kept and dropped, in file order (by number, then sloid)."""
    kept = kept_rows(pl_frame, sp)
    parts = [
        kept,
        duplicate_rows(kept, rng),
        expired_rows(kept, rng),
        area_rows(kept),
        abroad_rows(kept, rng, _FOREIGN_SHARE, swiss=False),
        abroad_rows(kept, rng, _OUTSIDE_SHARE, swiss=True),
    ]
    cols = [
        "sloid",
        "uic",
        "country",
        "designation",
        "lat",
        "lon",
        "name",
        "op_id",
        "kind",
        "bearing",
        "valid_to",
        "element",
        "truth_pl",
    ]
    rows = pl.concat([p.select(cols) for p in parts], how="vertical_relaxed")
    return rows.unique(subset=["sloid", "valid_to"], keep="first", maintain_order=True).sort(
        "country", "uic", "sloid", "valid_to"
    )
