"""Stages name and normalized_name: official name against OSM name, uic_name or gtfs:name."""

from __future__ import annotations

import polars as pl

from matcher.assignment import unique_pairs
from matcher.context import Context
from matcher.names import name_keys
from matcher.stages.candidates import (
    keyed,
    local_ref_agrees,
    nearer_stop_elsewhere,
    with_evidence,
)


def run(ctx: Context) -> None:
    """Exact string equality; ties broken by local_ref = designation, else left."""
    edges = keyed(ctx, "designation_official", "name", ctx.target_names).filter(~nearer_stop_elsewhere(ctx))
    if ctx.profile.name_max_m is not None:
        edges = edges.filter(pl.col("dist") <= ctx.profile.name_max_m)
    chosen = unique_pairs(edges, tiebreak=local_ref_agrees())
    ctx.accept(with_evidence(chosen, "name", name=pl.col("designation_official")))


def run_normalized(ctx: Context) -> None:
    """Normalized names (case, diacritics, locality prefix, abbreviations), bounded by distance."""
    stop_keys = name_keys(ctx.open_atlas, "sloid", ["designation_official"])
    target_keys = name_keys(
        ctx.target_names.filter(pl.col("target_id").is_in(ctx.open_targets["target_id"].implode())),
        "target_id",
        ["name"],
    )
    # Only when both sides spell the locality does a match count as the full name; a bare
    # "Rathaus" or "Friedhof" exists in every town, so it gets the shorter radius.
    pairs = (
        stop_keys.join(target_keys, on="key")
        .group_by("sloid", "target_id")
        .agg(
            key=pl.col("key")
            .sort_by(pl.col("full") & pl.col("full_right"), "key", descending=[True, False])
            .first(),
            full=(pl.col("full") & pl.col("full_right")).any(),
        )
    )
    p = ctx.profile
    edges = keyed(ctx, "sloid", "sloid", pairs).join(pairs, on=["sloid", "target_id"])
    edges = edges.filter(
        pl.col("dist")
        <= pl.when(pl.col("full")).then(p.normalized_name_max_m).otherwise(p.normalized_name_local_max_m)
    )
    edges = edges.filter(~nearer_stop_elsewhere(ctx))
    chosen = unique_pairs(edges, tiebreak=local_ref_agrees())
    ctx.accept(with_evidence(chosen, "normalized_name", key=pl.col("key")))
