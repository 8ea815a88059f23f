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
    """Token tables (sloid | target_id, kind, tid) with shared integer token ids.

    Tokens are built per itinerary and per relation, then spread to stops through integer
    ids: normalizing or hashing strings per stop-time row would be 50x the work."""
    it_tok, rel_tok = itinerary_tokens(gtfs.get("itineraries")), relation_tokens(osm_routes)
    vocab = pl.concat([it_tok["token"], rel_tok["token"]]).unique().sort()
    it_tok, rel_tok = _with_token_ids(it_tok, vocab), _with_token_ids(rel_tok, vocab)
    served = pl.DataFrame(schema={"itinerary_id": pl.Int64, "sloid": pl.String})
    stops = gtfs.get("itinerary_stops")
    if stops is not None:
        served = (
            stops.drop_nulls("sloid")
            .select("itinerary_id", "sloid")
            .unique()
            .join(representative, on="sloid")
            .select("itinerary_id", sloid="representative")
        )
    on_route = pl.DataFrame(schema={"relation_id": pl.Int64, "target_id": pl.Int64})
    if osm_route_stops is not None:
        on_route = (
            osm_route_stops.select("relation_id", "osm_id")
            .unique()
            .join(members.select("osm_id", "target_id"), on="osm_id")
            .select("relation_id", "target_id")
        )
    return {
        "stop_tokens": _spread(served, it_tok, "itinerary_id", "sloid"),
        "target_tokens": _spread(on_route, rel_tok, "relation_id", "target_id"),
    }


def _with_token_ids(tokens: pl.DataFrame, vocab: pl.Series) -> pl.DataFrame:
    """Replace the token text by its UInt32 position in the shared vocabulary."""
    ids = pl.int_range(len(vocab), eager=True, dtype=pl.UInt32)
    return tokens.with_columns(tid=pl.col("token").replace_strict(vocab, ids, return_dtype=pl.UInt32)).drop(
        "token"
    )


def _spread(links: pl.DataFrame, tokens: pl.DataFrame, via: str, to: str) -> pl.DataFrame:
    """(to, kind, tid): each route's tokens given to every stop or target it serves."""
    return links.join(tokens, on=via).select(to, "kind", "tid").unique()


def destination(name: pl.Expr) -> pl.Expr:
    """The destination in a PTv2 route name ("Bus 31: A => B => C" -> "C")."""
    return name.str.extract(r"(?:=>|→|->)\s*([^=→>]+?)\s*$", 1)
