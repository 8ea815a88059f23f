"""Route tokens: which (GTFS route, direction) pairs serve an official stop or an OSM element."""

from __future__ import annotations

import polars as pl

from matcher.names import normalize

# GTFS direction_id 0/1 against the Swiss OSM convention of H (Hinweg) and R (Rückweg).
DIRECTIONS = {0: "H", 1: "R"}


def stop_tokens(gtfs: dict, representative: pl.DataFrame) -> pl.DataFrame:
    """(sloid, token, kind) for every itinerary through a stop, as route:direction and route>headsign."""
    stops = gtfs.get("itinerary_stops")
    itins = gtfs.get("itineraries")
    if stops is None or itins is None or stops.is_empty():
        return pl.DataFrame(schema={"sloid": pl.String, "token": pl.String, "kind": pl.String})
    joined = stops.drop_nulls("sloid").select("itinerary_id", "sloid").unique().join(
        itins, on="itinerary_id").join(representative, on="sloid").with_columns(
        sloid=pl.col("representative"),
        dir=pl.col("direction_id").replace_strict(DIRECTIONS, default=None, return_dtype=pl.String),
        head=normalize(pl.col("headsign")))
    parts = []
    for route_col in ("route_id", "route_id_norm"):
        parts.append(joined.select("sloid", token=pl.concat_str(pl.col(route_col), pl.lit(":"),
                                                                pl.col("dir")), kind=pl.lit("dir")))
        parts.append(joined.select("sloid", token=pl.concat_str(pl.col(route_col), pl.lit(">"),
                                                                pl.col("head")), kind=pl.lit("head")))
    return pl.concat(parts).drop_nulls("token").unique().sort("sloid", "token")


def element_tokens(osm_routes: pl.DataFrame | None, osm_route_stops: pl.DataFrame | None
                   ) -> pl.DataFrame:
    """(osm_id, token, kind) for every route relation an element belongs to."""
    if osm_routes is None or osm_route_stops is None or osm_routes.is_empty():
        return pl.DataFrame(schema={"osm_id": pl.String, "token": pl.String, "kind": pl.String})
    joined = osm_route_stops.select("relation_id", "osm_id").unique().join(
        osm_routes, on="relation_id").with_columns(head=normalize(destination(pl.col("name"))))
    by_dir = joined.select("osm_id", token=pl.concat_str(
        pl.col("gtfs_route_id"), pl.lit(":"), pl.col("direction")), kind=pl.lit("dir"))
    by_head = joined.select("osm_id", token=pl.concat_str(
        pl.col("gtfs_route_id"), pl.lit(">"), pl.col("head")), kind=pl.lit("head"))
    return pl.concat([by_dir, by_head]).drop_nulls("token").unique().sort("osm_id", "token")


def destination(name: pl.Expr) -> pl.Expr:
    """The destination in a PTv2 route name ("Bus 31: A => B => C" -> "C")."""
    return name.str.extract(r"(?:=>|→|->)\s*([^=→>]+?)\s*$", 1)
