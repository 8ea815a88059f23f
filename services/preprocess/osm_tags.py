"""Which OSM objects are stops, candidate ways, routes or route masters: polars expressions."""

from __future__ import annotations

import polars as pl

STOP_NODE_TAGS = {
    "public_transport": ("platform", "stop_position", "station", "halt"),
    "railway": ("tram_stop", "halt", "station"),
    "highway": ("bus_stop",),
    "amenity": ("ferry_terminal", "bus_station"),
    "aerialway": ("station",),
}
# Public-transport route values; hiking, foot, bicycle, road, mtb, ski and the like are dropped.
PT_ROUTE_MODES = (
    "bus", "trolleybus", "tram", "train", "light_rail", "subway", "monorail", "ferry",
    "funicular", "aerialway", "share_taxi", "coach", "minibus", "railway",
)  # fmt: skip
KEPT_KEYS = (
    "name", "uic_name", "uic_ref", "local_ref", "ref", "operator", "network", "ref:sloid",
    "public_transport", "railway", "highway", "amenity", "aerialway", "tram", "bus", "train",
)  # fmt: skip
ROUTE_KEYS = ("type", "route", "ref", "name", "network", "operator", "gtfs:route_id", "ref_trips")
STOP_ROLE = r"^(stop|platform)"


def is_stop_node() -> pl.Expr:
    """A node tagged as any kind of public-transport stop, station or terminal."""
    tests = [pl.col(key).is_in(values) for key, values in STOP_NODE_TAGS.items()]
    return pl.any_horizontal(tests).fill_null(False)


def is_candidate_way() -> pl.Expr:
    """A way we may use at its centre: an aerialway station or one carrying a uic_ref."""
    return ((pl.col("aerialway") == "station") | (pl.col("uic_ref") != "")).fill_null(False)


def is_pt_route() -> pl.Expr:
    """A `type=route` relation of a public-transport mode."""
    return ((pl.col("type") == "route") & pl.col("route").is_in(PT_ROUTE_MODES)).fill_null(False)


def is_route_master() -> pl.Expr:
    """A `type=route_master` relation grouping a line's route variants."""
    return (pl.col("type") == "route_master").fill_null(False)


def is_stop_member() -> pl.Expr:
    """A node or way member whose role is a stop or platform (tracks are skipped)."""
    return pl.col("member_type").is_in(["n", "w"]) & pl.col("role").str.contains(STOP_ROLE)


def is_kept_key(key: pl.Expr) -> pl.Expr:
    """Tags worth carrying to matching: names, refs, operators, gtfs:*, *wikidata."""
    return key.is_in(KEPT_KEYS) | key.str.starts_with("gtfs:") | key.str.ends_with("wikidata")
