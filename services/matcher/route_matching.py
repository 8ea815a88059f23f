"""Route-to-route matching: line families one-to-one, then itineraries by ordered stop overlap."""

from __future__ import annotations

import polars as pl

from matcher.assignment import mutual_best, unique_pairs
from matcher.routes import norm_route_id
from matcher.sequences import lcs_ratio, squeeze

ROUTE_MATCH_SCHEMA = {
    "level": pl.String,
    "osm_relation_id": pl.Int64,
    "gtfs_route_id": pl.String,
    "gtfs_itinerary_id": pl.Int64,
    "method": pl.String,
    "score": pl.Float64,
}
MIN_ITINERARY_RATIO = 0.8
FAMILY_SCORES = {"exact": 1.0, "normalized": 0.95, "display": 0.85}


def with_family(osm_routes: pl.DataFrame) -> pl.DataFrame:
    """Family id per relation: its route_master, else one shared by relations of its gtfs id."""
    by_id = pl.col("gtfs_route_id").is_not_null()
    # Relations of one line often lack a master; the shared gtfs:route_id still makes them a
    # family (and joins them to a master that some of their siblings do have).
    return osm_routes.with_columns(
        family=pl.coalesce(
            "route_master_id",
            pl.when(by_id).then(pl.col("route_master_id").min().over("gtfs_route_id")),
            pl.when(by_id).then(pl.col("relation_id").min().over("gtfs_route_id")),
            "relation_id",
        )
    )


def osm_families(osm_routes: pl.DataFrame) -> pl.DataFrame:
    """One row per OSM line family with its keys."""
    fam = with_family(osm_routes)
    return (
        fam.sort("family", "relation_id")
        .group_by("family", maintain_order=True)
        .agg(
            gtfs_route_id=pl.col("gtfs_route_id").drop_nulls().first(), ref=pl.col("ref").drop_nulls().first()
        )
    )


def _stop_overlap(edges: pl.DataFrame, osm_stops: pl.DataFrame, gtfs_stops: pl.DataFrame) -> pl.DataFrame:
    """Number of shared resolved stops per (family, route_id) edge."""
    shared = (
        edges.select("family", "route_id")
        .join(osm_stops, on="family")
        .join(gtfs_stops, on=["route_id", "ident"])
    )
    counts = shared.group_by("family", "route_id").agg(score=pl.col("ident").n_unique())
    return edges.join(counts, on=["family", "route_id"])


def match_families(
    fams: pl.DataFrame, gtfs_routes: pl.DataFrame, osm_stops: pl.DataFrame, gtfs_stops: pl.DataFrame
) -> pl.DataFrame:
    """(family, route_id, method): exact, normalized, then display id, each one-to-one."""
    keys = {
        "exact": (pl.col("gtfs_route_id"), pl.col("route_id")),
        "normalized": (
            norm_route_id(pl.col("gtfs_route_id")),
            norm_route_id(pl.coalesce("route_id_norm", "route_id")),
        ),
        "display": (pl.col("ref"), pl.col("short_name")),
    }
    ends = ("family", "route_id")
    found = [pl.DataFrame(schema={"family": pl.Int64, "route_id": pl.String, "method": pl.String})]
    for method, (left, right) in keys.items():
        done = pl.concat(found)
        open_f = fams.join(done, on="family", how="anti").with_columns(k=left).drop_nulls("k")
        open_r = gtfs_routes.join(done, on="route_id", how="anti").with_columns(k=right)
        edges = open_f.select("family", "k").join(open_r.select("route_id", "k"), on="k")
        if method == "display":
            # A bare line number ("1") repeats across the country: shared stops must decide.
            edges = mutual_best(_stop_overlap(edges, osm_stops, gtfs_stops), "score", True, ends)
        else:
            edges = unique_pairs(edges, ends=ends)
        found.append(edges.select("family", "route_id", method=pl.lit(method)))
    return pl.concat(found)


def osm_sequences(
    osm_routes: pl.DataFrame, osm_route_stops: pl.DataFrame, matches: pl.DataFrame, elements: pl.DataFrame
) -> pl.DataFrame:
    """(relation_id, family, seq, ident, uic): stops by matched sloid, else UIC, else osm id.

    `matches` carries the matched stop's uic next to its sloid."""
    resolved = matches.group_by("osm_id").agg(sloid=pl.col("sloid").min(), uic=pl.col("uic").min())
    role = pl.col("role").fill_null("")
    stops = osm_route_stops.filter(role.str.contains(r"^(platform|stop|$)")).with_columns(
        is_platform=role.str.starts_with("platform")
    )
    # PTv2 lists each stop twice (stop_position and platform). The platforms carry the
    # matches, so they alone make the sequence wherever a relation has any.
    stops = stops.filter(pl.col("is_platform") | ~pl.col("is_platform").any().over("relation_id"))
    stops = stops.join(resolved, on="osm_id", how="left").join(
        elements.select("osm_id", uic_ref=pl.col("uic_ref").cast(pl.Int64, strict=False)),
        on="osm_id",
        how="left",
    )
    uic = pl.coalesce("uic", "uic_ref")
    ident = pl.coalesce("sloid", pl.concat_str(pl.lit("uic:"), uic.cast(pl.String)), "osm_id")
    fam = with_family(osm_routes).select("relation_id", "family")
    return (
        stops.join(fam, on="relation_id")
        .select("relation_id", "family", "seq", ident=ident, uic=pl.coalesce(uic.cast(pl.String), "osm_id"))
        .sort("relation_id", "seq")
    )


def gtfs_sequences(frames: dict) -> pl.DataFrame:
    """(itinerary_id, route_id, seq, ident, uic): stops by sloid, else by UIC."""
    uic = pl.col("uic").cast(pl.String)
    ident = pl.coalesce("sloid", pl.concat_str(pl.lit("uic:"), uic))
    return (
        frames["itinerary_stops"]
        .join(frames["itineraries"].select("itinerary_id", "route_id"), on="itinerary_id")
        .select("itinerary_id", "route_id", "seq", ident=ident, uic=pl.coalesce(uic, "stop_id"))
        .sort("itinerary_id", "seq")
    )


def sequence_score(a_ident: list, b_ident: list, a_uic: list, b_uic: list) -> float:
    """LCS ratio by resolved identity, or by UIC where that agrees better (unresolved stops)."""
    return max(lcs_ratio(squeeze(a_ident), squeeze(b_ident)), lcs_ratio(squeeze(a_uic), squeeze(b_uic)))


def itinerary_candidates(
    families: pl.DataFrame,
    osm_seq: pl.DataFrame,
    gtfs_seq: pl.DataFrame,
    osm_routes: pl.DataFrame,
    itineraries: pl.DataFrame,
) -> pl.DataFrame:
    """(OSM relation, GTFS itinerary) pairs of matched families, same direction, with sequences."""
    rel = (
        osm_seq.group_by("relation_id", "family", maintain_order=True)
        .agg("ident", "uic")
        .join(osm_routes.select("relation_id", "direction"), on="relation_id")
        .with_columns(
            odir=pl.col("direction")
            .cast(pl.String)
            .replace_strict({"H": 0, "R": 1}, default=None, return_dtype=pl.Int32)
        )
    )
    itin = (
        gtfs_seq.group_by("itinerary_id", "route_id", maintain_order=True)
        .agg("ident", "uic")
        .join(itineraries.select("itinerary_id", "direction_id", "trip_count"), on="itinerary_id")
    )
    cand = rel.join(families.select("family", "route_id"), on="family").join(
        itin, on="route_id", suffix="_gtfs"
    )
    # An OSM relation without a direction tag may match either direction.
    return cand.filter(pl.col("odir").is_null() | (pl.col("odir") == pl.col("direction_id")))


def match_itineraries(cand: pl.DataFrame) -> pl.DataFrame:
    """Per OSM relation: the best-scoring candidate itinerary, when its ratio is >= 0.8."""
    columns = [cand[c].to_list() for c in ("ident", "ident_gtfs", "uic", "uic_gtfs")]
    scores = [sequence_score(*four) for four in zip(*columns, strict=True)]
    cand = cand.with_columns(score=pl.Series(scores, dtype=pl.Float64).round(4)).filter(
        pl.col("score") >= MIN_ITINERARY_RATIO
    )
    # Ties go to the busier itinerary, then the lower id, so the choice is deterministic.
    best = cand.sort(
        ["relation_id", "score", "trip_count", "itinerary_id"], descending=[False, True, True, False]
    ).unique("relation_id", keep="first")
    return best.select(
        level=pl.lit("itinerary"),
        osm_relation_id="relation_id",
        gtfs_route_id="route_id",
        gtfs_itinerary_id="itinerary_id",
        method=pl.lit("lcs"),
        score="score",
    )


def match_routes(
    frames: dict,
    osm_routes: pl.DataFrame,
    osm_route_stops: pl.DataFrame | None,
    matches: pl.DataFrame,
    elements: pl.DataFrame,
) -> pl.DataFrame:
    """Family and itinerary pairs with their scores."""
    if osm_route_stops is None or frames.get("itinerary_stops") is None:
        return pl.DataFrame(schema=ROUTE_MATCH_SCHEMA)
    osm_seq = osm_sequences(osm_routes, osm_route_stops, matches, elements)
    gtfs_seq = gtfs_sequences(frames)
    fam_stops = osm_seq.select("family", "ident").unique()
    route_stops = gtfs_seq.select("route_id", "ident").unique()
    families = match_families(osm_families(osm_routes), frames["routes"], fam_stops, route_stops)
    fam_rows = families.select(
        level=pl.lit("family"),
        osm_relation_id="family",
        gtfs_route_id="route_id",
        gtfs_itinerary_id=pl.lit(None),
        method="method",
        score=pl.col("method").replace_strict(FAMILY_SCORES),
    )
    itin_rows = match_itineraries(
        itinerary_candidates(families, osm_seq, gtfs_seq, osm_routes, frames["itineraries"])
    )
    return pl.concat([fam_rows.cast(ROUTE_MATCH_SCHEMA), itin_rows.cast(ROUTE_MATCH_SCHEMA)]).sort(
        "level", "osm_relation_id", "gtfs_route_id", "gtfs_itinerary_id"
    )
