"""GTFS itineraries and trips: stop patterns per line direction, short turns, departure times."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

_DEFAULT_TRIPS = (3, 9)  # trips per main pattern when no --gtfs-trips is given
_SHORT_TURN_SHARE = 0.3  # lines that also run a pattern ending two stops early


@dataclass(frozen=True)
class Patterns:
    """Flat itinerary arrays: pattern i covers stop codes [offset[i], offset[i] + length[i])."""

    table: pl.DataFrame  # pattern_id, line_id, direction, variant, route_id, headsign, weight
    offset: np.ndarray
    length: np.ndarray
    stop_code: np.ndarray  # index into the stops.txt frame
    elapsed: np.ndarray  # seconds from the first stop


def build_patterns(
    stops: pl.DataFrame, route_ids: pl.Series, stop_index: pl.DataFrame, headsigns: pl.Series, rng
) -> Patterns:
    """Main pattern per line direction, plus short turns for some lines."""
    # stop_index: pl_id -> row of the quay in stops.txt (every platform a trip uses has one)
    seq = stops.join(stop_index, on="pl_id", how="left", maintain_order="left")
    if seq["code"].null_count():
        raise ValueError("a line stops at a platform that stops.txt lacks")
    main = seq.group_by("line_id", "direction", maintain_order=True).agg("code", "sp_id")
    short_lines = rng.random(int(main["line_id"].max() or 0) + 1) < _SHORT_TURN_SHARE
    is_short = short_lines[main["line_id"].to_numpy()] & (main["code"].list.len() >= 6).to_numpy()
    short = main.filter(pl.Series(is_short)).with_columns(
        pl.col("code").list.head(pl.col("code").list.len() - 2),
        pl.col("sp_id").list.head(pl.col("sp_id").list.len() - 2),
    )
    pats = pl.concat(
        [
            main.with_columns(variant=pl.lit(0), weight=pl.lit(1.0)),
            short.with_columns(variant=pl.lit(1), weight=pl.lit(0.25)),
        ]
    )
    pats = pats.sort("line_id", "direction", "variant").with_row_index("pattern_id")
    pats = pats.with_columns(
        route_id=route_ids.gather(pats["line_id"]), headsign=headsigns.gather(pats["sp_id"].list.last())
    )
    length = pats["code"].list.len().to_numpy().astype(np.int64)
    codes = pats["code"].explode().to_numpy()
    # 1-4 minutes between stops, the same for every trip of a pattern
    hops = rng.integers(60, 241, len(codes))
    offset = np.cumsum(length) - length
    hops[offset] = 0
    elapsed = np.cumsum(hops) - np.repeat(np.cumsum(hops)[offset], length)
    return Patterns(pats.drop("code", "sp_id"), offset, length, codes, elapsed)


def trip_counts(patterns: Patterns, total: int | None, rng) -> np.ndarray:
    """Trips per pattern: a few each by default, or `total` spread by pattern weight."""
    weight = patterns.table["weight"].to_numpy()
    if total is None:
        base = rng.integers(*_DEFAULT_TRIPS, len(weight))
        return np.maximum(1, np.round(base * weight)).astype(np.int64)
    return rng.multinomial(total, weight / weight.sum())


def trip_frame(patterns: Patterns, counts: np.ndarray, rng) -> pl.DataFrame:
    """One row per trip: pattern, number within the pattern, start second, service."""
    pattern = np.repeat(np.arange(len(counts)), counts)
    number = np.arange(len(pattern)) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    start = 5 * 3600 + rng.integers(0, 19 * 3600, len(pattern))  # 05:00 to midnight
    service = rng.integers(0, 3, len(pattern))
    return pl.DataFrame({"pattern": pattern, "number": number, "start": start, "service": service})
