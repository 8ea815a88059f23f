"""Planar projection to metres and k-d tree neighbour queries, all vectorized."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

EARTH_RADIUS_M = 6_371_008.8
# Switzerland's centre; a local equirectangular projection around it keeps scale error below
# 2 % across the country, which is far inside our 12-150 m thresholds' tolerance.
DEFAULT_LAT0 = 46.8


def project(lon: np.ndarray, lat: np.ndarray, lat0: float = DEFAULT_LAT0) -> np.ndarray:
    """WGS84 degrees (EPSG:4326) to local equirectangular metres, shape (n, 2)."""
    k = np.pi / 180.0 * EARTH_RADIUS_M
    return np.column_stack(
        (np.asarray(lon, float) * k * np.cos(np.radians(lat0)), np.asarray(lat, float) * k)
    )


def with_xy(frame: pl.DataFrame, lat0: float = DEFAULT_LAT0) -> pl.DataFrame:
    """Add projected x, y columns (metres) from lon, lat."""
    xy = project(frame["lon"].to_numpy(), frame["lat"].to_numpy(), lat0)
    return frame.with_columns(x=pl.Series(xy[:, 0]), y=pl.Series(xy[:, 1]))


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between WGS84 points (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def xy_of(frame: pl.DataFrame) -> np.ndarray:
    """The (n, 2) projected coordinates of a frame that has x, y."""
    return np.column_stack((frame["x"].to_numpy(), frame["y"].to_numpy()))


def pairs_within(a: np.ndarray, b: np.ndarray, radius: float) -> tuple[np.ndarray, ...]:
    """All (i, j, distance) with |a_i - b_j| <= radius, as three arrays."""
    if len(a) == 0 or len(b) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), np.empty(0)
    found = cKDTree(a).sparse_distance_matrix(cKDTree(b), radius, output_type="ndarray")
    return found["i"].astype(np.int64), found["j"].astype(np.int64), found["v"].astype(float)


def nearest_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each point of a, the distance to its nearest point of b (inf when b is empty)."""
    if len(b) == 0:
        return np.full(len(a), np.inf)
    return cKDTree(b).query(a, k=1)[0] if len(a) else np.empty(0)


def take(frame: pl.DataFrame, idx: np.ndarray) -> pl.DataFrame:
    """Rows of a frame at the given integer positions (repeats allowed)."""
    return frame.select(pl.all().gather(pl.Series(idx, dtype=pl.Int64)))


def candidate_edges(
    left: pl.DataFrame, right: pl.DataFrame, radius: float, left_cols: list[str], right_cols: list[str]
) -> pl.DataFrame:
    """Spatial join within radius: chosen columns of both sides (right clashes get _right), dist."""
    i, j, d = pairs_within(xy_of(left), xy_of(right), radius)
    renamed = {c: f"{c}_right" for c in right_cols if c in left_cols}
    return pl.concat(
        [
            take(left.select(left_cols), i),
            take(right.select(right_cols), j).rename(renamed),
            pl.DataFrame({"dist": d}),
        ],
        how="horizontal",
    )
