"""PostgreSQL access: the pool, the unit of work with its inbox and outbox, the migration gate."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import asyncpg
import orjson

from common.logs import get_logger
from common.messages import Envelope, encode

log = get_logger(__name__)


def asyncpg_dsn(url: str) -> str:
    """Strip a SQLAlchemy driver suffix so asyncpg accepts the URL."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: orjson.dumps(v).decode(),
        decoder=orjson.loads,
        schema="pg_catalog",
    )


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 5) -> asyncpg.Pool:
    """Open a pool whose connections encode and decode jsonb as Python objects."""
    return await asyncpg.create_pool(
        asyncpg_dsn(url), min_size=min_size, max_size=max_size, init=_init_connection
    )


async def current_revision(conn: asyncpg.Connection) -> str | None:
    """The schema's Alembic revision, or None before the first migration."""
    exists = await conn.fetchval("SELECT to_regclass('ops.alembic_version') IS NOT NULL")
    if not exists:
        return None
    return await conn.fetchval("SELECT version_num FROM ops.alembic_version LIMIT 1")


async def wait_until_migrated(pool: asyncpg.Pool, head: str, *, timeout: float = 300.0) -> None:
    """Block until the database is at head, so no service consumes against an old schema."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with pool.acquire() as conn:
            rev = await current_revision(conn)
        if rev == head:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(
                f"database is at {rev!r}, not at head {head!r}: run `stopsync migrate`"
            )
        log.warning("waiting_for_migrations", current=rev, head=head)
        await asyncio.sleep(1.0)


class Inbox:
    """Claims (consumer, message_id) pairs, making handlers idempotent under redelivery."""

    def __init__(self, conn: asyncpg.Connection, consumer: str) -> None:
        self._conn = conn
        self._consumer = consumer

    async def claim(self, message_id: str) -> bool:
        """True the first time this consumer sees message_id in a committed transaction."""
        row = await self._conn.fetchval(
            "INSERT INTO ops.inbox (consumer, message_id) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            self._consumer,
            message_id,
        )
        return row is not None


class Outbox:
    """Messages written in the same transaction as the work; relayed to the bus after commit."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, envelope: Envelope[Any]) -> None:
        """Queue a message for publication once the transaction commits."""
        await self._conn.execute(
            "INSERT INTO ops.outbox (message_id, routing_key, body) VALUES ($1, $2, $3)",
            envelope.message_id,
            envelope.type,
            encode(envelope),
        )


class UnitOfWork:
    """One connection and transaction per message; rolls back unless committed."""

    def __init__(self, pool: asyncpg.Pool, consumer: str) -> None:
        self._pool = pool
        self._consumer = consumer
        self.conn: asyncpg.Connection
        self._tx: Any = None
        self._committed = False

    async def __aenter__(self) -> UnitOfWork:
        self.conn = await self._pool.acquire()
        self._tx = self.conn.transaction()
        await self._tx.start()
        self._committed = False
        self.inbox = Inbox(self.conn, self._consumer)
        self.outbox = Outbox(self.conn)
        return self

    async def commit(self) -> None:
        """Commit the work, the inbox claim and the outbox together."""
        await self._tx.commit()
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self._tx.rollback()
        finally:
            await self._pool.release(self.conn)


async def pending_outbox(conn: asyncpg.Connection, limit: int = 100) -> list[asyncpg.Record]:
    """Unsent outbox rows, locked for this relay and skipped by others."""
    return await conn.fetch(
        "SELECT id, routing_key, body FROM ops.outbox WHERE sent_at IS NULL "
        "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
        limit,
    )


async def mark_sent(conn: asyncpg.Connection, ids: list[int]) -> None:
    """Mark relayed outbox rows as sent."""
    await conn.execute("UPDATE ops.outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", ids)
