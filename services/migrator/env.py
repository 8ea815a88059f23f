"""Alembic environment: async engine, advisory lock, version table in the ops schema."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

# Any constant works; it only has to be the same for every migrator of this database.
MIGRATION_LOCK_KEY = 74_201_337


def _do_run(connection: Connection) -> None:
    # Serialize concurrent migrators: the second waits, then finds the schema at head.
    connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    try:
        connection.execute(text("CREATE SCHEMA IF NOT EXISTS ops"))
        connection.commit()
        context.configure(connection=connection, version_table_schema="ops", transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
        connection.commit()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_do_run)
    finally:
        await engine.dispose()


asyncio.run(_run_async(context.config.attributes["database_url"]))
