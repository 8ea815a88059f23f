"""Boarding platforms of each stop place: sloid, designation and where each one stands."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen import geo, names

_LETTERS = np.array(list("ABCDEFGH"))


def _layout(kind: np.ndarray, n: np.ndarray, k: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Platform offset (across, along the road or track) in metres from the stop place centre."""
    # two bus/tram platforms face each other across the road, often a little staggered
    pair_across = np.where(k == 0, -1.0, 1.0) * (7 + rng.random(len(k)) * 6)
    pair_along = np.where(k == 0, -1.0, 1.0) * rng.random(len(k)) * 20
    # hubs and stations: a row of platforms (tracks about 8-10 m apart)
    row_across = (k - (n - 1) / 2) * np.where(kind == "rail", 9.0, 20.0)
    pair = (n == 2) & np.isin(kind, ["bus", "tram"])
    across = np.where(n == 1, 0.0, np.where(pair, pair_across, row_across))
    along = np.where(pair, pair_along, 0.0)
    return across, along


def _designations(kind: np.ndarray, n: np.ndarray, k: np.ndarray, sp_u: np.ndarray) -> np.ndarray:
    """Track numbers for stations, letters for bus hubs and some pairs, else empty."""
    letters = _LETTERS[np.minimum(k, len(_LETTERS) - 1)]
    bus_lettered = (n >= 3) | ((n == 2) & (sp_u < 0.55))
    tram_lettered = sp_u < 0.4
    track = (k + 1).astype(str)
    out = np.where(kind == "rail", track, "")
    out = np.where((kind == "bus") & bus_lettered, letters, out)
    return np.where((kind == "tram") & tram_lettered, letters, out)


def _sloids(uic: np.ndarray, kind: np.ndarray, k: np.ndarray, rng) -> np.ndarray:
    """ch:1:sloid:<number without 85>:<area>:<platform>; stations use area 1 and track order."""
    short = (uic - 8_500_000).astype(str)
    # buses have no boarding area (0) and a registry-assigned platform number
    bus_part = rng.integers(1, 120_000, len(uic)) * 8 + k
    area = np.where(kind == "rail", "1", "0")
    part = np.where(kind == "rail", k + 1, bus_part).astype(str)
    return np.char.add(
        np.char.add(np.char.add(np.char.add("ch:1:sloid:", short), ":"), area), np.char.add(":", part)
    )


def build_platforms(sp: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """One row per boarding platform, with sloid, designation, coordinates and road bearing."""
    n_sp = sp["n_platforms"].to_numpy()
    sp_idx = np.repeat(np.arange(sp.height), n_sp)
    k = names.rank_within(sp_idx)
    kind, n = sp["kind"].to_numpy()[sp_idx], n_sp[sp_idx]
    bearing_sp = rng.random(sp.height) * np.pi  # direction of the road or of the tracks
    bearing = bearing_sp[sp_idx]
    across, along = _layout(kind, n, k, rng)
    east = across * np.cos(bearing) + along * np.sin(bearing)
    north = -across * np.sin(bearing) + along * np.cos(bearing)
    lat, lon = geo.offset(sp["lat"].to_numpy()[sp_idx], sp["lon"].to_numpy()[sp_idx], east, north)
    uic = sp["uic"].to_numpy()[sp_idx]
    return pl.DataFrame(
        {
            "sp_id": sp["sp_id"].to_numpy()[sp_idx],
            "k": k,
            "n": n,
            "kind": kind,
            "uic": uic,
            "sloid": _sloids(uic, kind, k, rng),
            "designation": _designations(kind, n, k, rng.random(sp.height)[sp_idx]),
            "lat": lat,
            "lon": lon,
            "bearing": bearing,
        }
    ).with_row_index("pl_id")
