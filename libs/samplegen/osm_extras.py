"""OSM-side extras: duplicated nodes, stops OSM has but the registry does not, way outlines."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from samplegen import geo
from samplegen.osm_elements import str_col

_DUPLICATE_SHARE = 0.01
_EXTRA_SHARE = 0.025
_EXTRA_NAMES = np.array(
    [
        "Werkhof",
        "Camping",
        "Kehrplatz",
        "Fabrik",
        "Parkplatz",
        "Wendeplatz",
        "Deponie",
        "Kiesgrube",
        "Schwimmbad",
        "Tierpark",
        "Golfplatz",
        "Hafen",
    ]
)


def way_modes(sp: pl.DataFrame, rng) -> np.ndarray:
    """How a station's platforms are drawn: nodes, areas under a station, or a bare halt's ways."""
    u = rng.random(sp.height)
    rail = sp["kind"].to_numpy() == "rail"
    halt = rail & (sp["station_rank"].to_numpy() < 0) & (u < 0.35)
    area = rail & ~halt & (u > 0.85)
    return np.select([halt, area], ["halt", "area"], "none")


def duplicates(platforms: pl.DataFrame, rng) -> pl.DataFrame:
    """Bus stops mapped twice, a few metres apart (both are true counterparts)."""
    nodes = platforms.filter((pl.col("elem") == "node") & (pl.col("kind") == "bus"))
    n = min(round(nodes.height * _DUPLICATE_SHARE), nodes.height)
    dup = nodes.sample(n, seed=int(rng.integers(2**31)))
    lat, lon = geo.polar_offset(
        dup["lat"].to_numpy(), dup["lon"].to_numpy(), 1 + rng.random(n) * 3, rng.random(n) * 2 * np.pi
    )
    drop_uic = pl.Series(rng.random(n) < 0.5)
    return dup.with_columns(
        lat=pl.Series(lat),
        lon=pl.Series(lon),
        role=pl.lit("duplicate"),
        uic_ref=pl.when(drop_uic).then(None).otherwise(pl.col("uic_ref")),
    )


def extras(sp: pl.DataFrame, platforms: pl.DataFrame, template: pl.DataFrame, rng) -> pl.DataFrame:
    """Bus stops only OSM has (works yards, campsites), well away from any registry platform."""
    bus = sp.filter(pl.col("kind") == "bus")
    n = round(platforms.height * _EXTRA_SHARE * 1.5)
    if bus.height == 0 or n == 0:
        return template.clear()
    base = bus.sample(n, seed=int(rng.integers(2**31)), with_replacement=True)
    lat, lon = geo.polar_offset(
        base["lat"].to_numpy(), base["lon"].to_numpy(), 250 + rng.random(n) * 400, rng.random(n) * 2 * np.pi
    )
    xy = np.column_stack([platforms["lon"].to_numpy() * 76_000, platforms["lat"].to_numpy() * 111_320])
    dist, _ = cKDTree(xy).query(np.column_stack([lon * 76_000, lat * 111_320]))
    far = dist > 200
    label = _EXTRA_NAMES[rng.integers(0, len(_EXTRA_NAMES), n)]
    frame = pl.DataFrame(
        {
            "elem": "node",
            "role": "extra",
            "kind": "bus",
            "lat": lat,
            "lon": lon,
            "bearing": 0.0,
            "candidate": False,
            "name": base["locality"] + ", " + pl.Series(label),
            "highway": "bus_stop",
            "public_transport": "platform",
            "bus": str_col(np.where(rng.random(n) < 0.7, "yes", None)),
        }
    ).filter(pl.Series(far))
    return pl.concat([template.clear(), frame], how="diagonal_relaxed").select(template.columns)


def outlines(ways: pl.DataFrame) -> pl.DataFrame:
    """Corner nodes of each way (a rectangle around its centre), four per way in way order."""
    n = ways.height
    rail = (ways["kind"] == "rail").to_numpy()
    half_len = np.where(rail, 90.0, 10.0)  # platforms are long and narrow, stations compact
    half_wid = np.where(rail, 2.5, 6.0)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float)
    way_idx = np.repeat(np.arange(n), 4)
    along = corners[:, 0][np.tile(np.arange(4), n)] * half_len[way_idx]
    across = corners[:, 1][np.tile(np.arange(4), n)] * half_wid[way_idx]
    b = ways["bearing"].to_numpy()[way_idx]
    east = along * np.sin(b) + across * np.cos(b)
    north = along * np.cos(b) - across * np.sin(b)
    lat, lon = geo.offset(ways["lat"].to_numpy()[way_idx], ways["lon"].to_numpy()[way_idx], east, north)
    return pl.DataFrame({"way": way_idx, "corner": np.tile(np.arange(4), n), "lat": lat, "lon": lon})
