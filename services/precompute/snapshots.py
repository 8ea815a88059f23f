"""Snapshot bookkeeping in ops.snapshots: which schema is live, which is previous, swaps, rollback."""

from __future__ import annotations

import asyncpg
from common.lock import StaleFenceError

# Serializes swaps and rollbacks across every precompute instance and the CLI.
SWAP_LOCK_KEY = 74_201_338


class SwapError(RuntimeError):
    """The swap could not happen (stale fence, lock timeout, nothing to roll back to)."""


def snapshot_schema(fence: int, run_id: str) -> str:
    """The schema that holds one run's snapshot."""
    return f"snap_{fence}_{run_id[:12]}"


async def live_snapshot(conn: asyncpg.Connection) -> str | None:
    """The live snapshot's schema, or None before the first publication."""
    return await conn.fetchval("SELECT schema_name FROM ops.snapshots WHERE status = 'live'")


async def register(conn: asyncpg.Connection, schema: str, run_id: str, fence: int) -> None:
    """Record a built but unpublished snapshot."""
    await conn.execute(
        "INSERT INTO ops.snapshots (schema_name, run_id, fence, status) VALUES ($1, $2, $3, 'retired') "
        "ON CONFLICT (schema_name) DO NOTHING",
        schema,
        run_id,
        fence,
    )


async def swap(
    conn: asyncpg.Connection, schema: str, fence: int, lock_timeout_ms: int = 2000
) -> list[str]:
    """Make schema live inside the caller's transaction; return schemas that may now be dropped.

    The caller's transaction must be short: it holds the swap advisory lock until commit.
    """
    await conn.execute(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
    await conn.execute("SELECT pg_advisory_xact_lock($1)", SWAP_LOCK_KEY)
    live_fence = await conn.fetchval("SELECT fence FROM ops.snapshots WHERE status = 'live'")
    if live_fence is not None and fence <= live_fence:
        raise StaleFenceError(
            f"fencing token {fence} is not newer than the live snapshot's {live_fence}"
        )
    await conn.execute("UPDATE ops.snapshots SET status = 'retired' WHERE status = 'previous'")
    await conn.execute("UPDATE ops.snapshots SET status = 'previous' WHERE status = 'live'")
    updated = await conn.execute(
        "UPDATE ops.snapshots SET status = 'live', published_at = now() WHERE schema_name = $1",
        schema,
    )
    if updated != "UPDATE 1":
        raise SwapError(f"snapshot {schema} is not registered")
    rows = await conn.fetch("SELECT schema_name FROM ops.snapshots WHERE status = 'retired'")
    return [r["schema_name"] for r in rows]


async def rollback(conn: asyncpg.Connection) -> str:
    """Swap the previous snapshot back in; return its schema."""
    async with conn.transaction():
        await conn.execute("SET LOCAL lock_timeout = 2000")
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SWAP_LOCK_KEY)
        previous = await conn.fetchval(
            "SELECT schema_name FROM ops.snapshots WHERE status = 'previous'"
        )
        if previous is None:
            raise SwapError("there is no previous snapshot to roll back to")
        live = await conn.fetchval("SELECT schema_name FROM ops.snapshots WHERE status = 'live'")
        # Three steps: the partial unique index forbids two live rows even for a moment.
        await conn.execute(
            "UPDATE ops.snapshots SET status = 'retired' WHERE schema_name = $1", live
        )
        await conn.execute(
            "UPDATE ops.snapshots SET status = 'live', published_at = now() WHERE schema_name = $1",
            previous,
        )
        await conn.execute(
            "UPDATE ops.snapshots SET status = 'previous' WHERE schema_name = $1", live
        )
        return previous


async def drop_retired(conn: asyncpg.Connection, schemas: list[str]) -> None:
    """Drop retired snapshot schemas and forget them."""
    for schema in schemas:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.execute(
            "DELETE FROM ops.snapshots WHERE schema_name = $1 AND status = 'retired'", schema
        )
