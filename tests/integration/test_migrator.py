"""The migrator: two at once both succeed and the schema is applied once; the gate holds."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import asyncpg
import pytest
from common.db import asyncpg_dsn, create_pool, wait_until_migrated
from migrator.migrate import head


def _migrator(url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "LOG_JSON": "true"}
    return subprocess.Popen(
        [sys.executable, "-m", "migrator"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_two_concurrent_migrators_both_exit_zero(empty_db: str) -> None:
    procs = [_migrator(empty_db), _migrator(empty_db)]
    outputs = [p.communicate(timeout=120)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs

    async def check() -> tuple[list[str], int, bool]:
        conn = await asyncpg.connect(asyncpg_dsn(empty_db))
        try:
            versions = [
                r[0] for r in await conn.fetch("SELECT version_num FROM ops.alembic_version")
            ]
            tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'ops'")
            postgis = await conn.fetchval(
                "SELECT count(*) = 1 FROM pg_extension WHERE extname = 'postgis'"
            )
            return versions, tables, postgis
        finally:
            await conn.close()

    versions, tables, postgis = asyncio.run(check())
    assert versions == [head()]
    assert tables == 5 and postgis


async def test_services_wait_for_head(empty_db: str) -> None:
    pool = await create_pool(empty_db)
    try:
        with pytest.raises(TimeoutError, match="not at head"):
            await wait_until_migrated(pool, head(), timeout=0.5)
    finally:
        await pool.close()
