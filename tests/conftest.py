"""Fixtures on real PostGIS, RabbitMQ and Redis, each test isolated by unique names."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from common.amqp import Topology, connect, declare_topology, delete_topology
from common.db import asyncpg_dsn, create_pool
from common.runtime import Runtime
from common.settings import CommonSettings
from redis.asyncio import Redis

from tests.services import ServiceUrls, resolve_services, unique, with_database


@pytest.fixture(scope="session")
def services() -> Iterator[ServiceUrls]:
    """The backing services for this session."""
    stack: list[object] = []
    try:
        yield resolve_services(stack)
    finally:
        for container in stack:
            container.stop()  # type: ignore[attr-defined]


async def _admin(url: str, sql: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def migrated_db(services: ServiceUrls) -> Iterator[str]:
    """A fresh database at head for the session (migrated once, by the real migrator)."""
    from migrator.migrate import upgrade

    name = unique("stopsync_test_")
    asyncio.run(_admin(services.postgres, f'CREATE DATABASE "{name}"'))
    url = with_database(services.postgres, name)
    upgrade(url)
    yield url
    asyncio.run(_admin(services.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_db(services: ServiceUrls) -> Iterator[str]:
    """A brand-new empty database (for migration tests)."""
    name = unique("stopsync_empty_")
    asyncio.run(_admin(services.postgres, f'CREATE DATABASE "{name}"'))
    yield with_database(services.postgres, name)
    asyncio.run(_admin(services.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def pool(migrated_db: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the session's migrated database."""
    p = await create_pool(migrated_db)
    yield p
    await p.close()


@pytest.fixture
def namespace() -> str:
    """A unique namespace for exchanges, queues and Redis keys."""
    return unique("t")


@pytest.fixture
async def redis(services: ServiceUrls, namespace: str) -> AsyncIterator[Redis]:
    """A Redis client; the test's keys are deleted afterwards."""
    client = Redis.from_url(services.redis)
    yield client
    keys = [k async for k in client.scan_iter(f"{namespace}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def topology(services: ServiceUrls, namespace: str) -> AsyncIterator[Topology]:
    """The namespace's exchanges and queues, declared, then deleted after the test."""
    topo = Topology(namespace)
    connection = await connect(services.amqp)
    channel = await connection.channel()
    await declare_topology(channel, topo)
    yield topo
    await delete_topology(channel, topo)
    await connection.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder, so `-m "not integration"` runs the fast ones only."""
    for item in items:
        path = str(item.path)
        if "/tests/integration/" in path:
            item.add_marker(pytest.mark.integration)
        elif "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def settings(
    services: ServiceUrls, migrated_db: str, namespace: str, tmp_path: object
) -> CommonSettings:
    """Settings pointing every service at the test's database, broker prefix and Redis keys."""
    from common.settings import WorkerSettings

    return WorkerSettings(
        database_url=migrated_db,
        amqp_url=services.amqp,
        redis_url=services.redis,
        namespace=namespace,
        state_dir=tmp_path,
        retry_backoff_seconds=0.01,
    )


@pytest.fixture
async def runtime(
    settings: CommonSettings, topology: Topology, redis: Redis
) -> AsyncIterator[Runtime]:
    """A service runtime (pool, bus, lock, status) on the test's isolated names."""
    from common.runtime import open_runtime

    rt = await open_runtime("preprocess", settings)
    yield rt
    await rt.close()
