"""Itineraries: trips collapsed by (route, direction, stop pattern), with their ordered stops."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

CODES_SCHEMA = {"trip_idx": pl.UInt32, "stop_sequence": pl.Int32, "stop_idx": pl.UInt32}


class _Unordered(Exception):
    """stop_times is not grouped by trip in stop_sequence order: read it again, keeping sequences."""


def trip_patterns(
    read_chunks: Callable[[], Iterable[pl.DataFrame]], trips: pl.DataFrame, stops: pl.DataFrame
) -> tuple[pl.DataFrame, int]:
    """Each trip's ordered stop indexes, and how many stop times were read.

    Feeds list each trip's stop times together and in order, so the sequence column is dropped
    (8 bytes a row: 27 M rows in ~220 MB); a feed that is not ordered is read a second time.
    """
    try:
        codes = _encode(read_chunks(), trips, stops, keep_sequence=False)
        patterns = codes.group_by("trip_idx", maintain_order=True).agg(pl.col("stop_idx"))
        if codes.height and patterns.height != _runs(codes):
            raise _Unordered  # a trip's rows are split over separate places in the file
    except _Unordered:
        codes = _encode(read_chunks(), trips, stops, keep_sequence=True)
        patterns = codes.group_by("trip_idx").agg(pl.col("stop_idx").sort_by("stop_sequence"))
    return patterns.rename({"stop_idx": "pattern"}), codes.height


def _encode(
    chunks: Iterable[pl.DataFrame], trips: pl.DataFrame, stops: pl.DataFrame, *, keep_sequence: bool
) -> pl.DataFrame:
    """Ids become small integers chunk by chunk; without `keep_sequence` each chunk must be ordered."""
    trip_index = trips.select("trip_id", pl.int_range(pl.len(), dtype=pl.UInt32).alias("trip_idx"))
    stop_index = stops.select("stop_id", pl.int_range(pl.len(), dtype=pl.UInt32).alias("stop_idx"))
    columns = list(CODES_SCHEMA) if keep_sequence else ["trip_idx", "stop_idx"]
    parts = []
    for chunk in chunks:
        coded = chunk.join(trip_index, on="trip_id", how="inner", maintain_order="left").join(
            stop_index, on="stop_id", how="inner", maintain_order="left"
        )
        if not keep_sequence and not _in_order(coded):
            raise _Unordered
        parts.append(coded.select(columns))
    schema = {c: CODES_SCHEMA[c] for c in columns}
    return pl.concat(parts, rechunk=False) if parts else pl.DataFrame(schema=schema)


def _in_order(coded: pl.DataFrame) -> bool:
    """Within the chunk, each row starts a new trip or continues its trip's rising sequence."""
    new_trip = pl.col("trip_idx") != pl.col("trip_idx").shift(1)
    rising = pl.col("stop_sequence") > pl.col("stop_sequence").shift(1)
    return bool(coded.select((new_trip | rising).fill_null(True).all()).item())


def _runs(codes: pl.DataFrame) -> int:
    """How many stretches of consecutive rows share a trip."""
    changes = codes.select((pl.col("trip_idx") != pl.col("trip_idx").shift(1)).fill_null(True).sum())
    return int(changes.item())


def build_itineraries(
    patterns: pl.DataFrame, trips: pl.DataFrame, stops: pl.DataFrame, routes: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (`gtfs_itineraries`, `gtfs_itinerary_stops` with stop_id) from trip patterns."""
    # Group by a 64-bit hash of each pattern rather than the list itself: the lists (27 M stop
    # ids) are never copied, and a collision among ~10^5 distinct patterns is ~10^-9 likely.
    hashes = patterns.select("trip_idx", pl.col("pattern").hash().alias("pattern_hash"))
    trip_meta = trips.with_row_index("trip_idx").with_columns(pl.col("trip_idx").cast(pl.UInt32))
    grouped = (
        trip_meta.join(hashes, on="trip_idx", how="inner")
        .group_by("route_id", "direction_id", "pattern_hash")
        .agg(
            pl.len().cast(pl.Int64).alias("trip_count"),
            pl.col("trip_headsign").drop_nulls().mode().first().alias("headsign"),
            pl.col("trip_id").min().alias("first_trip"),
            pl.col("trip_idx").sort_by("trip_id").first().alias("sample_trip"),
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
    return itineraries, _calls(grouped, patterns, stops)


def _calls(grouped: pl.DataFrame, patterns: pl.DataFrame, stops: pl.DataFrame) -> pl.DataFrame:
    """Each itinerary's ordered stops, from the pattern of its sample trip."""
    stop_ids = stops.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("stop_idx"), "stop_id")
    return (
        grouped.select("itinerary_id", "sample_trip")
        .join(patterns, left_on="sample_trip", right_on="trip_idx", how="inner")
        .select("itinerary_id", "pattern")
        .explode("pattern")
        .with_columns((pl.int_range(pl.len()).over("itinerary_id") + 1).cast(pl.Int32).alias("seq"))
        .join(stop_ids, left_on="pattern", right_on="stop_idx", how="left")
        .select("itinerary_id", "seq", "stop_id")
        .sort("itinerary_id", "seq")
    )
