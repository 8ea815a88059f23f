"""Route tokens: which (GTFS route, direction) pairs serve an official stop or an OSM element."""

from __future__ import annotations

import polars as pl

from matcher.names import normalize

# GTFS direction_id 0/1 against the Swiss OSM convention of H (Hinweg) and R (Rückweg).
DIRECTIONS = {0: "H", 1: "R"}
TOKEN_SCHEMA = {"token": pl.String, "kind": pl.String}


def norm_route_id(expr: pl.Expr) -> pl.Expr:
    """Route ids without case, spaces or the timetable year ("80-7-A-j24-1" -> "80-7-a-jxx-1").

    Swiss route ids carry the timetable year, which OSM tags keep long after it changes; the
    GTFS reader's route_id_norm writes it as "jXX"."""
    return expr.str.to_lowercase().str.replace_all(r"\s+", "").str.replace(r"-j(?:\d{2}|xx)-", "-jxx-")


def _tokens(
    frame: pl.DataFrame, id_col: str, route: pl.Expr, direction: pl.Expr, head: pl.Expr
) -> pl.DataFrame:
    """(id, token, kind): "route:direction" (kind dir) and "route>destination" (kind head)."""
    route = norm_route_id(route)
    parts = [
        frame.select(id_col, kind=pl.lit("dir"), token=pl.concat_str(route, pl.lit(":"), direction)),
        frame.select(id_col, kind=pl.lit("head"), token=pl.concat_str(route, pl.lit(">"), head)),
    ]
    return pl.concat(parts).drop_nulls("token").unique()


def itinerary_tokens(itins: pl.DataFrame | None) -> pl.DataFrame:
    """(itinerary_id, token, kind) per GTFS itinerary: its route with direction and headsign."""
    if itins is None:
        return pl.DataFrame(schema={"itinerary_id": pl.Int64, **TOKEN_SCHEMA})
    direction = pl.col("direction_id").replace_strict(DIRECTIONS, default=None, return_dtype=pl.String)
    return _tokens(itins, "itinerary_id", pl.col("route_id"), direction, normalize(pl.col("headsign")))


def relation_tokens(osm_routes: pl.DataFrame | None) -> pl.DataFrame:
    """(relation_id, token, kind) per OSM route: gtfs:route_id with direction and destination."""
    if osm_routes is None:
        return pl.DataFrame(schema={"relation_id": pl.Int64, **TOKEN_SCHEMA})
    head = normalize(destination(pl.col("name")))
    return _tokens(
        osm_routes, "relation_id", pl.col("gtfs_route_id"), pl.col("direction").cast(pl.String), head
    )


def route_tokens(
    gtfs: dict,
    osm_routes: pl.DataFrame | None,
    osm_route_stops: pl.DataFrame | None,
    representative: pl.DataFrame,
    members: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    """Token tables (sloid | target_id, tid, kind) with shared integer token ids.

    Tokens are built per itinerary and per relation, then spread to stops through integer
    ids: normalizing or hashing strings per stop-time row would be 50x the work."""
    it_tok, rel_tok = itinerary_tokens(gtfs.get("itineraries")), relation_tokens(osm_routes)
    vocab = pl.concat([it_tok["token"], rel_tok["token"]]).unique().sort()
    ids = {"old": vocab, "new": pl.int_range(len(vocab), eager=True, dtype=pl.UInt32)}

    def with_tid(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            tid=pl.col("token").replace_strict(ids["old"], ids["new"], return_dtype=pl.UInt32)
        ).drop("token")

    stops = gtfs.get("itinerary_stops")
    stop_tok = pl.DataFrame(schema={"sloid": pl.String, "kind": pl.String, "tid": pl.UInt32})
    if stops is not None and not it_tok.is_empty():
        served = (
            stops.drop_nulls("sloid")
            .select("itinerary_id", "sloid")
            .unique()
            .join(representative, on="sloid")
            .select("itinerary_id", sloid="representative")
        )
        stop_tok = served.join(with_tid(it_tok), on="itinerary_id").select("sloid", "kind", "tid").unique()
    target_tok = pl.DataFrame(schema={"target_id": pl.Int64, "kind": pl.String, "tid": pl.UInt32})
    if osm_route_stops is not None and not rel_tok.is_empty():
        on_route = (
            osm_route_stops.select("relation_id", "osm_id")
            .unique()
            .join(members.select("osm_id", "target_id"), on="osm_id")
        )
        target_tok = (
            on_route.join(with_tid(rel_tok), on="relation_id").select("target_id", "kind", "tid").unique()
        )
    return {"stop_tokens": stop_tok, "target_tokens": target_tok}


def destination(name: pl.Expr) -> pl.Expr:
    """The destination in a PTv2 route name ("Bus 31: A => B => C" -> "C")."""
    return name.str.extract(r"(?:=>|→|->)\s*([^=→>]+?)\s*$", 1)
