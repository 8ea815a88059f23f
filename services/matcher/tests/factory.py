"""Small hand-written frames in the architecture's shapes, placed by metre offsets."""

from __future__ import annotations

import itertools
import math

import polars as pl

from matcher.official import ATLAS_COLUMNS

BASE_LON, BASE_LAT = 8.54, 47.37
_ids = itertools.count(1)

ATLAS_SCHEMA = ATLAS_COLUMNS  # the atlas_stops contract
OSM_TAGS = (
    "name",
    "uic_name",
    "uic_ref",
    "local_ref",
    "operator",
    "network",
    "gtfs_name",
    "gtfs_id",
    "ref_sloid",
    "wikidata",
)
OSM_SCHEMA = {
    "osm_id": pl.String,
    "osm_type": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "kind": pl.String,
    "is_tram": pl.Boolean,
    **dict.fromkeys(OSM_TAGS, pl.String),
    "tags": pl.String,
}


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """WGS84 (lon, lat) of a point east_m / north_m metres from the fixture origin."""
    dlat = north_m / 111_195.0
    dlon = east_m / (111_195.0 * math.cos(math.radians(BASE_LAT)))
    return BASE_LON + dlon, BASE_LAT + dlat


def stop(
    uic: int,
    east: float,
    north: float,
    designation: str | None = None,
    name: str = "Testdorf, Mitte",
    sloid: str | None = None,
) -> dict:
    """One atlas_stops row."""
    lon, lat = at(east, north)
    return {
        "sloid": sloid or f"ch:1:sloid:{uic % 100000}:{next(_ids)}",
        "uic": uic,
        "designation": designation,
        "designation_official": name,
        "lon": lon,
        "lat": lat,
        "operator": None,
        "operator_number": None,
        "parent_sloid": None,
        "duplicate_group": None,
    }


def element(
    kind: str, east: float, north: float, osm_id: str | None = None, is_tram: bool = False, **tags: str
) -> dict:
    """One osm_elements row (node unless the id says way_)."""
    lon, lat = at(east, north)
    osm_id = osm_id or str(next(_ids) + 1000)
    row = {
        "osm_id": osm_id,
        "osm_type": "way" if osm_id.startswith("way_") else "node",
        "lon": lon,
        "lat": lat,
        "kind": kind,
        "is_tram": is_tram,
        "tags": "{}",
    }
    row.update(dict.fromkeys(OSM_TAGS))
    row.update(tags)
    return row


def atlas_frame(*rows: dict) -> pl.DataFrame:
    """atlas_stops from rows."""
    return pl.DataFrame(list(rows), schema=ATLAS_SCHEMA)


def osm_frame(*rows: dict) -> pl.DataFrame:
    """osm_elements from rows."""
    return pl.DataFrame(list(rows), schema=OSM_SCHEMA)


def pairs(result) -> set[tuple[str, str]]:
    """The (sloid, osm_id) pairs of a MatchResult."""
    return set(result.matches.select("sloid", "osm_id").iter_rows())


def types(result) -> dict[tuple[str, str], str]:
    """match_type per (sloid, osm_id)."""
    return {(s, o): t for s, o, t in result.matches.select("sloid", "osm_id", "match_type").iter_rows()}
