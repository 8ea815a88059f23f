"""Service points (stop places): where they are, what they are called, their UIC number, platforms."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from samplegen import geo, names, operators, vocabulary
from samplegen.towns import pick_towns

# Stop places at scale 1.0, tuned so the platforms add up to about 55,000 kept ATLAS rows.
COUNTS = {"bus": 32_000, "rail": 1_800, "tram": 700, "ferry": 160, "aerialway": 450}
_SPACING_M = 140.0  # two different stop places are never closer (keeps the truth unambiguous)
_CORE_SHARE = 0.5  # share of a town's bus stops in the town itself, the rest in its villages
_UIC_RANGES = {
    "rail": (8_500_000, 8_520_000),
    "aerialway": (8_530_000, 8_540_000),
    "ferry": (8_540_000, 8_550_000),
    "bus": (8_560_000, 8_600_000),
}


def _split(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split a total into integer shares proportional to weights (deterministic for the rng)."""
    if total <= 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=np.int64)
    return rng.multinomial(total, weights / weights.sum())


def _villages(towns: pl.DataFrame, n_village_stops: np.ndarray, rng) -> pl.DataFrame:
    """Villages around each town (about four stops each), placed inside the town's safe radius."""
    per_town = np.maximum(np.ceil(n_village_stops / 4).astype(np.int64), (n_village_stops > 0))
    town_idx = np.repeat(np.arange(len(towns)), per_town)
    lat0, lon0 = towns["lat"].to_numpy()[town_idx], towns["lon"].to_numpy()[town_idx]
    safe = towns["safe_km"].to_numpy()[town_idx] * 1000
    # a ring outside the core when there is room, else anywhere within the safe radius
    inner = np.minimum(2500.0, safe * 0.5)
    dist = inner + (safe - 700 - inner).clip(min=0) * rng.random(len(town_idx))
    lat, lon = geo.polar_offset(lat0, lon0, dist, rng.random(len(town_idx)) * 2 * np.pi)
    langs = towns["lang"].to_numpy()[town_idx]
    vname = np.empty(len(town_idx), dtype=object)
    for lang, vocab in vocabulary.VILLAGES.items():
        mask = langs == lang
        vname[mask] = names.pick_names(vocab, np.zeros(mask.sum(), dtype=np.int64), rng)
    share = np.repeat(n_village_stops / np.maximum(per_town, 1), per_town)
    return pl.DataFrame(
        {"town_idx": town_idx, "village": vname.astype(str), "lat": lat, "lon": lon, "share": share}
    )


def _core_places(towns: pl.DataFrame, n_core: np.ndarray, n_tram: np.ndarray, rng) -> pl.DataFrame:
    """Stops scattered over each town's core; the first n_tram of a town are tram stops."""
    town = np.repeat(np.arange(len(towns)), n_core)
    # core radius grows with the number of stops (about 0.12 km2 each), capped by the border
    radius = np.minimum(np.sqrt(n_core * 0.12 / np.pi) * 1000 + 300, towns["safe_km"].to_numpy() * 1000)
    lat, lon = geo.scatter_disc(
        rng, towns["lat"].to_numpy()[town], towns["lon"].to_numpy()[town], radius[town]
    )
    is_tram = names.rank_within(town) < n_tram[town]
    return pl.DataFrame(
        {
            "town_idx": town,
            "locality": towns["town"].to_numpy()[town],
            "lat": lat,
            "lon": lon,
            "in_core": True,
            "kind": np.where(is_tram, "tram", "bus"),
        }
    )


def _village_places(villages: pl.DataFrame, n_stops: np.ndarray, rng) -> pl.DataFrame:
    """Bus stops clustered within 700 m of each village centre."""
    idx = np.repeat(np.arange(len(villages)), n_stops)
    lat, lon = geo.scatter_disc(
        rng, villages["lat"].to_numpy()[idx], villages["lon"].to_numpy()[idx], np.full(len(idx), 700.0)
    )
    return pl.DataFrame(
        {
            "town_idx": villages["town_idx"].to_numpy()[idx],
            "locality": villages["village"].to_numpy()[idx],
            "lat": lat,
            "lon": lon,
            "in_core": False,
            "kind": "bus",
        }
    )


def _bus_and_tram(towns: pl.DataFrame, scale: float, rng) -> pl.DataFrame:
    """Bus and tram stop places: dense in town cores, clustered in villages around them."""
    w = towns["weight"].to_numpy()
    n_bus = _split(round(COUNTS["bus"] * scale * 1.25), w, rng)  # 20% are thinned out below
    tram_w = np.where(towns["flags"].str.contains("T").to_numpy(), w, 0.0)
    n_tram = _split(round(COUNTS["tram"] * scale * 1.25), tram_w, rng)
    n_core_bus = np.round(n_bus * _CORE_SHARE).astype(np.int64)
    n_village = n_bus - n_core_bus
    villages = _villages(towns, n_village, rng)
    n_vill = _split(int(n_village.sum()), villages["share"].to_numpy(), rng)
    core = _core_places(towns, n_core_bus + n_tram, n_tram, rng)
    return _thin(pl.concat([core, _village_places(villages, n_vill, rng)]), _SPACING_M)


def _thin(frame: pl.DataFrame, min_m: float) -> pl.DataFrame:
    """Drop the later of any two places closer than min_m (a cheap Poisson-disc)."""
    if frame.height < 2:
        return frame
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    xy = np.column_stack([lon * 111_320 * np.cos(np.radians(46.8)), lat * 111_320])
    pairs = cKDTree(xy).query_pairs(min_m, output_type="ndarray")
    keep = np.ones(frame.height, dtype=bool)
    keep[pairs.max(axis=1)] = False
    return frame.filter(pl.Series(keep))


def _town_stations(towns: pl.DataFrame, scale: float, rng) -> pl.DataFrame:
    """The main station near each centre (rank 0) and, in big towns, more stations further out."""
    n_town = 1 + np.round(towns["weight"].to_numpy() * 0.4 * np.sqrt(scale)).astype(np.int64)
    idx = np.repeat(np.arange(len(towns)), n_town)
    rank = names.rank_within(idx)
    # at most 1 km, or 500 m short of the safe radius, from the centre: inside the border
    near = rng.random(len(idx)) * 300
    outer = 1000 + rng.random(len(idx)) * (towns["safe_km"].to_numpy()[idx] * 1000 - 1500)
    dist = np.where(rank == 0, near, outer)
    lat, lon = geo.polar_offset(
        towns["lat"].to_numpy()[idx],
        towns["lon"].to_numpy()[idx],
        dist.clip(min=0),
        rng.random(len(idx)) * 2 * np.pi,
    )
    return pl.DataFrame(
        {
            "town_idx": idx,
            "locality": towns["town"].to_numpy()[idx],
            "lat": lat,
            "lon": lon,
            "in_core": True,
            "kind": "rail",
            "station_rank": rank,
        }
    )


def _rail(towns: pl.DataFrame, bus: pl.DataFrame, scale: float, rng) -> pl.DataFrame:
    """Railway stations: the towns' stations, then halts (rank -1) in villages up to the count."""
    stations = _town_stations(towns, scale, rng)
    villages = (
        bus.filter(~pl.col("in_core"))
        .group_by("locality", maintain_order=True)
        .agg(pl.col("town_idx").first(), pl.col("lat").mean(), pl.col("lon").mean())
    )
    n_halts = max(round(COUNTS["rail"] * scale) - stations.height, 0)
    halts = villages.sample(min(n_halts, villages.height), seed=int(rng.integers(2**31)))
    halts = halts.with_columns(  # 200 m north of the village centre
        pl.col("lat") + 0.0018, in_core=pl.lit(False), kind=pl.lit("rail"), station_rank=pl.lit(-1, pl.Int64)
    )
    return pl.concat([stations, halts.select(stations.columns)], how="vertical_relaxed")


def _lakes_and_mountains(towns: pl.DataFrame, scale: float, rng) -> pl.DataFrame:
    """Ferry piers in lake towns and aerialway stations around mountain resorts."""
    parts = []
    for kind, flag, spread in (("ferry", "L", (300.0, 900.0)), ("aerialway", "M", (500.0, 5000.0))):
        mask = towns["flags"].str.contains(flag).to_numpy()
        n = _split(round(COUNTS[kind] * scale), mask * np.sqrt(towns["weight"].to_numpy()), rng)
        idx = np.repeat(np.arange(len(towns)), n)
        hi = np.minimum(spread[1], towns["safe_km"].to_numpy()[idx] * 1000 - 300)
        dist = spread[0] + rng.random(len(idx)) * (hi - spread[0]).clip(min=0)
        lat, lon = geo.polar_offset(
            towns["lat"].to_numpy()[idx], towns["lon"].to_numpy()[idx], dist, rng.random(len(idx)) * 2 * np.pi
        )
        parts.append(
            pl.DataFrame(
                {
                    "town_idx": idx,
                    "locality": towns["town"].to_numpy()[idx],
                    "lat": lat,
                    "lon": lon,
                    "in_core": True,
                    "kind": kind,
                }
            )
        )
    return pl.concat(parts, how="vertical_relaxed")


def _official_names(sp: pl.DataFrame, towns: pl.DataFrame, rng) -> np.ndarray:
    """designationOfficial: 'Locality, Stop' for buses and trams, 'Town District' for stations."""
    kind = sp["kind"].to_numpy()
    loc = sp["locality"].to_numpy().astype(str)
    lang = towns["lang"].to_numpy()[sp["town_idx"].to_numpy()]
    out = np.empty(sp.height, dtype=object)
    loc_code = pl.Series(loc).cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
    road = np.isin(kind, ["bus", "tram"])
    for lg, vocab in vocabulary.STOPS.items():
        m = road & (lang == lg)
        out[m] = np.char.add(np.char.add(loc[m], ", "), names.pick_names(vocab, loc_code[m], rng))
    m = kind == "aerialway"
    out[m] = np.char.add(np.char.add(loc[m], ", "), names.pick_names(vocabulary.AERIAL, loc_code[m], rng))
    m = kind == "ferry"
    # the first pier of a town is "Town (See)", further ones "Town District (See)"
    pier = names.rank_within(loc_code[m])
    district = np.array(
        [vocabulary.STATION_DISTRICTS[x][r % 10] for x, r in zip(lang[m], pier, strict=True)], dtype=str
    )
    prefix = np.where(pier == 0, loc[m], np.char.add(np.char.add(loc[m], " "), district))
    out[m] = np.char.add(prefix, np.array([vocabulary.LAKE_SUFFIX[x] for x in lang[m]], dtype=str))
    out[kind == "rail"] = _station_names(sp.filter(pl.col("kind") == "rail"), lang[kind == "rail"])
    return out.astype(str)


def _station_names(rail: pl.DataFrame, lang: np.ndarray) -> np.ndarray:
    """'Zürich HB', 'Winterthur Grüze', or the village name for a halt."""
    loc = rail["locality"].to_numpy().astype(str)
    rank = rail["station_rank"].to_numpy()
    main = {"Zürich": "Zürich HB", "Basel": "Basel SBB"}
    out = np.array([main.get(x, x) for x in loc], dtype=object)
    for lg, districts in vocabulary.STATION_DISTRICTS.items():
        m = (rank > 0) & (lang == lg)
        suffix = np.array(districts, dtype=object)[(rank[m] - 1) % len(districts)]
        # beyond the district list, number the stations (rare: only the biggest towns)
        extra = np.where(rank[m] > len(districts), " " + (rank[m] // len(districts)).astype(str), "")
        out[m] = loc[m] + " " + suffix + extra
    return out


def _uic_numbers(kind: np.ndarray, rng) -> np.ndarray:
    """Distinct 85xxxxx numbers in the block of each kind (rail 850xxxx, buses 856xxxx-859xxxx)."""
    uic = np.zeros(len(kind), dtype=np.int64)
    for k, (lo, hi) in _UIC_RANGES.items():
        m = np.isin(kind, ["bus", "tram"]) if k == "bus" else kind == k
        uic[m] = rng.choice(np.arange(lo, hi), size=int(m.sum()), replace=False)
    return uic


def _platform_counts(kind: np.ndarray, rank: np.ndarray, weight: np.ndarray, rng) -> np.ndarray:
    """How many boarding platforms each stop place has (tracks for stations)."""
    u = rng.random(len(kind))
    bus = np.select(
        [u < 0.3, u < 0.9, u < 0.95, u < 0.98], [1, 2, 3, 4], default=rng.integers(5, 9, len(kind))
    )
    rail_main = np.clip(np.round(2 + weight * 0.55), 2, 26).astype(np.int64)
    rail = np.select([u < 0.2, u < 0.8, u < 0.95], [1, 2, 3], default=4)
    rail = np.where(rank == 0, np.maximum(rail, rail_main), rail)  # rank -1: village halts
    return np.select([kind == "bus", kind == "tram", kind == "rail"], [bus, 2, rail], default=1)


def build_places(scale: float, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All stop places of the region (one row each) and the towns they belong to."""
    towns = pick_towns(scale, rng)
    bus = _bus_and_tram(towns, scale, rng)
    rail = _rail(towns, bus, scale, rng)
    other = _lakes_and_mountains(towns, scale, rng)
    sp = pl.concat(
        [
            bus.with_columns(station_rank=pl.lit(0, pl.Int64)),
            rail,
            other.with_columns(station_rank=pl.lit(0, pl.Int64)),
        ],
        how="vertical_relaxed",
    )
    # each family is thinned on its own: a pier or a station may well sit next to a bus stop
    sp = pl.concat(
        [
            _thin(sp.filter(pl.col("kind").is_in(kinds)), spacing)
            for kinds, spacing in (
                (["bus", "tram"], _SPACING_M),
                (["rail"], 400.0),
                (["ferry", "aerialway"], _SPACING_M),
            )
        ]
    )
    kind, tidx = sp["kind"].to_numpy(), sp["town_idx"].to_numpy()
    weight = towns["weight"].to_numpy()[tidx]
    ops = operators.assign(kind, towns["town"].to_numpy()[tidx], sp["in_core"].to_numpy())
    sp = sp.with_columns(
        name=pl.Series(_official_names(sp, towns, rng)),
        uic=pl.Series(_uic_numbers(kind, rng)),
        n_platforms=pl.Series(_platform_counts(kind, sp["station_rank"].to_numpy(), weight, rng)),
        op_id=pl.Series(ops),
        lang=pl.Series(towns["lang"].to_numpy()[tidx]),
        town=pl.Series(towns["town"].to_numpy()[tidx]),
    )
    return sp.with_row_index("sp_id"), towns
