"""A service process's runtime: connections, heartbeat, outbox relay, consumer, clean shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
from aio_pika.abc import AbstractRobustConnection
from redis.asyncio import Redis

from common.amqp import Consumer, Handler, Publisher, Topology, connect, declare_topology
from common.db import create_pool, mark_sent, pending_outbox, wait_until_migrated
from common.lock import RunLock
from common.logs import get_logger
from common.messages import Envelope
from common.runs import fail_run, run_schema
from common.settings import CommonSettings
from common.status import FileStatusStore, RedisStatusStore, StatusStore

log = get_logger(__name__)


def make_status_store(settings: CommonSettings, redis: Redis | None = None) -> StatusStore:
    """The status backend the settings ask for."""
    if settings.state_backend == "file":
        return FileStatusStore(settings.state_dir / settings.namespace)
    return RedisStatusStore(redis or Redis.from_url(str(settings.redis_url)), settings.namespace)


@dataclass
class Runtime:
    """Everything a handler may depend on, opened once per process."""

    service: str
    settings: CommonSettings
    redis: Redis
    status: StatusStore
    lock: RunLock
    topo: Topology
    connection: AbstractRobustConnection
    publisher: Publisher
    pool: asyncpg.Pool | None = None
    instance: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    _relay_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def relay_outbox(self) -> int:
        """Publish committed outbox rows (with confirms), then mark them sent."""
        assert self.pool is not None
        sent = 0
        async with self._relay_lock, self.pool.acquire() as conn, conn.transaction():
            rows = await pending_outbox(conn)
            for row in rows:
                await self.publisher.publish_raw(row["routing_key"], bytes(row["body"]))
            await mark_sent(conn, [row["id"] for row in rows])
            sent = len(rows)
        return sent

    async def on_failure(self, run_id: str | None, envelope: Envelope[Any] | None, error: str) -> None:
        """A message was dead-lettered: the run has failed; drop its staging, tell the scheduler."""
        if run_id is not None and self.pool is not None:
            async with self.pool.acquire() as conn:
                await conn.execute(f'DROP SCHEMA IF EXISTS "{run_schema(run_id)}" CASCADE')
        status = await self.status.get()
        phase = (
            status.get("phase") if status.get("run_id") == run_id and status.get("phase") else self.service
        )
        await fail_run(
            self.status,
            self.publisher,
            run_id=run_id,
            phase=phase,
            error=error,
            producer=self.service,
        )

    async def close(self) -> None:
        """Close every connection."""
        await self.publisher.close()
        await self.connection.close()
        if self.pool is not None:
            await self.pool.close()
        await self.status.close()
        await self.redis.aclose()


async def open_runtime(
    service: str,
    settings: CommonSettings,
    *,
    database: bool = True,
    migration_head: str | None = None,
) -> Runtime:
    """Connect to Redis, RabbitMQ and (optionally) PostgreSQL, and declare the topology."""
    redis = Redis.from_url(str(settings.redis_url))
    topo = Topology(settings.namespace)
    connection = await connect(str(settings.amqp_url))
    channel = await connection.channel()
    await declare_topology(channel, topo)
    await channel.close()
    pool = None
    if database:
        pool = await create_pool(str(settings.database_url))
        if migration_head is not None:
            await wait_until_migrated(pool, migration_head)
    return Runtime(
        service=service,
        settings=settings,
        redis=redis,
        status=make_status_store(settings, redis),
        lock=RunLock(redis, settings.namespace, settings.lock_ttl_seconds),
        topo=topo,
        connection=connection,
        publisher=Publisher(connection, topo),
        pool=pool,
    )


async def heartbeat_loop(rt: Runtime, extra: Callable[[], Mapping[str, Any]] | None = None) -> None:
    """Tell the status store every few seconds that this instance lives."""
    while True:
        try:
            await rt.status.heartbeat(
                rt.service, rt.instance, {"pid": os.getpid(), **(extra() if extra else {})}
            )
        except Exception as exc:  # noqa: BLE001 - a missed beat must not kill the service
            log.warning("heartbeat_failed", error=repr(exc))
        await asyncio.sleep(rt.settings.heartbeat_seconds)


def stop_event() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, event.set)
    return event


async def serve_consumer(
    service: str,
    settings: CommonSettings,
    build_handlers: Callable[[Runtime], Mapping[str, Handler]],
    *,
    database: bool = True,
    background: Callable[[Runtime], list[Awaitable[None]]] | None = None,
) -> None:
    """Run one service: wait for migrations, consume its queue, beat, stop cleanly on SIGTERM."""
    structlog.contextvars.bind_contextvars(service=service)
    from migrator.migrate import head

    rt = await open_runtime(service, settings, database=database, migration_head=head() if database else None)
    if rt.pool is not None:
        await rt.relay_outbox()  # anything a crash left committed but unpublished
    consumer = Consumer(
        rt.connection,
        rt.topo,
        service,
        build_handlers(rt),
        rt.on_failure,
        prefetch=settings.prefetch,
        max_attempts=settings.max_attempts,
        backoff=settings.retry_backoff_seconds,
    )
    tasks = [asyncio.create_task(heartbeat_loop(rt))]
    tasks += [asyncio.create_task(t) for t in (background(rt) if background else [])]
    await consumer.start()
    log.info("service_started", queue=rt.topo.queue(service))
    try:
        await stop_event().wait()
    finally:
        log.info("service_stopping")
        await consumer.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await rt.close()
