"""The Swiss GTFS feed as `gtfs_*` frames: stops resolved to sloids, routes and itineraries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import polars as pl

from preprocess.gtfs_feed import open_feed, read_table, stop_time_chunks
from preprocess.gtfs_identity import parse_stop_ids, resolve_sloids
from preprocess.gtfs_itineraries import build_itineraries, trip_patterns
from preprocess.validate import parse_lon_lat

STOP_COLUMNS = ("stop_id", "uic", "platform", "name", "lon", "lat", "sloid", "resolve_method", "confidence")
YEAR_SUFFIX = r"-j\d{2}\b"  # the timetable year in Swiss route ids: `-j25` -> `-jXX`


@dataclass
class ParsedGtfs:
    """The feed before identity resolution (what the `parsed GTFS` cache stage stores)."""

    stops: pl.DataFrame
    routes: pl.DataFrame
    itineraries: pl.DataFrame
    itinerary_stops: pl.DataFrame
    counts: dict[str, int] = field(default_factory=dict)  # trips and stop_times read

    def frames(self) -> dict[str, pl.DataFrame]:
        """The four frames by name (what the cache stores)."""
        return {
            "stops": self.stops,
            "routes": self.routes,
            "itineraries": self.itineraries,
            "itinerary_stops": self.itinerary_stops,
        }


@dataclass
class GtfsResult:
    """The four frames of docs/architecture.md."""

    stops: pl.DataFrame
    routes: pl.DataFrame
    itineraries: pl.DataFrame
    itinerary_stops: pl.DataFrame


def read_gtfs(path: Path, atlas_stops: pl.DataFrame) -> GtfsResult:
    """Parse a GTFS zip and resolve its stops against ATLAS."""
    return resolve(parse_gtfs(Path(path)), atlas_stops)


def parse_gtfs(path: Path) -> ParsedGtfs:
    """Read stops, routes, trips and stop_times; collapse trips into itineraries."""
    with open_feed(path) as archive:
        stops = _stops(read_table(archive, path, "stops.txt"), f"{path}!stops.txt")
        routes = _routes(read_table(archive, path, "routes.txt"))
        trips = _trips(read_table(archive, path, "trips.txt"))
        # A factory, not a generator: an unordered feed is read a second time.
        chunks = partial(stop_time_chunks, archive, path)
        patterns, stop_times = trip_patterns(chunks, trips, stops)
    itineraries, calls = build_itineraries(patterns, trips, stops, routes)
    counts = {"trips": trips.height, "stop_times": stop_times}
    return ParsedGtfs(stops, routes, itineraries, calls, counts)


def resolve(parsed: ParsedGtfs, atlas_stops: pl.DataFrame) -> GtfsResult:
    """Attach sloids to stops and to every itinerary call (the `identity` cache stage)."""
    stops = resolve_sloids(parsed.stops, atlas_stops).select(STOP_COLUMNS)
    calls = parsed.itinerary_stops.join(
        stops.select("stop_id", "sloid", "uic"), on="stop_id", how="left"
    ).select("itinerary_id", "seq", "stop_id", "sloid", "uic")
    return GtfsResult(stops, parsed.routes, parsed.itineraries, calls)


def _stops(raw: pl.DataFrame, where: str) -> pl.DataFrame:
    """Typed stops with UIC and platform parsed from the Swiss ids."""
    located = parse_lon_lat(raw.with_row_index("row", offset=2), "gtfs", where, "stop_lon", "stop_lat")
    return (
        parse_stop_ids(located)
        .select(
            "stop_id",
            "uic",
            "platform",
            pl.col("stop_name").alias("name"),
            "lon",
            "lat",
            "location_type",
            "original_stop_id",
        )
        .unique("stop_id", keep="first", maintain_order=True)
    )


def _routes(raw: pl.DataFrame) -> pl.DataFrame:
    """Routes with the year-independent id used to group line families across timetables."""
    return raw.select(
        "route_id",
        pl.col("route_id").str.replace_all(YEAR_SUFFIX, "-jXX").alias("route_id_norm"),
        pl.col("route_short_name").alias("short_name"),
        pl.col("route_long_name").alias("long_name"),
        pl.col("route_type").str.strip_chars().cast(pl.Int32, strict=False),
        "agency_id",
    )


def _trips(raw: pl.DataFrame) -> pl.DataFrame:
    """Trips with an integer direction."""
    return raw.with_columns(pl.col("direction_id").str.strip_chars().cast(pl.Int32, strict=False)).unique(
        "trip_id", keep="first", maintain_order=True
    )
