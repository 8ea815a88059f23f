"""Coordinates: metre offsets around a WGS84 point and the swisstopo approximate LV95 projection."""

from __future__ import annotations

import numpy as np

_M_PER_DEG_LAT = 111_320.0


def offset(
    lat: np.ndarray, lon: np.ndarray, east_m: np.ndarray, north_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Move WGS84 points by metres east/north (local flat-earth, fine below a few tens of km)."""
    new_lat = lat + north_m / _M_PER_DEG_LAT
    new_lon = lon + east_m / (_M_PER_DEG_LAT * np.cos(np.radians(lat)))
    return new_lat, new_lon


def polar_offset(
    lat: np.ndarray, lon: np.ndarray, dist_m: np.ndarray, bearing: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Move WGS84 points by a distance in metres along a bearing in radians."""
    return offset(lat, lon, dist_m * np.sin(bearing), dist_m * np.cos(bearing))


def metres_between(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Approximate ground distance in metres (equirectangular; exact enough below 10 km)."""
    dy = (lat2 - lat1) * _M_PER_DEG_LAT
    dx = (lon2 - lon1) * _M_PER_DEG_LAT * np.cos(np.radians((lat1 + lat2) / 2))
    return np.hypot(dx, dy)


def wgs84_to_lv95(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """swisstopo's approximate WGS84 -> LV95 (EPSG:2056) formulas, accurate to about a metre."""
    phi = (lat * 3600 - 169_028.66) / 10_000
    lam = (lon * 3600 - 26_782.5) / 10_000
    east = 2_600_072.37 + 211_455.93 * lam - 10_938.51 * lam * phi - 0.36 * lam * phi**2 - 44.54 * lam**3
    north = (
        1_200_147.07
        + 308_807.95 * phi
        + 3_745.25 * lam**2
        + 76.63 * phi**2
        - 194.56 * lam**2 * phi
        + 119.79 * phi**3
    )
    return east, north


def scatter_disc(
    rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, radius_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One random point per centre, denser towards the centre (like a town) within radius_m."""
    # sqrt(u) would be uniform over the disc; u**0.8 keeps it a little denser in the middle
    dist = radius_m * rng.random(len(lat)) ** 0.8
    return polar_offset(lat, lon, dist, rng.random(len(lat)) * 2 * np.pi)
