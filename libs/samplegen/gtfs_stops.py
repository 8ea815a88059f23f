"""GTFS stops in the Swiss feed's shape: Parent<uic> stations, <uic>:0:<platform> quays."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen import geo
from samplegen.towns import FOREIGN

_FOREIGN_STOPS = 300  # at scale 1: cross-border stops of the feed that ATLAS (CH) lacks


def _platform_stop_ids(p: pl.DataFrame) -> pl.Series:
    """8503000:0:7 for a designated platform, 8503000 for a lone one, 8503000:0:<n> otherwise."""
    uic = p["uic"].cast(pl.Utf8)
    return (
        p.select(
            pl.when(pl.col("designation") != "")
            .then(pl.format("{}:0:{}", uic, "designation"))
            # a lone quay takes the bare number, unless its parent already does
            .when((pl.col("n") == 1) & (pl.col("parent_id") != uic))
            .then(uic)
            .otherwise(pl.format("{}:0:{}", uic, pl.col("k") + 1))
        )
        .to_series()
        .alias("stop_id")
    )


def platform_stops(p: pl.DataFrame, used: np.ndarray, rng) -> pl.DataFrame:
    """One GTFS stop per platform the feed knows (all that trips use, most of the others)."""
    n = p.height
    keep = used | (rng.random(n) < 0.9)
    # most quays sit exactly on the registry point (resolvable within 0.5 m), some metres off
    moved = rng.random(n) < np.where(p["kind"].to_numpy() == "rail", 0.3, 0.15)
    lat, lon = geo.polar_offset(
        p["lat"].to_numpy(),
        p["lon"].to_numpy(),
        np.where(moved, 1 + rng.random(n) * 4, 0.0),
        rng.random(n) * 2 * np.pi,
    )
    return pl.DataFrame(
        {
            "pl_id": p["pl_id"].cast(pl.Int64),
            "stop_id": _platform_stop_ids(p),
            "stop_name": p["name"],
            "stop_lat": np.round(lat, 6),
            "stop_lon": np.round(lon, 6),
            "location_type": pl.Series([None] * n, dtype=pl.Utf8),
            "parent_station": p["parent_id"],
            "platform_code": p["designation"].replace("", None),
            "original_stop_id": p["sloid"].set(pl.Series(rng.random(n) >= 0.55), None),
        }
    ).filter(pl.Series(keep))


def parent_ids(sp: pl.DataFrame, rng) -> pl.Series:
    """Parent8503000 for most stations, the bare 8503000 for some (the feed has both forms)."""
    plain = pl.Series(rng.random(sp.height) < 0.25)
    uic = sp["uic"].cast(pl.Utf8)
    return pl.select(pl.when(plain).then(uic).otherwise("Parent" + uic)).to_series().alias("parent_id")


def parent_stops(sp: pl.DataFrame) -> pl.DataFrame:
    """Station rows (location_type 1) at each stop place's centre (sp carries parent_id)."""
    return pl.DataFrame(
        {
            "pl_id": pl.Series([None] * sp.height, dtype=pl.Int64),
            "stop_id": sp["parent_id"],
            "stop_name": sp["name"],
            "stop_lat": sp["lat"].round(6),
            "stop_lon": sp["lon"].round(6),
            "location_type": pl.Series(["1"] * sp.height, dtype=pl.Utf8),
            "parent_station": pl.Series([None] * sp.height, dtype=pl.Utf8),
            "platform_code": pl.Series([None] * sp.height, dtype=pl.Utf8),
            "original_stop_id": pl.Series([None] * sp.height, dtype=pl.Utf8),
        }
    )


def foreign_stops(scale: float, rng) -> pl.DataFrame:
    """Stops abroad that the Swiss feed serves (no ATLAS counterpart after filtering)."""
    n = max(1, round(_FOREIGN_STOPS * scale))
    city = rng.integers(0, len(FOREIGN), n)
    anchor = np.array([(c[1], c[2], c[3]) for c in FOREIGN])[city]
    lat, lon = geo.polar_offset(anchor[:, 0], anchor[:, 1], rng.random(n) * 5000, rng.random(n) * 2 * np.pi)
    number = anchor[:, 2].astype(np.int64) * 100_000 + 50_000 + np.arange(n)
    return pl.DataFrame(
        {
            "pl_id": pl.Series([None] * n, dtype=pl.Int64),
            "stop_id": number.astype(str),
            "stop_name": [f"{FOREIGN[c][0]}, Halt {i + 1}" for i, c in enumerate(city)],
            "stop_lat": np.round(lat, 6),
            "stop_lon": np.round(lon, 6),
            "location_type": pl.Series([None] * n, dtype=pl.Utf8),
            "parent_station": pl.Series([None] * n, dtype=pl.Utf8),
            "platform_code": pl.Series([None] * n, dtype=pl.Utf8),
            "original_stop_id": pl.Series([None] * n, dtype=pl.Utf8),
        }
    )


def build_stops(p: pl.DataFrame, sp: pl.DataFrame, used_pl: np.ndarray, scale: float, rng) -> pl.DataFrame:
    """stops.txt rows (plus pl_id linking quays back to platforms)."""
    used = np.zeros(p.height, dtype=bool)
    used[used_pl] = True
    sp = sp.with_columns(parent_ids(sp, rng))
    named = p.join(sp.select("sp_id", "name", "parent_id"), on="sp_id", how="left", maintain_order="left")
    return pl.concat([parent_stops(sp), platform_stops(named, used, rng), foreign_stops(scale, rng)]).sort(
        "stop_id"
    )
