"""Stage manual: users' decisions, applied first and never overridden by a later stage."""

from __future__ import annotations

import polars as pl

from matcher.context import Context
from matcher.stages.candidates import with_evidence


def run(ctx: Context, manual: pl.DataFrame | None) -> None:
    """Vetoes become forbidden pairs; confirmed pairs close their stop and target."""
    if manual is None or manual.is_empty():
        return
    by_target = manual.join(ctx.members.select("osm_id", "target_id"), on="osm_id")
    veto = by_target.filter(pl.col("action") == "unmatch").select("sloid", "target_id")
    ctx.forbidden = pl.concat([ctx.forbidden, veto]).unique()
    confirmed = (
        by_target.filter(pl.col("action") == "match")
        .join(ctx.open_atlas.select("sloid", "x", "y"), on="sloid")
        .join(ctx.targets.select("target_id", tx="x", ty="y"), on="target_id")
    )
    confirmed = confirmed.with_columns(
        dist=((pl.col("x") - pl.col("tx")) ** 2 + (pl.col("y") - pl.col("ty")) ** 2).sqrt()
    )
    ctx.accept(with_evidence(confirmed.unique(["sloid", "target_id"]), "manual", osm_id=pl.col("osm_id")))
