"""match_run on a real PostGIS: staged frames in, result tables out, safe to run twice."""

from __future__ import annotations

import asyncpg
import pytest
from preprocess.staging import create_run_schema, drop_run_schema, load_frames, stage_frames
from preprocess.tests.pg import postgis_database

from matcher.pipeline import match_run
from matcher.tests.factory import atlas_frame, element, osm_frame, stop

pytestmark = pytest.mark.integration
SCHEMA = "run_0a7c"


@pytest.fixture(scope="module")
async def database():
    async for url in postgis_database():
        yield url


@pytest.fixture
async def conn(database):
    connection = await asyncpg.connect(database)
    await drop_run_schema(connection, SCHEMA)
    await create_run_schema(connection, SCHEMA)
    frames = {
        "atlas_stops": atlas_frame(stop(8507001, 0, 0, "A", sloid="a"), stop(8507002, 900, 0, sloid="b")),
        "osm_elements": osm_frame(
            element("platform", 0, 3, "1", uic_ref="8507001", local_ref="A"),
            element("stop_position", 0, 8, "2", uic_ref="8507001"),
            element("platform", 3000, 0, "way_3"),
        ),
    }
    await stage_frames(connection, SCHEMA, frames)
    yield connection
    await drop_run_schema(connection, SCHEMA)
    await connection.close()


async def test_manual_decisions_are_read_from_curation(conn):
    await conn.execute(
        "CREATE SCHEMA IF NOT EXISTS curation; "
        "CREATE TABLE IF NOT EXISTS curation.manual_matches (sloid text, osm_ids text[], action text)"
    )
    await conn.execute(
        "INSERT INTO curation.manual_matches VALUES ('a', ARRAY['1', '2'], 'unmatch'), "
        "('b', ARRAY['way_3'], 'match')"
    )

    async def report(message, done, total):
        return None

    try:
        summary = await match_run(conn, SCHEMA, "swiss", report)
    finally:
        await conn.execute("DROP SCHEMA curation CASCADE")
    assert summary["match_types"] == {"manual": 1}
    rows = await conn.fetch(f'SELECT sloid, osm_id FROM "{SCHEMA}".matches')
    assert [tuple(r) for r in rows] == [("b", "way_3")]


async def test_results_are_copied_into_the_run_schema_and_a_rerun_replaces_them(conn):
    async def report(message, done, total):
        return None

    first = await match_run(conn, SCHEMA, "swiss", report)
    # A redelivered message runs again over a schema that now also holds the result tables.
    second = await match_run(conn, SCHEMA, "swiss", report)
    assert first["match_types"] == second["match_types"] == {"exact": 2}
    rows = await conn.fetch(
        f'SELECT sloid, osm_id, match_type, evidence FROM "{SCHEMA}".matches ORDER BY osm_id'
    )
    assert [(r["sloid"], r["osm_id"], r["match_type"]) for r in rows] == [
        ("a", "1", "exact"),
        ("a", "2", "exact"),
    ]
    unmatched = await conn.fetch(f'SELECT side, id, isolated FROM "{SCHEMA}".unmatched ORDER BY id')
    assert [tuple(r) for r in unmatched] == [("atlas", "b", True), ("osm", "way_3", True)]
    units = await conn.fetchval(f'SELECT count(DISTINCT unit_id) FROM "{SCHEMA}".osm_units')
    assert units == 2
    frames = await load_frames(conn, SCHEMA)
    assert frames["matches"].height == 2  # result tables read back with the staged types
