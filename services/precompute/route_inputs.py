"""Adapt the matcher's route matches to the pairs route-problem detection reads."""

from __future__ import annotations

import polars as pl

PAIRS_SCHEMA = {"relation_id": pl.Int64, "itinerary_id": pl.Int64}


def route_pairs(
    route_matches: pl.DataFrame | None, osm_routes: pl.DataFrame | None, itineraries: pl.DataFrame | None
) -> pl.DataFrame | None:
    """Matched (relation, itinerary) pairs, plus each side's unmatched routes with a null partner."""
    if route_matches is None or osm_routes is None or itineraries is None:
        return None
    matched = (
        route_matches.filter(pl.col("level") == "itinerary")
        .select(
            pl.col("osm_relation_id").cast(pl.Int64).alias("relation_id"),
            pl.col("gtfs_itinerary_id").cast(pl.Int64).alias("itinerary_id"),
        )
        .drop_nulls()
        .unique()
    )
    lone_osm = (
        osm_routes.select(pl.col("relation_id").cast(pl.Int64))
        .unique()
        .join(matched, on="relation_id", how="anti")
        .with_columns(pl.lit(None, pl.Int64).alias("itinerary_id"))
    )
    lone_gtfs = (
        itineraries.select(pl.col("itinerary_id").cast(pl.Int64))
        .unique()
        .join(matched, on="itinerary_id", how="anti")
        .with_columns(pl.lit(None, pl.Int64).alias("relation_id"))
        .select("relation_id", "itinerary_id")
    )
    return pl.concat([matched, lone_osm, lone_gtfs]).sort("relation_id", "itinerary_id", nulls_last=True)
