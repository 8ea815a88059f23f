"""Lines through the stop places: bus, tram, train, ferry and aerialway itineraries per direction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from samplegen import names

# family: (modes of place, grouping, stops per line, corridor half-width m, longest line)
_FAMILIES = {
    "city_bus": (("bus",), "core", 6, 350.0, 22),
    "regional_bus": (("bus",), "villages", 8, 1500.0, 25),
    "tram": (("tram",), "core", 7, 250.0, 24),
    "s_bahn": (("rail",), "town", 3, 4000.0, 14),
    "intercity": (("rail",), "mains", 4, 30_000.0, 10),
    "ferry": (("ferry",), "town", 2, 6000.0, 12),
    "aerialway": (("aerialway",), "town", 2, 6000.0, 3),
}
_MODE = {
    "city_bus": "bus",
    "regional_bus": "bus",
    "tram": "tram",
    "s_bahn": "train",
    "intercity": "train",
    "ferry": "ferry",
    "aerialway": "aerialway",
}


@dataclass(frozen=True)
class Lines:
    """lines: line_id, family, mode, ref, op_id; stops: line_id, direction, seq, pl_id, sp_id."""

    lines: pl.DataFrame
    stops: pl.DataFrame


def _groups(sp: pl.DataFrame, family: str) -> pl.DataFrame:
    """The stop places of one family, with the group key lines are drawn within."""
    modes, grouping = _FAMILIES[family][:2]
    sel = sp.filter(pl.col("kind").is_in(modes))
    if grouping == "core":
        sel = sel.filter("in_core")
    elif grouping == "villages":
        sel = sel.filter(~pl.col("in_core"))
    elif grouping == "mains":
        sel = sel.filter(pl.col("station_rank") == 0).with_columns(town_idx=pl.lit(0))
    return sel.with_columns(group=pl.col("town_idx"))


def _corridor(xy: np.ndarray, rng, half_width: float, longest: int) -> np.ndarray:
    """Indices of the places along a random straight corridor through a random place, in order."""
    anchor = xy[rng.integers(len(xy))]
    theta = rng.random() * np.pi
    axis = np.array([np.sin(theta), np.cos(theta)])
    rel = xy - anchor
    along, across = rel @ axis, rel @ np.array([axis[1], -axis[0]])
    inside = np.flatnonzero(np.abs(across) < half_width)
    ordered = inside[np.argsort(along[inside], kind="stable")]
    centre = int(np.searchsorted(along[ordered], 0.0))
    start = max(0, min(centre - longest // 2, len(ordered) - longest))
    return ordered[start : start + longest]


def _family_lines(sp: pl.DataFrame, family: str, rng) -> list[tuple[str, np.ndarray]]:
    """(group label, ordered sp_ids) for every line of one family."""
    _, _, per_line, half_width, longest = _FAMILIES[family]
    out = []
    sel = _groups(sp, family)
    for (_group,), places in sel.group_by(["group"], maintain_order=True):
        if places.height < 2:
            continue
        xy = np.column_stack([places["lon"].to_numpy() * 76_000, places["lat"].to_numpy() * 111_320])
        ids, town = places["sp_id"].to_numpy(), places["town"][0]
        for _ in range(max(1, round(places.height / per_line))):
            seq = _corridor(xy, rng, half_width, longest)
            if len(seq) >= 2:
                out.append((town, ids[seq]))
    return out


def _refs(family: str, count: int, town_rank: np.ndarray) -> np.ndarray:
    """Line numbers as passengers know them: 31, 4, 512, S5, IC8."""
    prefix = {"s_bahn": "S", "intercity": "IC"}.get(family, "")
    base = {"tram": 2, "regional_bus": 100}.get(family, 1)
    return np.char.add(prefix, (base + town_rank).astype(str)) if count else np.array([], str)


def build_lines(sp: pl.DataFrame, platforms: pl.DataFrame, rng) -> Lines:
    """All lines and, per direction (H forward, R back), the platform used at each stop."""
    rows, stops = [], []
    first_pl = platforms.group_by("sp_id").agg(pl.col("pl_id").min()).sort("sp_id")
    pl_first = np.zeros(sp.height, dtype=np.int64)
    pl_first[first_pl["sp_id"].to_numpy()] = first_pl["pl_id"].to_numpy()
    n_pl, op = sp["n_platforms"].to_numpy(), sp["op_id"].to_numpy()
    for family in _FAMILIES:
        found = _family_lines(sp, family, rng)
        towns = np.array([t for t, _ in found], dtype=object)
        rank = np.zeros(len(found), dtype=np.int64)
        for t in set(towns.tolist()):
            rank[towns == t] = np.arange(int((towns == t).sum()))
        for (town, seq), ref in zip(found, _refs(family, len(found), rank), strict=True):
            rows.append((len(rows), family, _MODE[family], str(ref), int(op[seq[0]]), town))
            stops.append((len(rows) - 1, seq))
    schema = {
        "line_id": pl.Int64,
        "family": pl.Utf8,
        "mode": pl.Utf8,
        "ref": pl.Utf8,
        "op_id": pl.UInt32,
        "town": pl.Utf8,
    }
    lines = pl.DataFrame(rows, schema=schema, orient="row")
    return Lines(lines=lines, stops=_directions(stops, pl_first, n_pl))


def _directions(stops: list[tuple[int, np.ndarray]], pl_first, n_pl) -> pl.DataFrame:
    """Both directions of every line; each direction boards at its own platform of a place."""
    if not stops:
        return _empty_stops()
    line = np.concatenate([np.full(len(seq), i) for i, seq in stops])
    sp_h = np.concatenate([seq for _, seq in stops])
    sp_r = np.concatenate([seq[::-1] for _, seq in stops])
    seq = np.concatenate([np.arange(len(s)) for _, s in stops]).astype(np.int32)
    parts = []
    for direction, order, shift in (("H", sp_h, 0), ("R", sp_r, 1)):
        k = (line + shift) % n_pl[order]  # the opposite platform for the way back
        parts.append(
            pl.DataFrame(
                {
                    "line_id": line,
                    "direction": direction,
                    "seq": seq,
                    "pl_id": pl_first[order] + k,
                    "sp_id": order.astype(np.int64),
                }
            )
        )
    return pl.concat(parts).sort("line_id", "direction", "seq")


def _empty_stops() -> pl.DataFrame:
    """The stops frame with no rows (a region too small for any line)."""
    return pl.DataFrame(
        schema={
            "line_id": pl.Int64,
            "direction": pl.Utf8,
            "seq": pl.Int32,
            "pl_id": pl.Int64,
            "sp_id": pl.Int64,
        }
    )


def gtfs_route_ids(lines: pl.DataFrame, ops: pl.DataFrame) -> pl.Series:
    """Swiss-style GTFS route ids, e.g. 91-10-A-j25-1 (operator prefix, line, variant, year)."""
    prefix = lines.join(ops.select("op_id", "route_prefix"), on="op_id", how="left", maintain_order="left")[
        "route_prefix"
    ]
    key = (prefix + "-" + lines["ref"]).to_numpy()
    _, code = np.unique(key, return_inverse=True)
    # the same operator and line number in two towns: the second one becomes variant B, ...
    variant = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))[np.minimum(names.rank_within(code), 23)]
    suffix = np.where(names.rank_within(code) >= 24, names.rank_within(code).astype(str), "")
    return pl.Series(
        "route_id",
        np.char.add(np.char.add(np.char.add(key.astype(str), "-"), np.char.add(variant, suffix)), "-j25-1"),
    )
