"""RabbitMQ: the topology, a confirming publisher and a consumer that acks after the handler."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection

from common.logs import get_logger
from common.messages import Envelope, MessageError, decode, encode, peek_run_id

log = get_logger(__name__)

# Which event types each consumer's durable queue receives.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "scheduler": (
        "api.run_requested",
        "preprocess.probe_completed",
        "precompute.run_completed",
        "pipeline.run_failed",
    ),
    "preprocess": (
        "scheduler.probe_requested",
        "scheduler.run_started",
        "precompute.run_completed",  # a published run's probe becomes the freshness baseline
        "pipeline.run_failed",
    ),
    "matcher": ("preprocess.preprocess_completed",),
    "precompute": ("matcher.matching_completed",),
}
# Redeliveries a quorum queue allows before it dead-letters (a crash loop, not a handler error).
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class Topology:
    """Names of the exchanges and queues of one namespace."""

    namespace: str

    @property
    def events(self) -> str:
        """The topic exchange every event is published to."""
        return f"{self.namespace}.events"

    @property
    def dead_letters(self) -> str:
        """The direct exchange that routes rejected messages to each consumer's DLQ."""
        return f"{self.namespace}.dlx"

    def queue(self, consumer: str) -> str:
        """The consumer's work queue."""
        return f"{self.namespace}.{consumer}"

    def dlq(self, consumer: str) -> str:
        """The consumer's dead-letter queue."""
        return f"{self.namespace}.{consumer}.dlq"


async def declare_topology(channel: AbstractChannel, topo: Topology, quorum: bool = True) -> None:
    """Declare exchanges, queues, bindings and dead-lettering; idempotent."""
    events = await channel.declare_exchange(topo.events, aio_pika.ExchangeType.TOPIC, durable=True)
    dlx = await channel.declare_exchange(
        topo.dead_letters, aio_pika.ExchangeType.DIRECT, durable=True
    )
    for consumer, keys in SUBSCRIPTIONS.items():
        args: dict[str, Any] = {
            "x-dead-letter-exchange": topo.dead_letters,
            "x-dead-letter-routing-key": consumer,
        }
        if quorum:
            args |= {"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT}
        queue = await channel.declare_queue(topo.queue(consumer), durable=True, arguments=args)
        for key in keys:
            await queue.bind(events, routing_key=key)
        dlq_args = {"x-queue-type": "quorum"} if quorum else {}
        dead = await channel.declare_queue(topo.dlq(consumer), durable=True, arguments=dlq_args)
        await dead.bind(dlx, routing_key=consumer)


async def delete_topology(channel: AbstractChannel, topo: Topology) -> None:
    """Remove a namespace's queues and exchanges (tests)."""
    for consumer in SUBSCRIPTIONS:
        await channel.queue_delete(topo.queue(consumer))
        await channel.queue_delete(topo.dlq(consumer))
    await channel.exchange_delete(topo.events)
    await channel.exchange_delete(topo.dead_letters)


async def connect(url: str) -> AbstractRobustConnection:
    """A connection that reconnects and restores its channels and consumers by itself."""
    return await aio_pika.connect_robust(url, client_properties={"connection_name": "stopsync"})


class Publisher:
    """Publishes persistent, mandatory messages and waits for the broker's confirm."""

    def __init__(self, connection: AbstractRobustConnection, topo: Topology) -> None:
        self._connection = connection
        self._topo = topo
        self._channel: AbstractChannel | None = None
        self._exchange: aio_pika.abc.AbstractExchange | None = None
        self._lock = asyncio.Lock()

    async def _ensure(self) -> aio_pika.abc.AbstractExchange:
        if self._exchange is None or self._channel is None or self._channel.is_closed:
            # on_return_raises: an unroutable mandatory message raises instead of vanishing.
            self._channel = await self._connection.channel(
                publisher_confirms=True, on_return_raises=True
            )
            self._exchange = await self._channel.get_exchange(self._topo.events, ensure=True)
        return self._exchange

    async def publish_raw(
        self, routing_key: str, body: bytes, message_id: str | None = None
    ) -> None:
        """Publish bytes; raises when the broker nacks or cannot route the message."""
        async with self._lock:
            exchange = await self._ensure()
            message = aio_pika.Message(
                body,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                content_type="application/json",
                message_id=message_id,
                type=routing_key,
            )
            await exchange.publish(message, routing_key=routing_key, mandatory=True)

    async def publish(self, envelope: Envelope[Any]) -> None:
        """Publish one envelope under its type as routing key."""
        await self.publish_raw(envelope.type, encode(envelope), envelope.message_id)

    async def close(self) -> None:
        """Close the publishing channel."""
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()


Handler = Callable[[Envelope[Any]], Awaitable[None]]
FailureHook = Callable[[str | None, Envelope[Any] | None, str], Awaitable[None]]


class Consumer:
    """Parses, dispatches, retries with backoff, dead-letters, and acks only after success."""

    def __init__(
        self,
        connection: AbstractRobustConnection,
        topo: Topology,
        name: str,
        handlers: Mapping[str, Handler],
        on_failure: FailureHook,
        *,
        prefetch: int = 4,
        max_attempts: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self._connection = connection
        self._topo = topo
        self.name = name
        self._handlers = handlers
        self._on_failure = on_failure
        self._prefetch = prefetch
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._channel: AbstractChannel | None = None
        self.processed = 0

    async def start(self) -> None:
        """Begin consuming the service's queue."""
        self._channel = await self._connection.channel()
        await self._channel.set_qos(prefetch_count=self._prefetch)
        queue = await self._channel.get_queue(self._topo.queue(self.name), ensure=True)
        await queue.consume(self._on_message, no_ack=False)

    async def stop(self) -> None:
        """Stop consuming; unacked messages return to the queue."""
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        structlog.contextvars.bind_contextvars(message_id=message.message_id, run_id=None)
        try:
            envelope = decode(message.body)
        except MessageError as exc:
            # Poison: retrying cannot help, so dead-letter at once.
            log.error("message_rejected", reason=str(exc), routing_key=message.routing_key)
            await message.reject(requeue=False)
            await self._on_failure(peek_run_id(message.body), None, f"unreadable message: {exc}")
            return
        structlog.contextvars.bind_contextvars(
            message_id=envelope.message_id, run_id=envelope.run_id, event=envelope.type
        )
        handler = self._handlers.get(envelope.type)
        if handler is None:
            log.warning("message_without_handler", type=envelope.type)
            await message.ack()
            return
        error = await self._run_with_retries(handler, envelope)
        if error is None:
            await message.ack()
            self.processed += 1
            return
        await message.reject(requeue=False)
        await self._on_failure(envelope.run_id, envelope, error)

    async def _run_with_retries(self, handler: Handler, envelope: Envelope[Any]) -> str | None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await handler(envelope)
                return None
            except Exception as exc:  # noqa: BLE001 - every failure is retried, then reported
                log.warning("handler_failed", attempt=attempt, error=repr(exc), exc_info=True)
                # Bad input stays bad: errors marked retryable=False fail the run at once.
                if attempt == self._max_attempts or getattr(exc, "retryable", True) is False:
                    return f"{type(exc).__name__}: {exc}"
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        return None  # unreachable: the loop returns
