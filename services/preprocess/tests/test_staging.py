"""Staging on a real PostGIS: DDL, COPY in, geometry, indexes, COPY out, drop."""

from __future__ import annotations

import polars as pl
import pytest

from preprocess.staging import drop_run_schema, load_frames, stage_frames

pytestmark = pytest.mark.integration
SCHEMA = "run_00ab"


@pytest.fixture(autouse=True)
async def no_schema_left(conn):
    await drop_run_schema(conn, SCHEMA)
    yield
    await drop_run_schema(conn, SCHEMA)


FRAMES = {
    "atlas_stops": pl.DataFrame(
        {
            "sloid": ["ch:1:sloid:1", "ch:1:sloid:2"],
            "uic": [8503000, None],
            "designation": ["", None],
            "lon": [8.5402, 7.1],
            "lat": [47.3782, 46.2],
            "note": ['has "quotes", commas;\nand a newline', "Zürich"],
        },
        schema={
            "sloid": pl.String,
            "uic": pl.Int64,
            "designation": pl.String,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "note": pl.String,
        },
    ),
    "osm_route_stops": pl.DataFrame(
        {"relation_id": [5], "seq": [1], "osm_id": ["way_3"], "flag": [True]},
        schema={"relation_id": pl.Int64, "seq": pl.Int32, "osm_id": pl.String, "flag": pl.Boolean},
    ),
    "gtfs_routes": pl.DataFrame(schema={"route_id": pl.String, "route_type": pl.Int32}),
}


async def test_frames_round_trip_exactly(conn):
    await conn.execute(f"CREATE SCHEMA {SCHEMA}")
    counts = await stage_frames(conn, SCHEMA, FRAMES)
    assert counts == {"atlas_stops": 2, "osm_route_stops": 1, "gtfs_routes": 0}
    back = await load_frames(conn, SCHEMA)
    assert set(back) == set(FRAMES)
    for name, frame in FRAMES.items():
        got = back[name].sort(frame.columns[0]) if back[name].height else back[name]
        assert got.equals(frame), name  # nulls stay nulls, empty strings stay empty


async def test_points_get_a_geometry_in_4326_with_a_gist_index(conn):
    await conn.execute(f"CREATE SCHEMA {SCHEMA}")
    await stage_frames(conn, SCHEMA, {"atlas_stops": FRAMES["atlas_stops"]})
    row = await conn.fetchrow(
        f"SELECT ST_X(geom) x, ST_Y(geom) y, ST_SRID(geom) srid FROM {SCHEMA}.atlas_stops "
        "WHERE sloid = 'ch:1:sloid:1'"
    )
    assert (row["x"], row["y"], row["srid"]) == (8.5402, 47.3782, 4326)
    methods = await conn.fetch(
        "SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = "
        "i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = $1",
        SCHEMA,
    )
    assert "gist" in {m["amname"] for m in methods}


async def test_drop_removes_everything_and_names_are_checked(conn):
    await conn.execute(f"CREATE SCHEMA {SCHEMA}")
    await stage_frames(conn, SCHEMA, FRAMES)
    await drop_run_schema(conn, SCHEMA)
    assert await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = $1", SCHEMA) == 0
    with pytest.raises(ValueError):
        await drop_run_schema(conn, 'run_1"; DROP TABLE x; --')
