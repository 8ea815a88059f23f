"""Which OSM objects are stops, routes or route masters, and which of their tags we keep."""

from __future__ import annotations

STOP_NODE_TAGS = {
    "public_transport": frozenset({"platform", "stop_position", "station", "halt"}),
    "railway": frozenset({"tram_stop", "halt", "station"}),
    "highway": frozenset({"bus_stop"}),
    "amenity": frozenset({"ferry_terminal", "bus_station"}),
    "aerialway": frozenset({"station"}),
}
# Public-transport route values; hiking, foot, bicycle, road, mtb, ski and the like are dropped.
PT_ROUTE_MODES = frozenset(
    {
        "bus",
        "trolleybus",
        "tram",
        "train",
        "light_rail",
        "subway",
        "monorail",
        "ferry",
        "funicular",
        "aerialway",
        "share_taxi",
        "coach",
        "minibus",
        "railway",
    }
)
KEPT_KEYS = frozenset(
    {
        "name",
        "uic_name",
        "uic_ref",
        "local_ref",
        "ref",
        "operator",
        "network",
        "ref:sloid",
        "public_transport",
        "railway",
        "highway",
        "amenity",
        "aerialway",
        "tram",
        "bus",
        "train",
    }
)
STOP_ROLE_PREFIXES = ("stop", "platform")


def is_stop_node(tags: dict[str, str]) -> bool:
    """A node tagged as any kind of public-transport stop, station or terminal."""
    return any(tags.get(key) in values for key, values in STOP_NODE_TAGS.items())


def is_candidate_way(tags: dict[str, str]) -> bool:
    """A way we may use at its centre: an aerialway station or one carrying a uic_ref."""
    return tags.get("aerialway") == "station" or bool(tags.get("uic_ref"))


def is_pt_route(tags: dict[str, str]) -> bool:
    """A `type=route` relation of a public-transport mode."""
    return tags.get("type") == "route" and tags.get("route") in PT_ROUTE_MODES


def is_route_master(tags: dict[str, str]) -> bool:
    """A `type=route_master` relation grouping a line's route variants."""
    return tags.get("type") == "route_master"


def is_stop_member(member_type: str, role: str) -> bool:
    """A stop or platform member (tracks and the like are skipped)."""
    return member_type in ("node", "way") and role.startswith(STOP_ROLE_PREFIXES)


def kept_tags(tags: dict[str, str]) -> dict[str, str]:
    """The tags worth carrying to matching: names, refs, operators, gtfs:*, *wikidata."""
    return {
        k: v for k, v in tags.items() if k in KEPT_KEYS or k.startswith("gtfs:") or k.endswith("wikidata")
    }
