"""Publication on real PostGIS: swap, fencing, rollback, and a failure injected at every step."""

from __future__ import annotations

from typing import Any

import asyncpg
import polars as pl
import pytest
from common.lock import StaleFenceError
from precompute.publish import STEPS, InvariantError, publish_snapshot
from precompute.snapshots import live_snapshot, rollback, snapshot_schema

from tests.services import unique

EMPTY_PROBLEMS = pl.DataFrame(
    schema={
        "problem_id": pl.Utf8,
        "problem_type": pl.Utf8,
        "priority": pl.Int8,
        "sloid": pl.Utf8,
        "osm_node_id": pl.Utf8,
        "details": pl.Utf8,
    }
)


async def make_run_schema(conn: asyncpg.Connection, *, bad: bool = False) -> str:
    """A tiny staged run: two official stops, two OSM elements, one match (SRID 4326)."""
    schema = unique("run_")
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.execute(f"""
        CREATE TABLE "{schema}".atlas_stops AS
        SELECT * FROM (VALUES ('ch:1:sloid:1:1:1', 8500001::bigint, '1', 'Bern', 'SBB', 7.44, 46.95),
                              ('ch:1:sloid:2:1:1', 8500002::bigint, 'A', 'Thun', 'BLS', 7.63, 46.75))
            AS t(sloid, uic, designation, designation_official, operator, lon, lat);
        ALTER TABLE "{schema}".atlas_stops ADD COLUMN geom geometry(Point, 4326);
        UPDATE "{schema}".atlas_stops SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
        CREATE TABLE "{schema}".osm_elements AS
        SELECT * FROM (VALUES ('101', 'platform', 'Bern', '8500001', '1', 7.4401, 46.9501),
                              ('102', 'platform', 'Somewhere', NULL, NULL, 8.0, 47.0))
            AS t(osm_id, kind, name, uic_ref, local_ref, lon, lat);
        ALTER TABLE "{schema}".osm_elements ADD COLUMN geom geometry(Point, 4326);
        UPDATE "{schema}".osm_elements SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
        CREATE TABLE "{schema}".matches (sloid text, osm_id text, match_type text, distance_m float8,
                                         confidence float8, evidence text);
        INSERT INTO "{schema}".matches VALUES ('ch:1:sloid:1:1:1', '101', 'exact', 13.6, 0.99, '{{}}');
        CREATE TABLE "{schema}".unmatched (side text, id text, isolated boolean);
        INSERT INTO "{schema}".unmatched VALUES ('atlas', 'ch:1:sloid:2:1:1', true), ('osm', '102', true);
    """)
    if bad:  # the same stop both matched and unmatched
        await conn.execute(
            f"""INSERT INTO "{schema}".unmatched VALUES ('atlas', 'ch:1:sloid:1:1:1', false)"""
        )
    return schema


async def publish(
    pool: asyncpg.Pool,
    run_schema: str,
    fence: int,
    hook: Any = None,
    events: list[str] | None = None,
    problems: pl.DataFrame = EMPTY_PROBLEMS,
) -> str:
    run_id = unique("r")
    snap = snapshot_schema(fence, run_id)
    seen = events if events is not None else []

    async def in_swap(conn: asyncpg.Connection) -> None:
        seen.append("in_swap")

    async def blocking(value: bool) -> None:
        seen.append(f"blocking={value}")

    async def report(message: str, done: int, total: int) -> None:
        seen.append(message)

    kwargs: dict[str, Any] = {"hook": hook} if hook else {}
    await publish_snapshot(
        pool,
        run_schema=run_schema,
        snap=snap,
        run_id=run_id,
        fence=fence,
        problems=problems,
        stats={"totals": {}},
        report=report,
        in_swap=in_swap,
        set_blocking=blocking,
        **kwargs,
    )
    return snap


@pytest.fixture
async def fresh(pool: asyncpg.Pool) -> asyncpg.Pool:
    """The session database with no snapshots yet."""
    async with pool.acquire() as conn:
        for row in await conn.fetch("SELECT schema_name FROM ops.snapshots"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{row[0]}" CASCADE')
        await conn.execute("DELETE FROM ops.snapshots")
    return pool


async def test_publish_swaps_and_blocks_only_around_the_swap(fresh: asyncpg.Pool) -> None:
    async with fresh.acquire() as conn:
        run = await make_run_schema(conn)
    events: list[str] = []
    details = '{"message": "13.6 m apart, \\"quoted\\", with commas", "distance_m": 13.6}'
    problems = pl.DataFrame(
        {
            "problem_id": ["p1"],
            "problem_type": ["distance"],
            "priority": [3],
            "sloid": ["ch:1:sloid:1:1:1"],
            "osm_node_id": [None],
            "details": [details],
        },
        schema=EMPTY_PROBLEMS.schema,
    )
    snap = await publish(fresh, run, fence=1, events=events, problems=problems)
    async with fresh.acquire() as conn:
        assert await live_snapshot(conn) == snap
        assert await conn.fetchval(f'SELECT count(*) FROM "{snap}".matches') == 1
        row = await conn.fetchrow(f'SELECT osm_node_id, details FROM "{snap}".problems')
        assert row["osm_node_id"] is None
        assert row["details"] == {"message": '13.6 m apart, "quoted", with commas', "distance_m": 13.6}
    assert events[events.index("blocking=True") + 1] == "in_swap"
    assert events[-1] == "blocking=False"


@pytest.mark.parametrize("step", STEPS)
async def test_failure_at_any_step_leaves_the_live_snapshot(fresh: asyncpg.Pool, step: str) -> None:
    async with fresh.acquire() as conn:
        first = await publish(fresh, await make_run_schema(conn), fence=1)
        run = await make_run_schema(conn)

    async def explode(current: str) -> None:
        if current == step:
            raise RuntimeError(f"injected failure at {step}")

    with pytest.raises(RuntimeError, match=step):
        await publish(fresh, run, fence=2, hook=explode)
    async with fresh.acquire() as conn:
        assert await live_snapshot(conn) == first
        assert await conn.fetchval("SELECT count(*) FROM ops.snapshots") == 1
        leftovers = await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'snap_2_%'")
        assert leftovers == 0  # the half-built snapshot was dropped


async def test_invalid_snapshot_never_goes_live(fresh: asyncpg.Pool) -> None:
    async with fresh.acquire() as conn:
        first = await publish(fresh, await make_run_schema(conn), fence=1)
        bad = await make_run_schema(conn, bad=True)
    with pytest.raises(InvariantError, match="both matched and unmatched"):
        await publish(fresh, bad, fence=2)
    async with fresh.acquire() as conn:
        assert await live_snapshot(conn) == first


async def test_stale_fence_cannot_publish_over_a_newer_run(fresh: asyncpg.Pool) -> None:
    async with fresh.acquire() as conn:
        newer = await publish(fresh, await make_run_schema(conn), fence=5)
        stale_run = await make_run_schema(conn)
    with pytest.raises(StaleFenceError):
        await publish(fresh, stale_run, fence=4)
    async with fresh.acquire() as conn:
        assert await live_snapshot(conn) == newer


async def test_rollback_restores_the_previous_snapshot_and_old_ones_are_dropped(fresh: asyncpg.Pool) -> None:
    async with fresh.acquire() as conn:
        one = await publish(fresh, await make_run_schema(conn), fence=1)
        two = await publish(fresh, await make_run_schema(conn), fence=2)
        three = await publish(fresh, await make_run_schema(conn), fence=3)
        assert await conn.fetchval("SELECT to_regnamespace($1) IS NULL", one)  # retired and dropped
        assert await rollback(conn) == two
        assert await live_snapshot(conn) == two
        statuses = dict(await conn.fetch("SELECT schema_name, status FROM ops.snapshots"))
        assert statuses == {two: "live", three: "previous"}
