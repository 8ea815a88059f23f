"""Small frame factories for the problem-detection tests (each test builds its own rows)."""

from __future__ import annotations

import math

import orjson
import polars as pl
from preprocess.atlas import ATLAS_SCHEMA  # the frame contract, not a copy

OSM_SCHEMA = {
    "osm_id": pl.String,
    "osm_type": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "kind": pl.String,
    "is_tram": pl.Boolean,
    "name": pl.String,
    "uic_name": pl.String,
    "uic_ref": pl.String,
    "local_ref": pl.String,
    "operator": pl.String,
    "network": pl.String,
    "gtfs_name": pl.String,
    "gtfs_id": pl.String,
    "ref_sloid": pl.String,
    "wikidata": pl.String,
    "tags": pl.String,
}
MATCH_SCHEMA = {
    "sloid": pl.String,
    "osm_id": pl.String,
    "match_type": pl.String,
    "distance_m": pl.Float64,
    "confidence": pl.Float64,
    "evidence": pl.String,
}
UNMATCHED_SCHEMA = {"side": pl.String, "id": pl.String, "isolated": pl.Boolean}
UNITS_SCHEMA = {"osm_id": pl.String, "unit_id": pl.Int64, "unit_kind": pl.String}

# Bern-ish origin; one metre north is this many degrees of latitude on the mean sphere.
LON0, LAT0 = 7.44, 46.95
DEG_PER_M = 180.0 / (math.pi * 6_371_008.8)


def north(metres: float) -> float:
    """The latitude `metres` north of the origin."""
    return LAT0 + metres * DEG_PER_M


def east(metres: float, lat: float = LAT0) -> float:
    """The longitude `metres` east of the origin at latitude `lat`."""
    return LON0 + metres * DEG_PER_M / math.cos(math.radians(lat))


def _frame(rows: list[dict], schema: dict, defaults: dict) -> pl.DataFrame:
    return pl.DataFrame([{**defaults, **r} for r in rows], schema=schema)


def atlas(*rows: dict) -> pl.DataFrame:
    """Official stops; unspecified fields get harmless defaults."""
    defaults = {
        "uic": 8500001,
        "designation": None,
        "designation_official": "Bern",
        "lon": LON0,
        "lat": LAT0,
        "operator": None,
    }
    return _frame(list(rows), ATLAS_SCHEMA, defaults)


def osm(*rows: dict) -> pl.DataFrame:
    """OSM elements; unspecified fields get harmless defaults."""
    defaults = {
        "osm_type": "node",
        "lon": LON0,
        "lat": LAT0,
        "kind": "platform",
        "is_tram": False,
        "tags": "{}",
    }
    return _frame(list(rows), OSM_SCHEMA, defaults)


def matches(*rows: dict) -> pl.DataFrame:
    """Match rows; `evidence` may be given as a dict."""
    defaults = {"match_type": "exact", "distance_m": 1.0, "confidence": 1.0, "evidence": "{}"}
    fixed = [
        {**r, "evidence": orjson.dumps(r["evidence"]).decode()} if isinstance(r.get("evidence"), dict) else r
        for r in rows
    ]
    return _frame(fixed, MATCH_SCHEMA, defaults)


def unmatched(*rows: dict) -> pl.DataFrame:
    """Unmatched rows (side, id)."""
    return _frame(list(rows), UNMATCHED_SCHEMA, {"isolated": False})


def units(*rows: dict) -> pl.DataFrame:
    """OSM stop units (osm_id, unit_id, unit_kind)."""
    return _frame(list(rows), UNITS_SCHEMA, {"unit_kind": "single"})


def detect(a=None, o=None, m=None, u=None, un=None, **kw) -> pl.DataFrame:
    """detect_problems with empty frames for whatever the test leaves out."""
    from precompute.problems import detect_problems

    return detect_problems(
        a if a is not None else atlas(),
        o if o is not None else osm(),
        m if m is not None else matches(),
        u if u is not None else unmatched(),
        un if un is not None else units(),
        **kw,
    )


def of_type(problems: pl.DataFrame, problem_type: str) -> pl.DataFrame:
    """The rows of one problem type."""
    return problems.filter(pl.col("problem_type") == problem_type)
