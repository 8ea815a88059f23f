"""Route matches become matched pairs plus each side's unmatched routes."""

from __future__ import annotations

import polars as pl
from precompute.route_inputs import route_pairs


def test_pairs_and_lone_routes() -> None:
    matches = pl.DataFrame(
        {
            "level": ["family", "itinerary", "itinerary"],
            "osm_relation_id": [1, 1, 2],
            "gtfs_route_id": ["a", "a", "b"],
            "gtfs_itinerary_id": [None, 10, 20],
        }
    )
    osm_routes = pl.DataFrame({"relation_id": [1, 2, 3]})
    itineraries = pl.DataFrame({"itinerary_id": [10, 20, 30]})
    pairs = route_pairs(matches, osm_routes, itineraries)
    assert pairs is not None
    assert pairs.rows() == [(1, 10), (2, 20), (3, None), (None, 30)]


def test_no_routes_no_pairs() -> None:
    assert route_pairs(None, None, None) is None
