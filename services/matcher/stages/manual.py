"""Stage manual: users' decisions, applied first and never overridden by a later stage."""

from __future__ import annotations

import polars as pl

from matcher.context import Context
from matcher.stages.candidates import with_evidence


def run(ctx: Context, manual: pl.DataFrame | None) -> None:
    """Vetoes become forbidden pairs; confirmed pairs are kept as given (element by element)
    and close their stop and that element's target to every later stage."""
    if manual is None or manual.is_empty():
        return
    by_target = manual.join(ctx.members.select("osm_id", "target_id"), on="osm_id")
    veto = by_target.filter(pl.col("action") == "unmatch").select("sloid", "target_id")
    ctx.forbidden = pl.concat([ctx.forbidden, veto]).unique()
    # Any official stop may be confirmed, a registry duplicate included.
    confirmed = (
        by_target.filter(pl.col("action") == "match")
        .join(ctx.all_atlas.select("sloid", "x", "y"), on="sloid")
        .join(ctx.targets.select("target_id", tx="x", ty="y"), on="target_id")
        .unique(["sloid", "osm_id"])
        .with_columns(dist=((pl.col("x") - pl.col("tx")) ** 2 + (pl.col("y") - pl.col("ty")) ** 2).sqrt())
    )
    rows = with_evidence(confirmed, "manual", osm_id=pl.col("osm_id"))
    ctx.direct.append(rows.select("sloid", "osm_id", "match_type", "evidence"))
    ctx.close(confirmed["sloid"], confirmed["target_id"])
