"""Reconciliation of users' curation with a new snapshot, on real Postgres (each test rolls back)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from precompute.curation import manual_frame, reconcile

from tests.services import unique


@pytest.fixture
async def conn(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back: tests never see each other's rows."""
    async with pool.acquire() as c:
        tx = c.transaction()
        await tx.start()
        await c.execute("DELETE FROM curation.solutions; DELETE FROM curation.manual_matches")
        yield c
        await tx.rollback()


async def make_snapshot(
    conn: asyncpg.Connection,
    problems: list[tuple[str, int, dict]],
    sloids: list[str],
    osm_ids: list[str],
) -> str:
    """A fake snapshot schema with the three tables reconcile reads."""
    snap = unique("snap_test_")
    await conn.execute(
        f'CREATE SCHEMA "{snap}"; '
        f'CREATE TABLE "{snap}".problems (problem_id text PRIMARY KEY, problem_type text, '
        "priority smallint, sloid text, osm_node_id text, details jsonb); "
        f'CREATE TABLE "{snap}".atlas_stops (sloid text, uic bigint); '
        f'CREATE TABLE "{snap}".osm_elements (osm_id text, kind text)'
    )
    await conn.executemany(
        f"INSERT INTO \"{snap}\".problems VALUES ($1, 'distance', $2, 's1', '101', $3)",
        [(pid, prio, details) for pid, prio, details in problems],
    )
    await conn.executemany(f'INSERT INTO "{snap}".atlas_stops VALUES ($1, 1)', [(s,) for s in sloids])
    await conn.executemany(
        f"INSERT INTO \"{snap}\".osm_elements VALUES ($1, 'platform')", [(o,) for o in osm_ids]
    )
    return snap


async def add_solution(conn: asyncpg.Connection, problem_id: str, status: str = "wont_fix") -> None:
    await conn.execute(
        "INSERT INTO curation.solutions (problem_id, status, text, author) VALUES ($1, $2, 'why', 'ann')",
        problem_id,
        status,
    )


async def solution(conn: asyncpg.Connection, problem_id: str) -> asyncpg.Record:
    return await conn.fetchrow("SELECT * FROM curation.solutions WHERE problem_id = $1", problem_id)


async def test_solution_reattaches_then_resolves_then_is_flagged_when_back(conn) -> None:
    await add_solution(conn, "p1")
    snap1 = await make_snapshot(conn, [("p1", 2, {"distance_m": 40})], [], [])
    counts = await reconcile(conn, snap_schema=snap1, run_id="run1")
    assert counts["solutions_attached"] == 1 and counts["solutions_changed"] == 0
    row = await solution(conn, "p1")
    assert row["last_seen_run_id"] == "run1" and row["last_priority"] == 2
    assert not row["needs_review"] and row["resolved_since_run_id"] is None

    snap2 = await make_snapshot(conn, [], [], [])
    counts = await reconcile(conn, snap_schema=snap2, run_id="run2")
    assert counts["solutions_resolved_now"] == 1
    row = await solution(conn, "p1")
    assert row["resolved_since_run_id"] == "run2" and row["status"] == "wont_fix"  # kept as is

    counts = await reconcile(conn, snap_schema=snap2, run_id="run3")  # still gone: stays "since run2"
    assert counts["solutions_resolved_now"] == 0 and counts["solutions_resolved"] == 1
    assert (await solution(conn, "p1"))["resolved_since_run_id"] == "run2"

    counts = await reconcile(conn, snap_schema=snap1, run_id="run4")
    row = await solution(conn, "p1")
    assert counts["solutions_reappeared"] == 1
    assert row["resolved_since_run_id"] is None and row["needs_review"]
    assert "run2" in row["review_reason"]


async def test_new_priority_band_flags_review_and_same_problem_does_not(conn) -> None:
    await add_solution(conn, "p1")
    await add_solution(conn, "p2")
    details = {"distance_m": 30.5, "message": "far"}
    snap1 = await make_snapshot(conn, [("p1", 2, details), ("p2", 3, {"x": 1, "y": 2})], [], [])
    await reconcile(conn, snap_schema=snap1, run_id="run1")
    # p2 keeps its details with the keys in another order: jsonb is canonical, so nothing changed.
    snap2 = await make_snapshot(conn, [("p1", 1, details), ("p2", 3, {"y": 2, "x": 1})], [], [])
    counts = await reconcile(conn, snap_schema=snap2, run_id="run2")
    assert counts["solutions_changed"] == 1
    p1, p2 = await solution(conn, "p1"), await solution(conn, "p2")
    assert p1["needs_review"] and p1["review_reason"] == "priority P2 -> P1" and p1["last_priority"] == 1
    assert not p2["needs_review"]
    # A rerun of the same publication keeps the flag and counts nothing new.
    counts = await reconcile(conn, snap_schema=snap2, run_id="run2")
    assert counts["solutions_changed"] == 0 and (await solution(conn, "p1"))["needs_review"]


async def test_manual_match_orphaned_when_entities_disappear_and_restored(conn) -> None:
    await conn.execute(
        "INSERT INTO curation.manual_matches (sloid, osm_ids, action, author) VALUES "
        "('s1', ARRAY['1', 'way_2'], 'match', 'ann'), ('s2', ARRAY['3'], 'unmatch', 'bob')"
    )
    snap1 = await make_snapshot(conn, [], ["s1"], ["1", "3"])
    counts = await reconcile(conn, snap_schema=snap1, run_id="run1")
    assert counts["manual_orphaned"] == 2 and counts["manual_orphaned_now"] == 2
    rows = {r["sloid"]: r for r in await conn.fetch("SELECT * FROM curation.manual_matches")}
    assert rows["s1"]["missing"] == {"sloid": False, "osm_ids": ["way_2"]}
    assert rows["s2"]["missing"] == {"sloid": True, "osm_ids": []}
    assert rows["s1"]["orphaned_since_run_id"] == "run1"

    snap2 = await make_snapshot(conn, [], ["s1"], ["1", "3", "way_2"])
    counts = await reconcile(conn, snap_schema=snap2, run_id="run2")
    assert counts == counts | {"manual_orphaned": 1, "manual_orphaned_now": 0, "manual_restored": 1}
    rows = {r["sloid"]: r for r in await conn.fetch("SELECT * FROM curation.manual_matches")}
    assert not rows["s1"]["orphaned"] and rows["s1"]["orphaned_since_run_id"] is None
    assert rows["s2"]["orphaned_since_run_id"] == "run1"  # still orphaned: since the first run
    assert await conn.fetchval("SELECT count(*) FROM curation.manual_matches") == 2  # never dropped


async def test_manual_frame_one_row_per_osm_id_and_newest_decision_wins(conn) -> None:
    await conn.execute(
        "INSERT INTO curation.manual_matches (sloid, osm_ids, action, author, updated_at) VALUES "
        "('s1', ARRAY['1', '2'], 'match', 'ann', now() - interval '1 day'), "
        "('s1', ARRAY['2'], 'unmatch', 'bob', now())"
    )
    frame = await manual_frame(conn)
    assert frame.columns == ["sloid", "osm_id", "action"]
    assert frame.sort("osm_id").rows() == [("s1", "1", "match"), ("s1", "2", "unmatch")]


async def test_manual_frame_is_typed_when_empty(conn) -> None:
    frame = await manual_frame(conn)
    assert frame.height == 0 and frame.schema["osm_id"] == frame.schema["sloid"]


async def test_reconcile_refuses_a_quoted_schema_name(conn) -> None:
    with pytest.raises(ValueError):
        await reconcile(conn, snap_schema='x"; DROP SCHEMA curation; --', run_id="r")
