"""Stage route: shared (GTFS route, direction) tokens between a stop and a nearby OSM target."""

from __future__ import annotations

import polars as pl

from matcher.assignment import mutual_best
from matcher.context import Context
from matcher.stages.candidates import near, nearer_stop_elsewhere, with_evidence


def run(ctx: Context) -> None:
    """Keep an edge only when its token overlap is the unique best at both ends."""
    stop_tok, target_tok = ctx.routes.get("stop_tokens"), ctx.routes.get("target_tokens")
    if stop_tok is None or target_tok is None or stop_tok.is_empty() or target_tok.is_empty():
        return
    edges = (
        near(ctx, ctx.profile.route_max_m)
        .filter(~nearer_stop_elsewhere(ctx))
        .select("sloid", "target_id", "dist", "designation", "local_ref")
    )
    shared = (
        edges.select("sloid", "target_id")
        .join(stop_tok, on="sloid")
        .join(target_tok.drop("kind"), on=["target_id", "tid"])
    )
    overlap = shared.group_by("sloid", "target_id").agg(
        by_dir=(pl.col("kind") == "dir").sum(), by_head=(pl.col("kind") == "head").sum()
    )
    # Direction-name membership only counts where no (route, direction) token is shared.
    scored = (
        edges.join(overlap, on=["sloid", "target_id"])
        .with_columns(
            score=pl.when(pl.col("by_dir") > 0)
            .then(pl.col("by_dir").cast(pl.Float64))
            .otherwise(pl.col("by_head") * 0.5)
        )
        .filter(pl.col("score") > 0)
    )
    chosen = mutual_best(scored, "score", higher_is_better=True)
    ctx.accept(with_evidence(chosen, "route", shared_dir=pl.col("by_dir"), shared_head=pl.col("by_head")))
