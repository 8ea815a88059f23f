"""Candidate edges between open stops and open targets, and the evidence column of a stage."""

from __future__ import annotations

import polars as pl

from matcher import spatial
from matcher.context import Context

ATLAS_COLS = ["sloid", "uic", "designation", "designation_official"]
TARGET_COLS = ["target_id", "uic", "local_ref", "near_sloid", "near_m", "unit_kind", "rep_kind"]


def near(ctx: Context, radius: float) -> pl.DataFrame:
    """Every (open stop, open target) pair within radius metres, with both sides' keys and dist."""
    edges = spatial.candidate_edges(ctx.open_atlas, ctx.open_targets, radius, ATLAS_COLS, TARGET_COLS)
    return edges.rename({"uic_right": "target_uic"})


def keyed(ctx: Context, on_left: str, on_right: str, right: pl.DataFrame) -> pl.DataFrame:
    """Pairs of open stops and open targets sharing a key (any distance), with dist."""
    atlas = ctx.open_atlas.select(*ATLAS_COLS, "x", "y")
    targets = ctx.open_targets.select(
        "target_id", "local_ref", "near_sloid", "near_m", "unit_kind", "rep_kind", tx="x", ty="y"
    )
    joined = atlas.join(right.select("target_id", pl.col(on_right).alias(on_left)), on=on_left)
    return (
        joined.join(targets, on="target_id")
        .with_columns(dist=((pl.col("x") - pl.col("tx")) ** 2 + (pl.col("y") - pl.col("ty")) ** 2).sqrt())
        .drop("x", "y", "tx", "ty")
        .unique(["sloid", "target_id"])
        .sort("sloid", "target_id")
    )


def with_evidence(edges: pl.DataFrame, match_type: str, **fields: pl.Expr) -> pl.DataFrame:
    """Stamp a match_type and a JSON evidence object (distance plus stage fields) on edges."""
    parts = [pl.col("dist").round(2).alias("dist_m"), *(e.alias(k) for k, e in fields.items())]
    return edges.with_columns(match_type=pl.lit(match_type), evidence=pl.struct(parts).struct.json_encode())


def local_ref_agrees() -> pl.Expr:
    """The target's local_ref equals the stop's designation (case-insensitive)."""
    return (
        pl.col("local_ref").str.strip_chars().str.to_lowercase()
        == pl.col("designation").str.strip_chars().str.to_lowercase()
    )


def local_ref_contradicts() -> pl.Expr:
    """Both local_ref and designation are set, and they differ."""
    return local_ref_agrees().not_().fill_null(False)


def nearer_stop_elsewhere(ctx: Context) -> pl.Expr:
    """The target stands clearly closer to another official stop (matched or not) than to
    this one: then it is most likely that stop's leftover element, not this stop's."""
    p = ctx.profile
    # A lone stop_position is usually the leftover of a platform already matched: it must be
    # nearest to this very stop.
    lone_stop = (pl.col("unit_kind") == "single") & (pl.col("rep_kind") == "stop_position")
    allowed = (
        pl.when(lone_stop)
        .then(pl.col("near_m"))
        .otherwise(p.elsewhere_ratio * pl.col("near_m") + p.elsewhere_slack_m)
    )
    return (pl.col("near_sloid") != pl.col("sloid")) & (pl.col("dist") > allowed)


def suspect_targets(ctx: Context, edges: pl.DataFrame) -> pl.DataFrame:
    """Targets sitting on another UIC's stop, far from their own: a copied neighbour's uic_ref."""
    p = ctx.profile
    own = edges.group_by("target_id").agg(d_own=pl.col("dist").min())
    targets = ctx.open_targets.filter(pl.col("uic").is_not_null())
    near = spatial.candidate_edges(targets, ctx.atlas, p.exact_trap_near_m, ["target_id", "uic"], ["uic"])
    other = (
        near.filter(pl.col("uic") != pl.col("uic_right"))
        .group_by("target_id")
        .agg(d_other=pl.col("dist").min())
    )
    return (
        own.join(other, on="target_id")
        .filter(
            (pl.col("d_own") >= p.exact_trap_ratio * pl.col("d_other"))
            & (pl.col("d_own") >= p.exact_trap_min_own_m)
        )
        .select("target_id")
    )
