"""RabbitMQ for real: confirms, unroutable messages, poison and failing messages, retries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractRobustConnection
from aio_pika.exceptions import PublishError
from common.amqp import Consumer, Publisher, Topology, connect
from common.messages import Envelope, RunStarted, new_message
from common.runs import fail_run
from common.status import RedisStatusStore
from redis.asyncio import Redis

from tests.services import ServiceUrls


@pytest.fixture
async def connection(services: ServiceUrls) -> AsyncIterator[AbstractRobustConnection]:
    conn = await connect(services.amqp)
    yield conn
    await conn.close()


async def depth(connection: AbstractRobustConnection, queue: str) -> int:
    channel = await connection.channel()
    q = await channel.declare_queue(queue, passive=True)
    await channel.close()
    return q.declaration_result.message_count or 0


async def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def started(run_id: str = "r1") -> Envelope[Any]:
    return new_message(RunStarted(run_type="complete", fence=1), producer="test", run_id=run_id)


async def test_publish_is_confirmed_and_routed(
    connection: AbstractRobustConnection, topology: Topology
) -> None:
    publisher = Publisher(connection, topology)
    await publisher.publish(started())
    # The confirm returned: the broker has it, persistent, in the subscribed queue.
    await wait_for(lambda: _eq(depth(connection, topology.queue("preprocess")), 1))
    await publisher.close()


async def test_unroutable_publish_raises(
    connection: AbstractRobustConnection, topology: Topology
) -> None:
    publisher = Publisher(connection, topology)
    with pytest.raises(PublishError):
        await publisher.publish_raw("nobody.listens_here", b"{}")
    await publisher.close()


async def _eq(value: Any, expected: int) -> bool:
    return (await value) == expected


class Recorder:
    """A consumer's handler and failure hook that remember what happened."""

    def __init__(self, status: RedisStatusStore, fail_times: int = 0) -> None:
        self.calls = 0
        self.fail_times = fail_times
        self.failures: list[tuple[str | None, str]] = []
        self.status = status

    async def handle(self, env: Envelope[Any]) -> None:
        self.calls += 1
        if self.calls <= self.fail_times:
            raise ConnectionError("transient")

    async def on_failure(self, run_id: str | None, env: Envelope[Any] | None, error: str) -> None:
        self.failures.append((run_id, error))
        await fail_run(
            self.status, None, run_id=run_id, phase="preprocess", error=error, producer="test"
        )


async def _consume(
    connection: AbstractRobustConnection, topology: Topology, rec: Recorder, attempts: int = 3
) -> Consumer:
    consumer = Consumer(
        connection,
        topology,
        "preprocess",
        {"scheduler.run_started": rec.handle},
        rec.on_failure,
        max_attempts=attempts,
        backoff=0.01,
    )
    await consumer.start()
    return consumer


async def test_poison_message_goes_to_dlq_and_fails_the_run(
    connection: AbstractRobustConnection, topology: Topology, redis: Redis, namespace: str
) -> None:
    status = RedisStatusStore(redis, namespace)
    await status.update(state="running", run_id="r-poison")
    rec = Recorder(status)
    consumer = await _consume(connection, topology, rec)
    channel = await connection.channel()
    exchange = await channel.get_exchange(topology.events)
    body = b'{"run_id": "r-poison", "type": "scheduler.run_started", "payload": {"fence": "x"}}'
    await exchange.publish(aio_pika.Message(body), routing_key="scheduler.run_started")
    await wait_for(lambda: _eq(depth(connection, topology.dlq("preprocess")), 1))
    assert rec.calls == 0  # never handed to the handler
    final = await status.get()
    assert final["state"] == "failed" and final["last_error"]["run_id"] == "r-poison"
    assert "unreadable message" in final["last_error"]["error"]
    await consumer.stop()
    await channel.close()


async def test_transient_failure_is_retried_then_succeeds(
    connection: AbstractRobustConnection, topology: Topology, redis: Redis, namespace: str
) -> None:
    rec = Recorder(RedisStatusStore(redis, namespace), fail_times=2)
    consumer = await _consume(connection, topology, rec, attempts=3)
    await Publisher(connection, topology).publish(started())
    await wait_for(lambda: _true(consumer.processed == 1))
    assert rec.calls == 3 and rec.failures == []
    assert await depth(connection, topology.dlq("preprocess")) == 0
    await consumer.stop()


async def test_persistent_failure_dead_letters_after_n_attempts(
    connection: AbstractRobustConnection, topology: Topology, redis: Redis, namespace: str
) -> None:
    status = RedisStatusStore(redis, namespace)
    await status.update(state="running", run_id="r-fail")
    rec = Recorder(status, fail_times=100)
    consumer = await _consume(connection, topology, rec, attempts=3)
    await Publisher(connection, topology).publish(started("r-fail"))
    await wait_for(lambda: _eq(depth(connection, topology.dlq("preprocess")), 1))
    assert rec.calls == 3
    assert rec.failures == [("r-fail", "ConnectionError: transient")]
    assert (await status.get())["state"] == "failed"
    await consumer.stop()


async def _true(value: bool) -> bool:
    return value
