"""Publication: stage the snapshot in its own schema, index, validate, then swap it in."""

from __future__ import annotations

import io
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import polars as pl
from common.logs import get_logger
from common.runs import Report

from precompute.snapshots import drop_retired, register, swap

log = get_logger(__name__)

# Tables copied from the run's schema into the snapshot as they are.
RUN_TABLES = ("atlas_stops", "osm_elements", "matches", "unmatched")
OPTIONAL_RUN_TABLES = ("osm_units", "route_matches", "osm_routes", "osm_route_stops")
PROBLEM_COLUMNS = ["problem_id", "problem_type", "priority", "sloid", "osm_node_id", "details"]
STEPS = ("stage", "index", "validate", "swap")
Hook = Callable[[str], Awaitable[None]]


class InvariantError(RuntimeError):
    """The staged snapshot breaks an invariant and must not go live."""


@dataclass
class PublishResult:
    """What a publication did and how long each step took."""

    schema: str
    timings: dict[str, float] = field(default_factory=dict)
    swap_seconds: float = 0.0
    dropped: list[str] = field(default_factory=list)


async def _table_exists(conn: asyncpg.Connection, schema: str, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f'"{schema}".{table}'))


async def stage(
    conn: asyncpg.Connection,
    run_schema: str,
    snap: str,
    problems: pl.DataFrame,
    stats: dict[str, Any],
) -> None:
    """Copy the run's results into a fresh snapshot schema and load problems and stats with COPY."""
    await conn.execute(f'DROP SCHEMA IF EXISTS "{snap}" CASCADE')
    await conn.execute(f'CREATE SCHEMA "{snap}"')
    for table in RUN_TABLES + OPTIONAL_RUN_TABLES:
        if table in RUN_TABLES or await _table_exists(conn, run_schema, table):
            await conn.execute(f'CREATE TABLE "{snap}".{table} AS TABLE "{run_schema}".{table}')
    await conn.execute(
        f'CREATE TABLE "{snap}".problems (problem_id text PRIMARY KEY, problem_type text NOT NULL, '
        "priority smallint NOT NULL, sloid text, osm_node_id text, details text NOT NULL)"
    )
    if problems.height:
        # COPY as CSV straight from polars (no per-row Python), then type details as jsonb.
        buffer = io.BytesIO()
        problems.select(PROBLEM_COLUMNS).write_csv(buffer, include_header=False, null_value="")
        buffer.seek(0)
        await conn.copy_to_table(
            "problems", source=buffer, schema_name=snap, columns=PROBLEM_COLUMNS, format="csv"
        )
    await conn.execute(f'ALTER TABLE "{snap}".problems ALTER COLUMN details TYPE jsonb USING details::jsonb')
    await conn.execute(f'CREATE TABLE "{snap}".stats (doc jsonb NOT NULL)')
    await conn.execute(f'INSERT INTO "{snap}".stats VALUES ($1)', stats)


INDEXES = (
    "CREATE INDEX ON {s}.atlas_stops USING gist (geom)",
    "CREATE UNIQUE INDEX ON {s}.atlas_stops (sloid)",
    "CREATE INDEX ON {s}.atlas_stops (uic)",
    "CREATE INDEX ON {s}.atlas_stops USING gin (designation_official gin_trgm_ops)",
    "CREATE INDEX ON {s}.osm_elements USING gist (geom)",
    "CREATE UNIQUE INDEX ON {s}.osm_elements (osm_id)",
    "CREATE INDEX ON {s}.osm_elements USING gin (coalesce(name, '') gin_trgm_ops)",
    "CREATE INDEX ON {s}.matches (sloid)",
    "CREATE INDEX ON {s}.matches (osm_id)",
    "CREATE INDEX ON {s}.problems (problem_type, priority)",
    "CREATE INDEX ON {s}.problems (sloid)",
    "CREATE INDEX ON {s}.problems (osm_node_id)",
)


async def index(conn: asyncpg.Connection, snap: str) -> None:
    """Build the snapshot's indexes and refresh its planner statistics."""
    for sql in INDEXES:
        await conn.execute(sql.format(s=f'"{snap}"'))
    await conn.execute(
        f'ANALYZE "{snap}".atlas_stops, "{snap}".osm_elements, "{snap}".matches, "{snap}".problems'
    )


INVARIANTS = {
    "an official stop is both matched and unmatched": """
        SELECT count(*) FROM {s}.unmatched u JOIN {s}.matches m ON u.side = 'atlas' AND u.id = m.sloid""",
    "an OSM element is both matched and unmatched": """
        SELECT count(*) FROM {s}.unmatched u JOIN {s}.matches m ON u.side = 'osm' AND u.id = m.osm_id""",
    "an official stop is neither matched nor unmatched": """
        SELECT count(*) FROM {s}.atlas_stops a WHERE NOT EXISTS (SELECT 1 FROM {s}.matches m
        WHERE m.sloid = a.sloid) AND NOT EXISTS (SELECT 1 FROM {s}.unmatched u
        WHERE u.side = 'atlas' AND u.id = a.sloid)""",
    "a match distance is not finite": """
        SELECT count(*) FROM {s}.matches WHERE distance_m IS NULL OR distance_m = 'NaN'::float8
        OR distance_m IN ('Infinity'::float8, '-Infinity'::float8) OR distance_m < 0""",
    "a match names an unknown official stop": """
        SELECT count(*) FROM {s}.matches m LEFT JOIN {s}.atlas_stops a USING (sloid) WHERE a.sloid IS NULL""",
    "a match names an unknown OSM element": """
        SELECT count(*) FROM {s}.matches m LEFT JOIN {s}.osm_elements o USING (osm_id)
        WHERE o.osm_id IS NULL""",
}


async def validate(conn: asyncpg.Connection, snap: str) -> None:
    """Refuse a snapshot that breaks any invariant."""
    broken = []
    for name, sql in INVARIANTS.items():
        count = await conn.fetchval(sql.format(s=f'"{snap}"'))
        if count:
            broken.append(f"{name} ({count} rows)")
    if broken:
        raise InvariantError("snapshot invalid: " + "; ".join(broken))


async def _noop(step: str) -> None:
    return None


async def publish_snapshot(
    pool: asyncpg.Pool,
    *,
    run_schema: str,
    snap: str,
    run_id: str,
    fence: int,
    problems: pl.DataFrame,
    stats: dict[str, Any],
    report: Report,
    in_swap: Callable[[asyncpg.Connection], Awaitable[None]],
    set_blocking: Callable[[bool], Awaitable[None]],
    hook: Hook = _noop,
) -> PublishResult:
    """Stage, index, validate and swap; the live snapshot is untouched unless the swap commits.

    `in_swap` runs inside the swap transaction (fence check, inbox claim, outbox), so the swap
    and the run's completion message commit together or not at all.
    """
    result = PublishResult(schema=snap)
    try:
        async with pool.acquire() as conn:
            for i, step in enumerate(STEPS[:3]):
                await report(f"publish: {step}", i, len(STEPS))
                started = time.perf_counter()
                await hook(step)
                async with conn.transaction():
                    if step == "stage":
                        await stage(conn, run_schema, snap, problems, stats)
                        await register(conn, snap, run_id, fence)
                    elif step == "index":
                        await index(conn, snap)
                    else:
                        await validate(conn, snap)
                result.timings[step] = time.perf_counter() - started
            await report("publish: swap", 3, len(STEPS))
            await hook("swap")
            started = time.perf_counter()
            await set_blocking(True)
            try:
                async with conn.transaction():
                    droppable = await swap(conn, snap, fence)
                    await in_swap(conn)
            finally:
                await set_blocking(False)
            result.swap_seconds = result.timings["swap"] = time.perf_counter() - started
            await drop_retired(conn, [s for s in droppable if s != snap])
            result.dropped = droppable
    except BaseException:
        await _discard(pool, snap)
        raise
    log.info(
        "snapshot_published",
        schema=snap,
        **{f"{k}_s": round(v, 3) for k, v in result.timings.items()},
    )
    return result


async def _discard(pool: asyncpg.Pool, snap: str) -> None:
    """Remove a snapshot that never went live."""
    async with pool.acquire() as conn:
        status = await conn.fetchval("SELECT status FROM ops.snapshots WHERE schema_name = $1", snap)
        if status in (None, "retired"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{snap}" CASCADE')
            await conn.execute("DELETE FROM ops.snapshots WHERE schema_name = $1", snap)
