"""Reading the live snapshot: one repeatable-read transaction per request, pinned to one schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from fastapi import HTTPException

from api.state import AppState


@dataclass
class SnapshotReader:
    """A connection inside a transaction, and the live schema's quoted name."""

    conn: asyncpg.Connection
    schema: str

    @property
    def s(self) -> str:
        """The schema, quoted for SQL."""
        return f'"{self.schema}"'


@asynccontextmanager
async def live_reader(state: AppState) -> AsyncIterator[SnapshotReader]:
    """Yield a reader of the live snapshot; 503 before the first publication."""
    async with (
        state.pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        schema = await conn.fetchval("SELECT schema_name FROM ops.snapshots WHERE status = 'live'")
        if schema is None:
            raise HTTPException(status_code=503, detail="no snapshot has been published yet")
        yield SnapshotReader(conn=conn, schema=schema)
