"""The shape every phase handler shares: skip redeliveries, report the phase, emit the next event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from common.amqp import Handler
from common.db import UnitOfWork
from common.messages import Envelope, Event, new_message
from common.runs import Report, begin_phase, end_phase, progress_reporter
from common.runtime import Runtime

# A phase's work: (connection, envelope, progress) -> the next event's payload.
PhaseWork = Callable[[asyncpg.Connection, Envelope[Any], Report], Awaitable[Event]]


async def already_done(rt: Runtime, consumer: str, message_id: str) -> bool:
    """True when this consumer already committed this message (a redelivery)."""
    assert rt.pool is not None
    async with rt.pool.acquire() as conn:
        return bool(
            await conn.fetchval(
                "SELECT 1 FROM ops.inbox WHERE consumer = $1 AND message_id = $2",
                consumer,
                message_id,
            )
        )


def phase_handler(rt: Runtime, phase: str, message: str, work: PhaseWork) -> Handler:
    """Wrap a phase's work: inbox claim, status, outbox and relay, in one transaction."""

    async def handle(env: Envelope[Any]) -> None:
        assert rt.pool is not None and env.run_id is not None
        if await already_done(rt, rt.service, env.message_id):
            return
        await begin_phase(rt.status, env.run_id, phase, message)
        report = progress_reporter(rt.status, env.run_id, phase)
        async with UnitOfWork(rt.pool, rt.service) as uow:
            if not await uow.inbox.claim(env.message_id):
                return  # a concurrent redelivery won the race
            payload = await work(uow.conn, env, report)
            await uow.outbox.add(
                new_message(
                    payload,
                    producer=rt.service,
                    run_id=env.run_id,
                    correlation_id=env.correlation_id,
                )
            )
            await uow.commit()
        await end_phase(rt.status, env.run_id, phase)
        await rt.relay_outbox()

    return handle
