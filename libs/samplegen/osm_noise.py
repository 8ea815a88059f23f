"""How OSM differs from the registry: position offsets, uic_ref/local_ref quality, name variants."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from samplegen import names

UIC_STATES = ("correct", "missing", "partial", "wrong")
# per kind: P(correct, missing, partial, wrong); buses are often mapped without uic_ref
_UIC_P = {
    "rail": (0.85, 0.10, 0.03, 0.02),
    "bus": (0.45, 0.47, 0.04, 0.04),
    "tram": (0.55, 0.37, 0.04, 0.04),
    "ferry": (0.5, 0.46, 0.02, 0.02),
    "aerialway": (0.4, 0.56, 0.02, 0.02),
}
NETWORKS = {
    "Zürich": "ZVV",
    "Winterthur": "ZVV",
    "Uster": "ZVV",
    "Dübendorf": "ZVV",
    "Bern": "Libero",
    "Köniz": "Libero",
    "Thun": "Libero",
    "Basel": "TNW",
    "Liestal": "TNW",
    "Genève": "unireso",
    "Lausanne": "Mobilis",
    "Morges": "Mobilis",
    "Luzern": "Passepartout",
    "Kriens": "Passepartout",
    "St. Gallen": "Ostwind",
    "Lugano": "Arcobaleno",
    "Bellinzona": "Arcobaleno",
    "Locarno": "Arcobaleno",
    "Fribourg": "frimobil",
    "Aarau": "A-Welle",
    "Baden": "A-Welle",
    "Zug": "Zugerland",
}


def _pick(rng, p: tuple[float, ...], n: int) -> np.ndarray:
    """Draw n category indices with probabilities p."""
    return np.searchsorted(np.cumsum(p), rng.random(n) * np.sum(p))


def place_noise(sp: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Per stop place: shared shift, uic_ref state and value, name variant, operator, network."""
    n, kind = sp.height, sp["kind"].to_numpy()
    state = np.zeros(n, dtype=np.int64)
    for k, p in _UIC_P.items():
        m = kind == k
        state[m] = _pick(rng, p, int(m.sum()))
    return sp.select("sp_id").with_columns(
        shift_m=pl.Series(_shift(rng, state, sp["n_platforms"].to_numpy())),
        shift_dir=pl.Series(rng.random(n) * 2 * np.pi),
        uic_state=pl.Series(np.array(UIC_STATES)[state]),
        uic_ref=pl.Series(_uic_values(sp, state, rng)),
        variant=pl.Series(_pick(rng, names.VARIANT_WEIGHTS, n)),
        operator_on=pl.Series(rng.random(n) < 0.6),
        network=sp["town"]
        .replace_strict(NETWORKS, default=None, return_dtype=pl.Utf8)
        .set(pl.Series(rng.random(n) < 0.5), None),
    )


def _shift(rng, state: np.ndarray, n_platforms: np.ndarray) -> np.ndarray:
    """Offset of OSM from the registry: mostly metres, rarely a few hundred (with a sound uic_ref)."""
    u = rng.random(len(state))
    near = rng.random(len(state))
    lone = n_platforms == 1
    # a place with several platforms moves less (mappers align its platforms with each other):
    # a shift near the platform spacing would make the platforms indistinguishable
    mid = np.where(lone, 6 + near * 19, 5 + near * 7)
    dist = np.select(
        [u < np.where(lone, 0.80, 0.85), u < 0.97],
        [near * np.where(lone, 6, 5), mid],
        default=25 + near * 275,
    )
    # far offsets only where a correct uic_ref still identifies the stop; wrong refs stay close
    dist = np.where((state != 0) & (dist > 25), np.where(lone, 5 + near * 20, near * 5), dist)
    return np.where(state == 3, near * 5, dist)


def _uic_values(sp: pl.DataFrame, state: np.ndarray, rng) -> np.ndarray:
    """The uic_ref text: right, absent, truncated, or the number of a nearby bus stop."""
    uic = sp["uic"].to_numpy()
    text = uic.astype(str).astype(object)
    partial = np.where(rng.random(len(uic)) < 0.5, (uic % 100_000).astype(str), (uic // 10).astype(str))
    road = np.flatnonzero(np.isin(sp["kind"].to_numpy(), ["bus", "tram"]))
    xy = np.column_stack([sp["lon"].to_numpy() * 76_000, sp["lat"].to_numpy() * 111_320])
    # the wrong number is a neighbouring bus stop's (a copy-paste error); never a station's
    _, near = cKDTree(xy[road]).query(xy, k=2)
    neighbour = uic[road][np.where(road[near[:, 0]] == np.arange(len(uic)), near[:, 1], near[:, 0])]
    out = np.select(
        [state == 0, state == 2, state == 3],
        [text, partial.astype(object), neighbour.astype(str).astype(object)],
        default=None,
    )
    return out


def local_refs(designation: np.ndarray, k: np.ndarray, n: np.ndarray, kind: np.ndarray, rng):
    """local_ref (or ref) per platform: mostly right for tracks, often absent for buses."""
    u = rng.random(len(k))
    p_present = np.where(kind == "rail", 0.9, np.where(kind == "tram", 0.5, 0.6))
    wrong_value = np.where(
        kind == "rail", ((k + 1) % np.maximum(n, 1) + 1).astype(str), np.array(list("ABCDEFGH"))[(k + 1) % 8]
    )
    value = np.where(u < 0.005, wrong_value, designation)
    present = (designation != "") & (u < p_present)
    as_ref = rng.random(len(k)) < 0.25  # written as ref instead of local_ref
    local = np.where(present & ~as_ref, value, None)
    ref = np.where(present & as_ref, value, None)
    return local, ref
