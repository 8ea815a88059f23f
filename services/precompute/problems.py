"""Problem detection: what is wrong with the matched and unmatched stops, with stable ids."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from precompute.operators import SBB, load_aliases, normalize_operator

PROBLEM_TYPES = (
    "distance",
    "unmatched",
    "attributes",
    "duplicates",
    "contradicts_route_matching",
    "route_unmatched",
    "route_metadata",
    "route_membership",
    "route_sequence",
    "route_direction",
)
PROBLEM_SCHEMA = {
    "problem_id": pl.String,
    "problem_type": pl.String,
    "priority": pl.Int8,
    "sloid": pl.String,
    "osm_node_id": pl.String,
    "details": pl.String,
}
UNITS_SCHEMA = {"osm_id": pl.String, "unit_id": pl.Int64, "unit_kind": pl.String}
# Mean Earth radius (IUGG): chord lengths on this sphere equal metres on the ground to well
# below a millimetre at the radii used here (80 m).
EARTH_RADIUS_M = 6_371_008.8
STOP_KINDS = ("platform", "stop_position")


def detect_problems(
    atlas_stops: pl.DataFrame,
    osm_elements: pl.DataFrame,
    matches: pl.DataFrame,
    unmatched: pl.DataFrame,
    osm_units: pl.DataFrame | None,
    aliases: dict[str, str] | None = None,
    route_matches: pl.DataFrame | None = None,
    osm_routes: pl.DataFrame | None = None,
    osm_route_stops: pl.DataFrame | None = None,
    gtfs: Mapping[str, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Find every stop (and, given route matches, route) problem, one row per type and record."""
    aliases = load_aliases() if aliases is None else aliases
    if osm_units is None:  # no grouping known: every element is its own unit
        osm_units = pl.DataFrame(schema=UNITS_SCHEMA)
    pairs = _matched_pairs(atlas_stops, osm_elements, matches, aliases)
    found = [
        distance_problems(pairs),
        attribute_problems(pairs),
        contradiction_problems(pairs),
        unmatched_problems(atlas_stops, osm_elements, unmatched, osm_units),
        osm_duplicate_problems(osm_elements, osm_units),
        official_duplicate_problems(atlas_stops, matches),
    ]
    if route_matches is not None:
        # Imported here: route_problems builds its rows with this module's `shape`.
        from precompute.route_problems import route_problems

        found += route_problems(
            route_matches, matches, atlas_stops, osm_elements, osm_routes, osm_route_stops, gtfs
        )
    return finalize(found)


def problems_summary(problems: pl.DataFrame) -> dict:
    """Count problems by type, by priority and by both (every known type and P1-P3 present)."""
    by_both = problems.group_by("problem_type", "priority").len()
    summary: dict = {
        "total": problems.height,
        "by_type": {t: 0 for t in PROBLEM_TYPES},
        "by_priority": {str(p): 0 for p in (1, 2, 3)},
        "by_type_priority": {t: {str(p): 0 for p in (1, 2, 3)} for t in PROBLEM_TYPES},
    }
    for ptype, prio, n in by_both.iter_rows():
        summary["by_type"][ptype] = summary["by_type"].get(ptype, 0) + n
        summary["by_priority"][str(prio)] += n
        summary["by_type_priority"].setdefault(ptype, {"1": 0, "2": 0, "3": 0})[str(prio)] += n
    return summary


def problem_id(problem_type: str, entity_key: str) -> str:
    """The stable id of one problem: sha1 of its type and the entities involved."""
    return hashlib.sha1(f"{problem_type}|{entity_key}".encode()).hexdigest()


def finalize(found: list[pl.DataFrame]) -> pl.DataFrame:
    """Hash ids, keep the highest severity per problem and order rows deterministically."""
    rows = (
        pl.concat([f for f in found if f.height], how="vertical_relaxed")
        if any(f.height for f in found)
        else None
    )
    if rows is None:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    # One hash per output row (tens of thousands), not per input row: cheap, and sha1 is stable
    # across processes and library versions, unlike polars' own hash.
    pairs = zip(rows["problem_type"].to_list(), rows["entity_key"].to_list(), strict=True)
    ids = [problem_id(ptype, key) for ptype, key in pairs]
    return (
        rows.with_columns(pl.Series("problem_id", ids, dtype=pl.String))
        .sort("priority", "details")
        .unique("problem_id", keep="first", maintain_order=True)
        .select(list(PROBLEM_SCHEMA))
        .cast(PROBLEM_SCHEMA)
        .sort("problem_type", "priority", "problem_id")
    )


def shape(
    hits: pl.DataFrame,
    problem_type: str,
    sloid: pl.Expr | None,
    osm_id: pl.Expr | None,
    entity_key: pl.Expr | None = None,
    **details: pl.Expr,
) -> pl.DataFrame:
    """Turn one rule's hits (with a `priority` column) into candidate problem rows."""
    none = pl.lit(None, dtype=pl.String)
    sloid_e = none if sloid is None else sloid.cast(pl.String)
    osm_e = none if osm_id is None else osm_id.cast(pl.String)
    if entity_key is None:
        entity_key = pl.concat_str([sloid_e.fill_null(""), osm_e.fill_null("")], separator="|")
    return hits.select(
        pl.lit(problem_type).alias("problem_type"),
        pl.col("priority").cast(pl.Int8),
        sloid_e.alias("sloid"),
        osm_e.alias("osm_node_id"),
        entity_key.alias("entity_key"),
        pl.struct(**details).struct.json_encode().alias("details"),
    )


def cols(*names: str) -> dict[str, pl.Expr]:
    """Detail fields copied from same-named columns."""
    return {name: pl.col(name) for name in names}


def failed_checks(checks: Mapping[str, pl.Expr]) -> pl.Expr:
    """The names of the checks that fired, in the order given."""
    return pl.concat_list([pl.when(e).then(pl.lit(n)) for n, e in checks.items()]).list.drop_nulls()


def _matched_pairs(
    atlas: pl.DataFrame, osm: pl.DataFrame, matches: pl.DataFrame, aliases: Mapping[str, str]
) -> pl.DataFrame:
    """Each match row with both sides' attributes, normalised operators and evidence flags."""
    a = atlas.select(
        "sloid",
        "uic",
        "designation",
        "designation_official",
        pl.col("operator").alias("atlas_operator"),
    )
    o = osm.select(
        "osm_id", "uic_ref", "uic_name", "local_ref", pl.col("operator").alias("osm_operator")
    )
    evidence = pl.col("evidence").cast(pl.String)
    return (
        matches.join(a, on="sloid", how="left")
        .join(o, on="osm_id", how="left")
        .with_columns(
            normalize_operator(pl.col("atlas_operator"), aliases).alias("atlas_op"),
            normalize_operator(pl.col("osm_operator"), aliases).alias("osm_op"),
            (evidence.str.json_path_match("$.propagated") == "true")
            .fill_null(False)
            .alias("propagated"),
            (evidence.str.json_path_match("$.route_contradiction") == "true")
            .fill_null(False)
            .alias("route_contradiction"),
        )
    )


def distance_problems(pairs: pl.DataFrame) -> pl.DataFrame:
    """Matched pairs too far apart: P1 > 80 m, P2 > 25 m, P3 > 15 m; SBB stops at most P3."""
    d = pl.col("distance_m")
    sbb = (pl.col("atlas_op") == SBB).fill_null(False)
    hits = pairs.filter(d.is_finite() & (d > 15.0)).with_columns(
        pl.when(sbb)
        .then(3)
        .when(d > 80.0)
        .then(1)
        .when(d > 25.0)
        .then(2)
        .otherwise(3)
        .alias("priority"),
        pl.when(sbb & (d > 25.0))
        .then(pl.lit("sbb_capped_p3"))
        .when(d > 80.0)
        .then(pl.lit("over_80m"))
        .when(d > 25.0)
        .then(pl.lit("over_25m"))
        .otherwise(pl.lit("over_15m"))
        .alias("rule"),
    )
    return shape(
        hits,
        "distance",
        pl.col("sloid"),
        pl.col("osm_id"),
        **cols("rule", "distance_m", "match_type"),
        sbb=sbb,
        message=pl.format(
            "matched stop lies {} m from the OSM element ({})", d.round(1), pl.col("rule")
        ),
    )


def _differs(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """Both sides carry a value and the values differ, ignoring case and outer spaces."""
    lf = left.cast(pl.String).str.strip_chars().str.to_lowercase()
    rf = right.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (lf != rf).fill_null(False)


def attribute_problems(pairs: pl.DataFrame) -> pl.DataFrame:
    """Attribute disagreements: P1 UIC or name, P2 designation/local_ref, P3 operator."""
    checks = {
        "uic": _differs(pl.col("uic"), pl.col("uic_ref")),
        "name": _differs(pl.col("designation_official"), pl.col("uic_name")),
        "designation": _differs(pl.col("designation"), pl.col("local_ref")),
        "operator": _differs(pl.col("atlas_op"), pl.col("osm_op")),
    }
    failed = failed_checks(checks)
    hits = pairs.with_columns(
        pl.when(checks["uic"] | checks["name"])
        .then(1)
        .when(checks["designation"])
        .then(2)
        .when(checks["operator"])
        .then(3)
        .alias("priority"),
        failed.alias("failed"),
    ).filter(pl.col("priority").is_not_null())
    return shape(
        hits,
        "attributes",
        pl.col("sloid"),
        pl.col("osm_id"),
        **cols("failed", "uic", "uic_ref", "uic_name", "designation", "local_ref"),
        **cols("atlas_operator", "osm_operator"),
        name=pl.col("designation_official"),
        message=pl.format("attributes differ: {}", pl.col("failed").list.join(", ")),
    )


def contradiction_problems(pairs: pl.DataFrame) -> pl.DataFrame:
    """P2: the pair's own route evidence contradicts it."""
    hits = pairs.filter(pl.col("route_contradiction")).with_columns(pl.lit(2).alias("priority"))
    return shape(
        hits,
        "contradicts_route_matching",
        pl.col("sloid"),
        pl.col("osm_id"),
        rule=pl.lit("route_contradiction"),
        match_type=pl.col("match_type"),
        message=pl.lit("the routes serving these stops contradict this match"),
    )


def _xyz(frame: pl.DataFrame) -> np.ndarray:
    """Earth-centred coordinates in metres (EPSG:4326 degrees in), for chord-distance trees."""
    lon = np.radians(frame["lon"].cast(pl.Float64).to_numpy())
    lat = np.radians(frame["lat"].cast(pl.Float64).to_numpy())
    cos_lat = np.cos(lat)
    return EARTH_RADIUS_M * np.column_stack(
        (cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat))
    )


def nearest_m(points: pl.DataFrame, others: pl.DataFrame) -> np.ndarray:
    """Distance in metres from each point to the nearest of `others` (inf when there are none)."""
    others = others.filter(pl.col("lon").is_finite() & pl.col("lat").is_finite())
    if points.height == 0 or others.height == 0:
        return np.full(points.height, np.inf)
    dist, _ = cKDTree(_xyz(others)).query(_xyz(points), k=1)
    return dist


def _osm_uic() -> pl.Expr:
    """OSM `uic_ref` as an integer UIC (null when absent or not a number)."""
    return pl.col("uic_ref").cast(pl.String).str.strip_chars().cast(pl.Int64, strict=False)


def platform_counts(
    atlas: pl.DataFrame, osm: pl.DataFrame, osm_units: pl.DataFrame
) -> pl.DataFrame:
    """Per UIC: official platforms and OSM stop units (a pair or trio counts once)."""
    units = osm_units.select("osm_id", pl.col("unit_id").cast(pl.String))
    osm_side = (
        osm.filter(pl.col("kind").is_in(STOP_KINDS))
        .select("osm_id", _osm_uic().alias("uic"))
        .join(units, on="osm_id", how="left")
        .with_columns(
            pl.coalesce(pl.lit("u:") + pl.col("unit_id"), pl.lit("e:") + pl.col("osm_id")).alias(
                "unit"
            )
        )
        .filter(pl.col("uic").is_not_null())
        .group_by("uic")
        .agg(pl.col("unit").n_unique().alias("osm_platforms"))
    )
    atlas_side = (
        atlas.filter(pl.col("uic").is_not_null())
        .group_by("uic")
        .agg(pl.len().cast(pl.Int64).alias("atlas_platforms"))
    )
    return atlas_side.join(osm_side, on="uic", how="full", coalesce=True).fill_null(0)


UNMATCHED_RULE_PRIORITY = {
    "no_counterpart_uic": 1,
    "nothing_within_80m": 1,
    "nothing_within_50m": 2,
    "platform_counts_differ": 2,
    "counterpart_nearby": 3,
}


def unmatched_rule() -> pl.Expr:
    """P1: no counterpart UIC or nothing within 80 m; P2: nothing within 50 m or counts differ."""
    no_uic = (pl.col("uic").is_not_null() & ~pl.col("counterpart_uic")).fill_null(False)
    counts_differ = (
        pl.col("counterpart_uic") & (pl.col("atlas_platforms") != pl.col("osm_platforms"))
    ).fill_null(False)
    near = pl.col("nearest_m")
    return (
        pl.when(no_uic)
        .then(pl.lit("no_counterpart_uic"))
        .when(near > 80.0)
        .then(pl.lit("nothing_within_80m"))
        .when(near > 50.0)
        .then(pl.lit("nothing_within_50m"))
        .when(counts_differ)
        .then(pl.lit("platform_counts_differ"))
        .otherwise(pl.lit("counterpart_nearby"))
    )


def unmatched_problems(
    atlas: pl.DataFrame, osm: pl.DataFrame, unmatched: pl.DataFrame, osm_units: pl.DataFrame
) -> pl.DataFrame:
    """Unmatched stops on each side, ranked by UIC existence, distance and platform counts."""
    counts = platform_counts(atlas, osm, osm_units)
    ids = {
        side: unmatched.filter(pl.col("side") == side).select("id", "isolated")
        for side in ("atlas", "osm")
    }
    atlas_rows = atlas.select("sloid", "uic", "lon", "lat").join(
        ids["atlas"], left_on="sloid", right_on="id", how="inner"
    )
    osm_rows = osm.select("osm_id", _osm_uic().alias("uic"), "lon", "lat").join(
        ids["osm"], left_on="osm_id", right_on="id", how="inner"
    )
    atlas_rows = atlas_rows.with_columns(
        pl.Series("nearest_m", nearest_m(atlas_rows, osm)),
        pl.col("uic")
        .is_in(counts.filter(pl.col("osm_platforms") > 0)["uic"].implode())
        .alias("counterpart_uic"),
    )
    osm_rows = osm_rows.with_columns(
        pl.Series("nearest_m", nearest_m(osm_rows, atlas)),
        pl.col("uic")
        .is_in(counts.filter(pl.col("atlas_platforms") > 0)["uic"].implode())
        .alias("counterpart_uic"),
    )
    return pl.concat(
        [
            _shape_unmatched(atlas_rows.join(counts, on="uic", how="left"), "atlas"),
            _shape_unmatched(osm_rows.join(counts, on="uic", how="left"), "osm"),
        ]
    )


def _shape_unmatched(rows: pl.DataFrame, side: str) -> pl.DataFrame:
    """Candidate rows for one side's unmatched stops."""
    rows = rows.with_columns(unmatched_rule().alias("rule")).with_columns(
        pl.col("rule").replace_strict(UNMATCHED_RULE_PRIORITY).alias("priority")
    )
    sloid = pl.col("sloid") if side == "atlas" else None
    osm_id = pl.col("osm_id") if side == "osm" else None
    near = pl.col("nearest_m")
    return shape(
        rows,
        "unmatched",
        sloid,
        osm_id,
        side=pl.lit(side),
        **cols("rule", "uic", "atlas_platforms", "osm_platforms", "isolated"),
        counterpart_uic_exists=pl.col("counterpart_uic"),
        nearest_m=pl.when(near.is_finite()).then(near.round(2)),
        message=pl.format("unmatched {} stop ({})", pl.lit(side), pl.col("rule")),
    )


def osm_duplicate_problems(osm: pl.DataFrame, osm_units: pl.DataFrame) -> pl.DataFrame:
    """P3: platforms/stop positions outside pairs and trios sharing (uic_ref, local_ref)."""
    grouped = osm_units.filter(pl.col("unit_kind").is_in(["pair", "trio"]))["osm_id"].implode()
    key = [
        pl.col(c).cast(pl.String).str.strip_chars().str.to_lowercase().alias(f"k_{c}")
        for c in ("uic_ref", "local_ref")
    ]
    rows = (
        osm.filter(pl.col("kind").is_in(STOP_KINDS) & ~pl.col("osm_id").is_in(grouped))
        .select("osm_id", "uic_ref", "local_ref", *key)
        .filter(
            pl.col("k_uic_ref").is_not_null()
            & pl.col("k_local_ref").is_not_null()
            & (pl.col("k_uic_ref") != "")
            & (pl.col("k_local_ref") != "")
        )
    )
    members = (
        rows.group_by("k_uic_ref", "k_local_ref")
        .agg(pl.col("osm_id").sort().alias("members"))
        .filter(pl.col("members").list.len() >= 2)
    )
    hits = rows.join(members, on=["k_uic_ref", "k_local_ref"]).with_columns(
        pl.lit(3).alias("priority")
    )
    return shape(
        hits,
        "duplicates",
        None,
        pl.col("osm_id"),
        side=pl.lit("osm"),
        **cols("uic_ref", "local_ref", "members"),
        message=pl.format(
            "{} OSM stops share uic_ref {} and local_ref {}",
            pl.col("members").list.len(),
            pl.col("uic_ref"),
            pl.col("local_ref"),
        ),
    )


def official_duplicate_problems(atlas: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """P2: members of an official duplicate group that propagation did not handle."""
    groups = (
        atlas.filter(pl.col("duplicate_group").is_not_null())
        .select("sloid", "uic", "designation", "duplicate_group")
        .with_columns(pl.len().over("duplicate_group").alias("group_size"))
        .filter(pl.col("group_size") >= 2)
    )
    linked = matches.select(
        "sloid",
        "osm_id",
        (pl.col("evidence").cast(pl.String).str.json_path_match("$.propagated") == "true")
        .fill_null(False)
        .alias("propagated"),
    ).join(groups.select("sloid", "duplicate_group"), on="sloid")
    # A propagated row marks its target handled, and so the source member that shares its
    # OSM element within the same group.
    spread = linked.filter(pl.col("propagated")).select("duplicate_group", "osm_id").unique()
    handled = linked.join(spread, on=["duplicate_group", "osm_id"], how="semi")["sloid"]
    hits = groups.filter(~pl.col("sloid").is_in(handled.implode())).with_columns(
        pl.lit(2).alias("priority")
    )
    return shape(
        hits,
        "duplicates",
        pl.col("sloid"),
        None,
        side=pl.lit("atlas"),
        **cols("duplicate_group", "group_size", "uic", "designation"),
        message=pl.format(
            "official duplicate (group {}, {} members) not resolved by propagation",
            pl.col("duplicate_group"),
            pl.col("group_size"),
        ),
    )
