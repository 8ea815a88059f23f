"""A throwaway PostGIS database per test module, on the local PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


async def postgis_database() -> AsyncIterator[str]:
    """Create a uniquely named database with PostGIS, yield its URL, drop it afterwards."""
    name = f"test_preprocess_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        finally:
            await conn.close()
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
