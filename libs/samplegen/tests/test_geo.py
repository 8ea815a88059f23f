"""Coordinates: the LV95 projection and metre offsets."""

from __future__ import annotations

import numpy as np

from samplegen import geo


def test_lv95_of_the_bern_origin():
    # the LV95 origin (old Bern observatory) is E 2,600,000 / N 1,200,000
    east, north = geo.wgs84_to_lv95(np.array([46.9510828]), np.array([7.4386324]))
    assert abs(east[0] - 2_600_000) < 2 and abs(north[0] - 1_200_000) < 2


def test_offset_moves_by_the_asked_distance():
    lat, lon = np.full(4, 47.37), np.full(4, 8.54)
    dist = np.array([1.0, 25.0, 300.0, 0.0])
    new_lat, new_lon = geo.polar_offset(lat, lon, dist, np.array([0.3, 1.2, 4.0, 2.0]))
    assert np.allclose(geo.metres_between(lat, lon, new_lat, new_lon), dist, atol=0.05)


def test_scatter_stays_within_the_radius():
    rng = np.random.default_rng(0)
    lat, lon = np.full(500, 46.5), np.full(500, 6.6)
    new_lat, new_lon = geo.scatter_disc(rng, lat, lon, np.full(500, 700.0))
    assert geo.metres_between(lat, lon, new_lat, new_lon).max() <= 700.5
