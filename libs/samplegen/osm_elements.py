"""OSM stop elements derived from the registry's platforms: platforms, stop positions, stations."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen import geo, names, osm_noise

TAG_KEYS = (
    "aerialway",
    "amenity",
    "bus",
    "ferry",
    "gtfs:name",
    "highway",
    "local_ref",
    "name",
    "network",
    "operator",
    "public_transport",
    "railway",
    "ref",
    "ref:sloid",
    "train",
    "tram",
    "uic_name",
    "uic_ref",
    "wikidata",
)
_PRESENT = {"bus": 0.95, "tram": 0.95, "rail": 0.86, "ferry": 0.97, "aerialway": 0.95}


def str_col(values: np.ndarray) -> pl.Series:
    """A nullable string column from an array holding None for absent tags."""
    return pl.Series(np.asarray(values, dtype=object).tolist(), dtype=pl.Utf8)


def _maybe(rng, n: int, p: float, value) -> np.ndarray:
    """value (scalar or array) with probability p, else None."""
    return np.where(rng.random(n) < p, value, None)


def _base(p: pl.DataFrame, rng, jitter_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Platform position moved by its place's shared shift plus a little per-element jitter."""
    lat, lon = geo.polar_offset(
        p["lat"].to_numpy(), p["lon"].to_numpy(), p["shift_m"].to_numpy(), p["shift_dir"].to_numpy()
    )
    return geo.polar_offset(lat, lon, rng.random(p.height) * jitter_m, rng.random(p.height) * 2 * np.pi)


def _common_tags(p: pl.DataFrame, rng, p_name: float, p_uic: np.ndarray) -> dict[str, pl.Series]:
    """Tags any stop element may carry: name, uic_ref, operator, network, gtfs:name."""
    n = p.height
    osm_name = p.select(names.variant_name(pl.col("name"), pl.col("variant")))["name"]
    return {
        "name": osm_name.set(pl.Series(rng.random(n) >= p_name), None),
        "uic_ref": str_col(np.where(rng.random(n) < p_uic, p["uic_ref"].to_numpy(), None)),
        "operator": str_col(np.where(p["operator_on"].to_numpy(), p["osm_operator"].to_numpy(), None)),
        "network": p["network"],
        "gtfs:name": str_col(_maybe(rng, n, 0.1, p["name"].to_numpy())),
    }


def platform_elements(p: pl.DataFrame, rng) -> pl.DataFrame:
    """The platform-like element of each mapped platform (bus_stop, platform, pier, aerialway)."""
    kind = p["kind"].to_numpy()
    present = rng.random(p.height) < np.vectorize(_PRESENT.get)(kind)
    p = p.filter(pl.Series(present))
    n, kind, mode = p.height, p["kind"].to_numpy(), p["way_mode"].to_numpy()
    lat, lon = _base(p, rng, 2.0)
    is_way = (mode != "none") | ((kind == "aerialway") & (rng.random(n) < 0.4))
    # platform ways of a mapped station carry no uic_ref (so they are not candidates)
    p_uic = np.select([mode == "halt", mode == "area", kind == "rail"], [1.0, 0.0, 0.4], 0.9)
    local, ref = osm_noise.local_refs(
        p["designation"].to_numpy(), p["k"].to_numpy(), p["n"].to_numpy(), kind, rng
    )
    road, rail = np.isin(kind, ["bus", "tram"]), kind == "rail"
    tags = {
        **_common_tags(p, rng, 0.97, p_uic),
        "public_transport": str_col(np.where(road | rail, "platform", None)),
        "highway": str_col(
            np.where(
                (kind == "bus") & (rng.random(n) < 0.97) | (kind == "tram") & (rng.random(n) < 0.2),
                "bus_stop",
                None,
            )
        ),
        "bus": str_col(np.where((kind == "bus") & (rng.random(n) < 0.7), "yes", None)),
        "tram": str_col(np.where(kind == "tram", "yes", None)),
        "railway": str_col(np.where(rail, "platform", None)),
        "train": str_col(np.where(rail & (rng.random(n) < 0.5), "yes", None)),
        "amenity": str_col(np.where(kind == "ferry", "ferry_terminal", None)),
        "ferry": str_col(np.where((kind == "ferry") & (rng.random(n) < 0.5), "yes", None)),
        "aerialway": str_col(np.where(kind == "aerialway", "station", None)),
        "uic_name": str_col(
            np.where(np.isin(kind, ["rail", "ferry"]) & (rng.random(n) < 0.5), p["name"].to_numpy(), None)
        ),
        "local_ref": str_col(local),
        "ref": str_col(ref),
        "ref:sloid": str_col(_maybe(rng, n, 0.12, p["sloid"].to_numpy())),
    }
    # a platform way is a candidate only through a uic_ref that no node carries (bare halts)
    has_uic = tags["uic_ref"].is_not_null().to_numpy()
    candidate = np.where(is_way & (kind == "rail"), (mode == "halt") & has_uic, True)
    return _frame(p, lat, lon, "platform", is_way, candidate, tags)


def _stop_selection(p: pl.DataFrame, rng) -> tuple[np.ndarray, np.ndarray]:
    """Which platforms get their own stop_position, and which lead a trio (one shared stop)."""
    kind, u = p["kind"].to_numpy(), rng.random(p.height)
    pair = (p["n"].to_numpy() == 2) & (kind == "bus")
    trio = pair & (rng.random(p["sp_id"].max() + 1)[p["sp_id"].to_numpy()] < 0.35)
    own = np.select(
        [kind == "rail", kind == "tram", pair & ~trio, kind == "bus"],
        [u < 0.75, u < 0.6, u < 0.06, u < 0.15],
        False,
    )
    return own, trio & (p["k"].to_numpy() == 0)


def _stop_coordinates(sel: pl.DataFrame, trio: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Where each stop_position lies (WGS84)."""
    # a bus stop_position is on the road, 3 m from its platform towards the road's middle;
    # a train's is on its track, along the platform; a trio's sits between its two platforms
    kind, k, n = sel["kind"].to_numpy(), sel["k"].to_numpy(), sel["n"].to_numpy()
    toward_road = np.where((n == 2) & (k == 1), -3.0, 3.0)
    along = np.where(kind == "rail", 5 + rng.random(sel.height) * 15, 0.0)
    across = np.where(kind == "rail", 1.5, toward_road)
    lat, lon = _base(sel, rng, 1.0)
    b = sel["bearing"].to_numpy()
    # platform rows run across the bearing (see platforms._layout): across = (cos b, -sin b)
    east, north = across * np.cos(b) + along * np.sin(b), -across * np.sin(b) + along * np.cos(b)
    lat, lon = geo.offset(lat, lon, east, north)
    mid_lat, mid_lon = geo.polar_offset(
        sel["sp_lat"].to_numpy(),
        sel["sp_lon"].to_numpy(),
        sel["shift_m"].to_numpy(),
        sel["shift_dir"].to_numpy(),
    )
    return np.where(trio, mid_lat, lat), np.where(trio, mid_lon, lon)


def _stop_tags(sel: pl.DataFrame, rng) -> dict[str, pl.Series]:
    """Tags of stop_positions: mode, railway=stop/tram_stop, track refs for trains."""
    kind, m = sel["kind"].to_numpy(), sel.height
    local, ref = osm_noise.local_refs(
        sel["designation"].to_numpy(), sel["k"].to_numpy(), sel["n"].to_numpy(), kind, rng
    )
    # a bare halt's stops carry no uic_ref: its platform ways are then the candidates
    p_uic = np.where(sel["way_mode"].to_numpy() == "halt", 0.0, 0.7)
    railway = np.select([kind == "tram", kind == "rail"], ["tram_stop", "stop"], None)
    return {
        **_common_tags(sel, rng, 0.8, p_uic),
        "public_transport": str_col(np.full(m, "stop_position", dtype=object)),
        "bus": str_col(np.where(kind == "bus", "yes", None)),
        "tram": str_col(np.where(kind == "tram", "yes", None)),
        "train": str_col(np.where(kind == "rail", "yes", None)),
        "railway": str_col(railway),
        "local_ref": str_col(np.where(kind == "rail", local, None)),
        "ref": str_col(np.where(kind == "rail", ref, None)),
    }


def stop_elements(p: pl.DataFrame, rng) -> pl.DataFrame:
    """stop_position nodes: per track, per tram platform, some per bus platform, shared in trios."""
    own, first_of_trio = _stop_selection(p, rng)
    keep = own | first_of_trio
    sel, trio = p.filter(pl.Series(keep)), first_of_trio[keep]
    lat, lon = _stop_coordinates(sel, trio, rng)
    m = sel.height
    out = _frame(sel, lat, lon, "stop", np.zeros(m, dtype=bool), np.ones(m, dtype=bool), _stop_tags(sel, rng))
    # the trio's stop belongs to the second platform as well (pl_id + 1: same place, k = 1)
    return out.with_columns(pl_id2=pl.when(pl.Series(trio)).then(pl.col("pl_id") + 1).otherwise(None))


def station_elements(sp: pl.DataFrame, rng) -> pl.DataFrame:
    """Station nodes (never match candidates): railway stations and big bus stations."""
    kind, n = sp["kind"].to_numpy(), sp["n_platforms"].to_numpy()
    rail = (kind == "rail") & (sp["way_mode"].to_numpy() != "halt") & (rng.random(sp.height) < 0.95)
    bus_hub = (kind == "bus") & (n >= 4) & (rng.random(sp.height) < 0.5)
    sel = sp.filter(pl.Series(rail | bus_hub))
    m, is_rail = sel.height, sel["kind"].to_numpy() == "rail"
    lat, lon = _base(sel, rng, 3.0)
    small = sel["n_platforms"].to_numpy() <= 2
    tags = {
        **_common_tags(sel, rng, 1.0, np.where(is_rail, 0.95, 0.3)),
        "public_transport": str_col(np.full(m, "station", dtype=object)),
        "railway": str_col(
            np.where(is_rail, np.where(small & (rng.random(m) < 0.4), "halt", "station"), None)
        ),
        "amenity": str_col(np.where(is_rail, None, "bus_station")),
        "uic_name": str_col(np.where(is_rail, sel["name"].to_numpy(), None)),
        "wikidata": str_col(_maybe(rng, m, 0.6, np.char.add("Q", rng.integers(10**5, 10**8, m).astype(str)))),
    }
    frame = sel.with_columns(pl_id=pl.lit(None, pl.Int64))
    return _frame(frame, lat, lon, "station", np.zeros(m, dtype=bool), np.zeros(m, dtype=bool), tags)


def _frame(p: pl.DataFrame, lat, lon, role: str, is_way, candidate, tags) -> pl.DataFrame:
    """Assemble elements with every tag column present (null where absent)."""
    cols = {k: tags.get(k, pl.Series([None] * p.height, dtype=pl.Utf8)) for k in TAG_KEYS}
    return pl.DataFrame(
        {
            "elem": np.where(is_way, "way", "node"),
            "role": role,
            "pl_id": p["pl_id"].cast(pl.Int64),
            "pl_id2": pl.Series([None] * p.height, dtype=pl.Int64),
            "sp_id": p["sp_id"].cast(pl.Int64),
            "kind": p["kind"],
            "lat": lat,
            "lon": lon,
            "bearing": p["bearing"],
            "candidate": candidate,
            **cols,
        }
    )
