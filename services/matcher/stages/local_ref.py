"""Stage local_ref: within 50 m, local_ref equals designation, and the closest one wins."""

from __future__ import annotations

import polars as pl

from matcher.assignment import mutual_best
from matcher.context import Context
from matcher.stages.candidates import local_ref_agrees, near, with_evidence


def run(ctx: Context) -> None:
    """Closest agreeing target per stop, when that stop is also the target's closest."""
    edges = near(ctx, ctx.profile.local_ref_max_m).filter(local_ref_agrees().fill_null(False))
    chosen = mutual_best(edges, "dist", higher_is_better=False)
    ctx.accept(with_evidence(chosen, "local_ref", local_ref=pl.col("local_ref")))
