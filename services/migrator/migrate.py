"""Run Alembic programmatically: upgrade to head, and tell which revision head is."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from common.db import asyncpg_dsn

HERE = Path(__file__).resolve().parent


def _config(database_url: str | None = None) -> Config:
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    if database_url:
        cfg.attributes["database_url"] = sqlalchemy_url(database_url)
    return cfg


def sqlalchemy_url(url: str) -> str:
    """The asyncpg flavour of a PostgreSQL URL, as SQLAlchemy wants it."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def head() -> str:
    """The newest revision in the scripts."""
    rev = ScriptDirectory.from_config(_config()).get_current_head()
    assert rev is not None
    return rev


def upgrade(database_url: str) -> None:
    """Bring the database to head (serialized by an advisory lock in env.py)."""
    command.upgrade(_config(database_url), "head")


def ensure_database(database_url: str) -> None:
    """Create the target database when it does not exist yet (a fresh machine)."""
    asyncio.run(_ensure_database(database_url))


async def _ensure_database(database_url: str) -> None:
    dsn = asyncpg_dsn(database_url)
    name = urlsplit(dsn).path.lstrip("/")
    admin = urlunsplit(urlsplit(dsn)._replace(path="/postgres"))
    conn = await asyncpg.connect(admin)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            except asyncpg.DuplicateDatabaseError:
                pass  # a concurrent migrator created it first
    finally:
        await conn.close()
