"""Confidence (0-1) of a match, from its stage, its evidence and its distance."""

from __future__ import annotations

import polars as pl

# Base confidence per stage: how often that stage is right on the generator's truth, rounded
# down; identity keys (manual, uic_ref, names) rank above pure geometry.
BASE = {
    "manual": 1.0,
    "exact": 0.97,
    "trio": 0.96,
    "name": 0.93,
    "route": 0.9,
    "proximity": 0.88,
    "local_ref": 0.88,
    "nearest": 0.8,
    "normalized_name": 0.8,
}
# Metres at which the distance penalty reaches its maximum, and that maximum.
DECAY_M = 150.0
MAX_PENALTY = 0.25


def confidence() -> pl.Expr:
    """Stage base, lowered for a propagated duplicate and with distance, clipped to [0, 1]."""
    base = pl.col("match_type").replace_strict(BASE, default=0.5, return_dtype=pl.Float64)
    decay = (pl.col("distance_m") / DECAY_M).clip(0.0, 1.0) * MAX_PENALTY
    manual = pl.col("match_type") == "manual"
    propagated = pl.col("evidence").str.contains('"propagated_from"')
    value = base - pl.when(manual).then(0.0).otherwise(decay) - pl.when(propagated).then(0.05).otherwise(0.0)
    return value.clip(0.0, 1.0).round(3)
