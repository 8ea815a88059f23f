"""Itineraries: trips collapsed by (route, direction, stop pattern), with their ordered stops."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

CODES_SCHEMA = {"trip_idx": pl.UInt32, "stop_sequence": pl.Int32, "stop_idx": pl.UInt32}


def trip_patterns(
    chunks: Iterable[pl.DataFrame], trips: pl.DataFrame, stops: pl.DataFrame
) -> tuple[pl.DataFrame, int]:
    """Each trip's ordered stop indexes, and how many stop times were read.

    Ids become small integers chunk by chunk (27 M rows fit in ~300 MB); that table lives only
    inside this function, so it is freed before itineraries are built.
    """
    trip_index = trips.select("trip_id", pl.int_range(pl.len(), dtype=pl.UInt32).alias("trip_idx"))
    stop_index = stops.select("stop_id", pl.int_range(pl.len(), dtype=pl.UInt32).alias("stop_idx"))
    parts = [
        chunk.join(trip_index, on="trip_id", how="inner")
        .join(stop_index, on="stop_id", how="inner")
        .select(list(CODES_SCHEMA))
        for chunk in chunks
    ]
    codes = pl.concat(parts, rechunk=False) if parts else pl.DataFrame(schema=CODES_SCHEMA)
    del parts
    # Sorting within each trip is far cheaper in memory than sorting all 27 M rows at once.
    patterns = codes.group_by("trip_idx").agg(pl.col("stop_idx").sort_by("stop_sequence").alias("pattern"))
    return patterns, codes.height


def build_itineraries(
    patterns: pl.DataFrame, trips: pl.DataFrame, stops: pl.DataFrame, routes: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (`gtfs_itineraries`, `gtfs_itinerary_stops` with stop_id) from trip patterns."""
    trip_meta = trips.with_row_index("trip_idx").with_columns(pl.col("trip_idx").cast(pl.UInt32))
    grouped = (
        patterns.join(trip_meta, on="trip_idx", how="inner")
        .group_by("route_id", "direction_id", "pattern")
        .agg(
            pl.len().cast(pl.Int64).alias("trip_count"),
            pl.col("trip_headsign").drop_nulls().mode().first().alias("headsign"),
            pl.col("trip_id").min().alias("first_trip"),
        )
        # A stable order makes itinerary ids repeatable across runs of the same feed.
        .sort("route_id", "direction_id", "first_trip", nulls_last=True)
        .with_row_index("itinerary_id", offset=1)
        .with_columns(pl.col("itinerary_id").cast(pl.Int64))
        .join(routes.select("route_id", "route_id_norm"), on="route_id", how="left")
    )
    itineraries = grouped.select(
        "itinerary_id", "route_id", "route_id_norm", "direction_id", "headsign", "trip_count"
    )
    stop_ids = stops.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("stop_idx"), "stop_id")
    calls = (
        grouped.select("itinerary_id", "pattern")
        .explode("pattern")
        .with_columns((pl.int_range(pl.len()).over("itinerary_id") + 1).cast(pl.Int32).alias("seq"))
        .join(stop_ids, left_on="pattern", right_on="stop_idx", how="left")
        .select("itinerary_id", "seq", "stop_id")
        .sort("itinerary_id", "seq")
    )
    return itineraries, calls
