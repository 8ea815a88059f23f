"""Route problems: unmatched routes and matched routes whose metadata, stops or order disagree.

`route_matches` (from the matcher): `relation_id` (Int64, nullable) and `itinerary_id` (Int64,
nullable). A row with both is a matched route (an OSM route relation against a GTFS
itinerary); a row with only one is a route unmatched on that side. `gtfs` maps "routes",
"itineraries" and "itinerary_stops" to the frames of docs/architecture.md. Stops are compared
by UIC (station level), so a route served at another platform of the same station agrees.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping

import polars as pl

from precompute.problems import cols, failed_checks, shape

# GTFS route_type (basic and the extended HVT codes used by the Swiss feed) to a mode family.
_GTFS_FAMILIES = (
    (0, 0, "tram"),
    (1, 1, "rail"),
    (2, 2, "rail"),
    (3, 3, "bus"),
    (4, 4, "water"),
    (5, 5, "tram"),
    (6, 6, "aerial"),
    (7, 7, "funicular"),
    (11, 11, "bus"),
    (12, 12, "rail"),
    (100, 199, "rail"),
    (200, 299, "bus"),
    (400, 499, "rail"),
    (700, 899, "bus"),
    (900, 999, "tram"),
    (1000, 1299, "water"),
    (1300, 1399, "aerial"),
    (1400, 1499, "funicular"),
    (1500, 1599, "bus"),
)
_OSM_FAMILIES = {
    "train": "rail",
    "subway": "rail",
    "monorail": "rail",
    "light_rail": "rail",
    "tram": "tram",
    "bus": "bus",
    "trolleybus": "bus",
    "coach": "bus",
    "share_taxi": "bus",
    "minibus": "bus",
    "ferry": "water",
    "boat": "water",
    "aerialway": "aerial",
    "funicular": "funicular",
}
# OSM `direction` tag against GTFS direction_id: Swiss feeds use 0 for Hin (H), 1 for Rück (R).
_DIRECTION_OF_ID = {0: "H", 1: "R"}


def band(fraction: pl.Expr) -> pl.Expr:
    """P1 above 40 %, P2 from 10 % to 40 % inclusive, P3 below 10 % (null for none)."""
    return pl.when(fraction > 0.4).then(1).when(fraction >= 0.1).then(2).when(fraction > 0).then(3)


def unmatched_route_priority(stops: pl.Expr) -> pl.Expr:
    """P1 for more than 20 stops, P2 for 5 to 20, P3 for fewer."""
    return pl.when(stops > 20).then(1).when(stops >= 5).then(2).otherwise(3)


def route_problems(
    route_matches: pl.DataFrame,
    matches: pl.DataFrame,
    atlas: pl.DataFrame,
    osm: pl.DataFrame,
    osm_routes: pl.DataFrame | None,
    osm_route_stops: pl.DataFrame | None,
    gtfs: Mapping[str, pl.DataFrame] | None,
) -> list[pl.DataFrame]:
    """Every route problem type, as candidate rows for `problems.finalize`."""
    gtfs = gtfs or {}
    osm_seq = osm_stop_sequences(osm_route_stops, matches, atlas, osm)
    gtfs_seq = gtfs_stop_sequences(gtfs.get("itinerary_stops"))
    pairs = (
        route_matches.filter(
            pl.col("relation_id").is_not_null() & pl.col("itinerary_id").is_not_null()
        )
        .select(pl.col("relation_id").cast(pl.Int64), pl.col("itinerary_id").cast(pl.Int64))
        .unique()
    )
    compared = compare_sequences(
        pairs.join(osm_seq, on="relation_id", how="left").join(
            gtfs_seq, on="itinerary_id", how="left"
        )
    )
    return [
        unmatched_routes(route_matches, osm_route_stops, gtfs_seq, gtfs),
        metadata_problems(pairs, osm_routes, gtfs),
        membership_problems(compared),
        sequence_problems(compared),
        direction_problems(compared, osm_routes, gtfs),
    ]


def _pair_key() -> pl.Expr:
    return pl.format(
        "osm_route:{}|gtfs_itinerary:{}", pl.col("relation_id"), pl.col("itinerary_id")
    )


def osm_stop_sequences(
    route_stops: pl.DataFrame | None, matches: pl.DataFrame, atlas: pl.DataFrame, osm: pl.DataFrame
) -> pl.DataFrame:
    """Per relation: the UICs it serves in order (first visit), via matches or `uic_ref`."""
    if route_stops is None:
        return pl.DataFrame(schema={"relation_id": pl.Int64, "osm_uics": pl.List(pl.Int64)})
    via_match = (
        matches.join(atlas.select("sloid", "uic"), on="sloid")
        .group_by("osm_id")
        .agg(pl.col("uic").min().alias("match_uic"))
    )
    tagged = osm.select(
        "osm_id",
        pl.col("uic_ref")
        .cast(pl.String)
        .str.strip_chars()
        .cast(pl.Int64, strict=False)
        .alias("tag_uic"),
    )
    stops = (
        route_stops.join(via_match, on="osm_id", how="left")
        .join(tagged, on="osm_id", how="left")
        .with_columns(pl.coalesce("match_uic", "tag_uic").alias("uic"))
    )
    return _first_visits(stops, "relation_id", "osm_uics")


def gtfs_stop_sequences(itinerary_stops: pl.DataFrame | None) -> pl.DataFrame:
    """Per itinerary: the UICs it serves in order (first visit)."""
    if itinerary_stops is None:
        return pl.DataFrame(schema={"itinerary_id": pl.Int64, "gtfs_uics": pl.List(pl.Int64)})
    return _first_visits(itinerary_stops, "itinerary_id", "gtfs_uics")


def _first_visits(stops: pl.DataFrame, route: str, name: str) -> pl.DataFrame:
    """Ordered distinct UICs per route; a loop's second visit and unknown stops are dropped."""
    return (
        stops.filter(pl.col("uic").is_not_null())
        .select(
            pl.col(route).cast(pl.Int64), pl.col("seq").cast(pl.Int64), pl.col("uic").cast(pl.Int64)
        )
        .sort(route, "seq")
        .unique([route, "uic"], keep="first", maintain_order=True)
        .group_by(route, maintain_order=True)
        .agg(pl.col("uic").alias(name))
    )


def _lis(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for v in values:
        i = bisect_left(tails, v)
        tails[i : i + 1] = [v]
    return len(tails)


def _order_agreement(osm: list[int], gtfs: list[int]) -> tuple[int, int, int]:
    """(common stops, longest run in the same order, longest run in reverse order)."""
    common = set(osm) & set(gtfs)
    pos = {uic: i for i, uic in enumerate(u for u in gtfs if u in common)}
    ranks = [pos[u] for u in osm if u in common]
    return len(common), _lis(ranks), _lis([-r for r in ranks])


def compare_sequences(pairs: pl.DataFrame) -> pl.DataFrame:
    """Membership and order measures per matched route (one small loop per route, not stop)."""
    osm_lists = [v or [] for v in pairs["osm_uics"].to_list()]
    gtfs_lists = [v or [] for v in pairs["gtfs_uics"].to_list()]
    measured = [_order_agreement(o, g) for o, g in zip(osm_lists, gtfs_lists, strict=True)]
    common, forward, backward = (
        (list(col) for col in zip(*measured, strict=True)) if measured else ([], [], [])
    )
    return pairs.with_columns(
        pl.Series("common", common, dtype=pl.Int64),
        pl.Series("in_order", forward, dtype=pl.Int64),
        pl.Series("in_reverse", backward, dtype=pl.Int64),
        pl.col("osm_uics").list.set_difference("gtfs_uics").alias("osm_only"),
        pl.col("gtfs_uics").list.set_difference("osm_uics").alias("gtfs_only"),
    )


def membership_problems(compared: pl.DataFrame) -> pl.DataFrame:
    """Stops served on one side only; priority by their share of all stops served."""
    only = pl.col("osm_only").list.len() + pl.col("gtfs_only").list.len()
    hits = (
        compared.with_columns((only / (only + pl.col("common"))).alias("fraction"))
        .with_columns(band(pl.col("fraction")).alias("priority"))
        .filter(
            pl.col("priority").is_not_null()
            & (pl.col("osm_uics").list.len() > 0)
            & (pl.col("gtfs_uics").list.len() > 0)
        )
    )
    return shape(
        hits,
        "route_membership",
        None,
        None,
        _pair_key(),
        **cols("relation_id", "itinerary_id"),
        osm_only_uics=pl.col("osm_only"),
        gtfs_only_uics=pl.col("gtfs_only"),
        fraction=pl.col("fraction").round(4),
        message=pl.format("{} stops served on one side only", only),
    )


def _reversed() -> pl.Expr:
    return (pl.col("common") >= 2) & (pl.col("in_reverse") > pl.col("in_order"))


def sequence_problems(compared: pl.DataFrame) -> pl.DataFrame:
    """Common stops out of order; a reversed route is a direction problem instead."""
    frac = 1 - pl.col("in_order") / pl.col("common")
    hits = (
        compared.filter((pl.col("common") > 0) & ~_reversed())
        .with_columns(frac.alias("fraction"))
        .with_columns(band(pl.col("fraction")).alias("priority"))
        .filter(pl.col("priority").is_not_null())
    )
    return shape(
        hits,
        "route_sequence",
        None,
        None,
        _pair_key(),
        **cols("relation_id", "itinerary_id"),
        common_stops=pl.col("common"),
        in_order=pl.col("in_order"),
        fraction=pl.col("fraction").round(4),
        message=pl.format(
            "{} of {} common stops out of order",
            pl.col("common") - pl.col("in_order"),
            pl.col("common"),
        ),
    )


def _itineraries(gtfs: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """GTFS itineraries with their route's metadata."""
    itins = gtfs.get("itineraries")
    if itins is None:
        return pl.DataFrame(schema={"itinerary_id": pl.Int64})
    routes = gtfs.get("routes")
    if routes is not None:
        itins = itins.join(
            routes.select("route_id", "short_name", "long_name", "route_type"),
            on="route_id",
            how="left",
        )
    return itins.with_columns(pl.col("itinerary_id").cast(pl.Int64))


def direction_problems(
    compared: pl.DataFrame, osm_routes: pl.DataFrame | None, gtfs: Mapping[str, pl.DataFrame]
) -> pl.DataFrame:
    """P2 when the OSM route runs the GTFS stops backwards; P3 when only the tags disagree."""
    rows = compared.select("relation_id", "itinerary_id", "common", "in_order", "in_reverse")
    itins = _itineraries(gtfs)
    rows = rows.join(
        osm_routes.select(pl.col("relation_id").cast(pl.Int64), pl.col("direction").cast(pl.String))
        if osm_routes is not None
        else pl.DataFrame(schema={"relation_id": pl.Int64, "direction": pl.String}),
        on="relation_id",
        how="left",
    )
    gtfs_dir = (
        itins.select(
            "itinerary_id",
            pl.col("direction_id")
            .cast(pl.Int64)
            .replace_strict(_DIRECTION_OF_ID, default=None, return_dtype=pl.String)
            .alias("gtfs_direction"),
        )
        if "direction_id" in itins.columns
        else None
    )
    rows = (
        rows.join(gtfs_dir, on="itinerary_id", how="left")
        if gtfs_dir is not None
        else rows.with_columns(pl.lit(None, dtype=pl.String).alias("gtfs_direction"))
    )
    tags_differ = (pl.col("direction").str.to_uppercase() != pl.col("gtfs_direction")).fill_null(
        False
    )
    hits = rows.with_columns(
        pl.when(_reversed()).then(2).when(tags_differ).then(3).alias("priority"),
    ).filter(pl.col("priority").is_not_null())
    return shape(
        hits,
        "route_direction",
        None,
        None,
        _pair_key(),
        **cols("relation_id", "itinerary_id"),
        osm_direction=pl.col("direction"),
        gtfs_direction=pl.col("gtfs_direction"),
        in_order=pl.col("in_order"),
        in_reverse=pl.col("in_reverse"),
        message=pl.when(_reversed())
        .then(pl.lit("OSM route runs the stops backwards"))
        .otherwise(pl.lit("direction tags disagree")),
    )


def _gtfs_family() -> pl.Expr:
    """The mode family of a GTFS route_type."""
    rt = pl.col("route_type").cast(pl.Int64)
    expr = pl.lit(None, dtype=pl.String)
    for low, high, family in reversed(_GTFS_FAMILIES):
        expr = pl.when(rt.is_between(low, high)).then(pl.lit(family)).otherwise(expr)
    return expr


def _fold(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).str.strip_chars().str.to_lowercase()


def metadata_problems(
    pairs: pl.DataFrame, osm_routes: pl.DataFrame | None, gtfs: Mapping[str, pl.DataFrame]
) -> pl.DataFrame:
    """Ref or mode differ (P2), or neither name contains the other (P3); both sides needed."""
    itins = _itineraries(gtfs)
    if osm_routes is None or "route_type" not in itins.columns:
        return pairs.head(0)
    rows = pairs.join(
        osm_routes.select(
            pl.col("relation_id").cast(pl.Int64), "mode", "ref", pl.col("name").alias("osm_name")
        ),
        on="relation_id",
    ).join(itins.select("itinerary_id", "short_name", "long_name", "route_type"), on="itinerary_id")
    osm_family = _fold("mode").replace_strict(_OSM_FAMILIES, default=None)
    light_rail_tram = (_fold("mode") == "light_rail") & (_gtfs_family() == "tram")
    checks = {
        "ref": (_fold("ref") != _fold("short_name")).fill_null(False),
        "mode": ((osm_family != _gtfs_family()) & ~light_rail_tram).fill_null(False),
        "name": (
            ~_fold("osm_name").str.contains(_fold("long_name"), literal=True)
            & ~_fold("long_name").str.contains(_fold("osm_name"), literal=True)
            & (_fold("long_name") != "")
        ).fill_null(False),
    }
    failed = failed_checks(checks)
    hits = rows.with_columns(
        pl.when(checks["ref"] | checks["mode"])
        .then(2)
        .when(checks["name"])
        .then(3)
        .alias("priority"),
        failed.alias("failed"),
    ).filter(pl.col("priority").is_not_null())
    return shape(
        hits,
        "route_metadata",
        None,
        None,
        _pair_key(),
        **cols("relation_id", "itinerary_id"),
        **cols("failed", "route_type"),
        osm_ref=pl.col("ref"),
        gtfs_ref=pl.col("short_name"),
        osm_mode=pl.col("mode"),
        osm_name=pl.col("osm_name"),
        gtfs_name=pl.col("long_name"),
        message=pl.format("route metadata differ: {}", pl.col("failed").list.join(", ")),
    )


def unmatched_routes(
    route_matches: pl.DataFrame,
    route_stops: pl.DataFrame | None,
    gtfs_seq: pl.DataFrame,
    gtfs: Mapping[str, pl.DataFrame],
) -> pl.DataFrame:
    """Routes matched on neither side, ranked by how many stops they serve."""
    osm_counts = _osm_stop_counts(route_stops)
    gtfs_counts = (
        gtfs["itinerary_stops"]
        .group_by(pl.col("itinerary_id").cast(pl.Int64))
        .agg(pl.len().cast(pl.Int64).alias("stops"))
        if gtfs.get("itinerary_stops") is not None
        else gtfs_seq.select("itinerary_id", pl.lit(0, pl.Int64).alias("stops"))
    )
    sides = (
        ("osm", "relation_id", "itinerary_id", osm_counts, "osm_route"),
        ("gtfs", "itinerary_id", "relation_id", gtfs_counts, "gtfs_itinerary"),
    )
    found = []
    for side, own, other, counts, label in sides:
        lone = (
            route_matches.filter(pl.col(own).is_not_null() & pl.col(other).is_null())
            .select(pl.col(own).cast(pl.Int64))
            .unique()
            .join(counts, on=own, how="left")
            .with_columns(pl.col("stops").fill_null(0))
        )
        lone = lone.with_columns(unmatched_route_priority(pl.col("stops")).alias("priority"))
        found.append(
            shape(
                lone,
                "route_unmatched",
                None,
                None,
                pl.format(f"{label}:{{}}", pl.col(own)),
                side=pl.lit(side),
                route=pl.col(own),
                stops=pl.col("stops"),
                message=pl.format(
                    f"{side} route {{}} with {{}} stops has no counterpart",
                    pl.col(own),
                    pl.col("stops"),
                ),
            )
        )
    return pl.concat(found, how="vertical_relaxed")


def _osm_stop_counts(route_stops: pl.DataFrame | None) -> pl.DataFrame:
    """Stops per relation: platforms or stop positions, whichever the mapper listed more of."""
    if route_stops is None:
        return pl.DataFrame(schema={"relation_id": pl.Int64, "stops": pl.Int64})
    platform = pl.col("role").fill_null("").str.starts_with("platform")
    return route_stops.group_by(pl.col("relation_id").cast(pl.Int64)).agg(
        pl.max_horizontal(platform.sum(), (~platform).sum()).cast(pl.Int64).alias("stops")
    )
