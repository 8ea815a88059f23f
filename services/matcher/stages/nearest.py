"""Stage nearest: a lone candidate within 50 m, then a clear ratio winner, then lone again."""

from __future__ import annotations

import polars as pl

from matcher.context import Context
from matcher.stages.candidates import (
    local_ref_contradicts,
    near,
    nearer_stop_elsewhere,
    with_evidence,
)


def _candidates(ctx: Context) -> pl.DataFrame:
    """Open pairs within the radius, minus those whose local_ref contradicts the designation,
    and minus lone stop_positions where the stop also has a platform-like candidate."""
    edges = near(ctx, ctx.profile.nearest_max_m).filter(
        ~local_ref_contradicts() & ~nearer_stop_elsewhere(ctx)
    )
    # A lone stop_position on the road is often shared by the platforms on both sides: it
    # should not make a stop's own platform look ambiguous.
    lone = (pl.col("unit_kind") == "single") & (pl.col("rep_kind") == "stop_position")
    return edges.filter(~lone | lone.all().over("sloid"))


def _one_claim(edges: pl.DataFrame) -> pl.DataFrame:
    """Drop targets claimed by more than one stop: a tie is left unmatched."""
    return edges.filter(pl.len().over("target_id") == 1)


def single(ctx: Context) -> None:
    """Stops with exactly one candidate target."""
    edges = _candidates(ctx).filter(pl.len().over("sloid") == 1)
    ctx.accept(with_evidence(_one_claim(edges), "nearest", rule=pl.lit("single")))


def ratio(ctx: Context) -> None:
    """The closest target wins when the runner-up is >= 10 m and >= 4x as far."""
    p = ctx.profile
    ranked = (
        _candidates(ctx)
        .sort("sloid", "dist", "target_id")
        .with_columns(
            d2=pl.col("dist").get(1, null_on_oob=True).over("sloid").fill_null(float("inf")),
            first=pl.int_range(pl.len()).over("sloid") == 0,
        )
    )
    edges = ranked.filter(
        pl.col("first")
        & (pl.col("d2") >= p.nearest_ratio_min_d2_m)
        & (pl.col("d2") >= p.nearest_ratio * pl.col("dist"))
    )
    ctx.accept(with_evidence(_one_claim(edges), "nearest", rule=pl.lit("ratio"), d2_m=pl.col("d2").round(2)))


def run(ctx: Context) -> None:
    """Single, ratio, single: each pass sees what the previous one left open."""
    single(ctx)
    ratio(ctx)
    single(ctx)
