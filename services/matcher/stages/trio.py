"""Stage trio: the 2 official stops of a trio UIC take the 2 sides by minimum total distance."""

from __future__ import annotations

import polars as pl

from matcher.context import Context
from matcher.stages.candidates import keyed, suspect_targets, with_evidence


def run(ctx: Context) -> None:
    """Assign each trio's two official stops to its two sides."""
    sides = ctx.open_targets.filter(pl.col("unit_kind") == "trio").select("target_id", "uic")
    edges = keyed(ctx, "uic", "uic", sides)
    # A trio standing on another UIC's stop carries a copied uic_ref: leave it to later stages.
    edges = edges.join(suspect_targets(ctx, edges), on="target_id", how="anti")
    # Exactly two open stops and two open sides, else the trio is left to the later stages.
    edges = edges.filter(
        (pl.col("sloid").n_unique().over("uic") == 2) & (pl.col("target_id").n_unique().over("uic") == 2)
    )
    edges = edges.with_columns(
        ai=pl.col("sloid").rank("dense").over("uic"),
        ti=pl.col("target_id").rank("dense").over("uic"),
    ).with_columns(straight=pl.col("ai") == pl.col("ti"))
    totals = edges.group_by("uic").agg(
        straight_cost=pl.col("dist").filter(pl.col("straight")).sum(),
        crossed_cost=pl.col("dist").filter(~pl.col("straight")).sum(),
    )
    edges = edges.join(totals, on="uic").filter(
        pl.col("straight") == (pl.col("straight_cost") <= pl.col("crossed_cost"))
    )
    ctx.accept(
        with_evidence(
            edges,
            "trio",
            uic=pl.col("uic"),
            total_m=pl.min_horizontal("straight_cost", "crossed_cost").round(2),
        )
    )
