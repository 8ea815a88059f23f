"""Stage proximity: per UIC, per uic_name and per name, a min-distance bipartite assignment."""

from __future__ import annotations

import polars as pl

from matcher.assignment import assign
from matcher.context import Context
from matcher.stages.candidates import near, nearer_stop_elsewhere, with_evidence


def _keyed_edges(ctx: Context, edges: pl.DataFrame, key: str) -> pl.DataFrame:
    """The edges whose two ends share the given key."""
    if key == "uic":
        return edges.filter(pl.col("uic") == pl.col("target_uic"))
    names = ctx.target_names.filter(pl.col("source") == key).select("target_id", designation_official="name")
    return edges.join(names, on=["target_id", "designation_official"], how="semi")


def run(ctx: Context) -> None:
    """At each radius (50 m, then 150 m), assign within each key group in turn."""
    for radius in ctx.profile.proximity_radii_m:
        for key in ("uic", "uic_name", "name"):
            edges = _keyed_edges(ctx, near(ctx, radius), key).filter(~nearer_stop_elsewhere(ctx))
            chosen = assign(edges.sort("sloid", "target_id"))
            ctx.accept(with_evidence(chosen, "proximity", key=pl.lit(key), radius_m=pl.lit(radius)))
