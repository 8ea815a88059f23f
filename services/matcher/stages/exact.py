"""Stage exact: the official UIC equals the OSM uic_ref (a unit inherits it from any member)."""

from __future__ import annotations

import polars as pl

from matcher import spatial
from matcher.assignment import mutual_best, unique_pairs
from matcher.context import Context
from matcher.stages.candidates import (
    keyed,
    local_ref_agrees,
    local_ref_contradicts,
    suspect_targets,
    with_evidence,
)


def run(ctx: Context) -> None:
    """1:N and N:1 share a unit when nothing contradicts; N:M pairs only through local_ref."""
    edges = keyed(ctx, "uic", "uic", ctx.open_targets.filter(pl.col("uic").is_not_null()))
    # A uic_ref far from every platform of that UIC is a wrong tag, not evidence.
    edges = edges.filter(pl.col("dist") <= ctx.profile.exact_max_m)
    edges = edges.join(suspect_targets(ctx, edges), on="target_id", how="anti").with_columns(
        n_stops=pl.col("sloid").n_unique().over("uic"), n_targets=pl.col("target_id").n_unique().over("uic")
    )
    one_stop = edges.filter(pl.col("n_stops") == 1).filter(~local_ref_contradicts())
    one_unit = shared_unit(ctx, edges.filter((pl.col("n_targets") == 1) & (pl.col("n_stops") > 1)))
    many = edges.filter((pl.col("n_stops") > 1) & (pl.col("n_targets") > 1))
    by_ref = unique_pairs(many.filter(local_ref_agrees().fill_null(False)))
    ctx.accept(
        pl.concat(
            [
                with_evidence(
                    pl.concat([one_stop, one_unit]),
                    "exact",
                    uic=pl.col("uic"),
                    stops=pl.col("n_stops"),
                    units=pl.col("n_targets"),
                ),
                with_evidence(
                    by_ref,
                    "exact",
                    uic=pl.col("uic"),
                    stops=pl.col("n_stops"),
                    units=pl.col("n_targets"),
                    local_ref=pl.col("local_ref"),
                ),
            ]
        )
    )


def shared_unit(ctx: Context, edges: pl.DataFrame) -> pl.DataFrame:
    """One unit for N stops: its local_ref picks one stop; else the stops it may serve."""
    by_ref = edges.filter(local_ref_agrees().fill_null(False))
    if not by_ref.is_empty():
        edges = edges.filter(~pl.col("uic").is_in(by_ref["uic"].implode()))
    edges = edges.filter(~local_ref_contradicts())
    if ctx.profile.exact_shared_unit_all:
        # The reference's rule, guarded: a stop with an element of its own closer by keeps it.
        nearest = spatial.nearest_distance(spatial.xy_of(ctx.open_atlas), spatial.xy_of(ctx.open_targets))
        closest = ctx.open_atlas.select("sloid", nearest=pl.Series(nearest))
        served = (
            edges.join(closest, on="sloid").filter(pl.col("dist") <= pl.col("nearest") + 0.01).drop("nearest")
        )
    else:
        served = mutual_best(edges, "dist", higher_is_better=False)
    return pl.concat([unique_pairs(by_ref), served])
