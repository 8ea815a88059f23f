"""Redelivery is harmless: the inbox makes a phase handler do its work once."""

from __future__ import annotations

from typing import Any

import asyncpg
from common.handlers import phase_handler
from common.messages import Envelope, Event, ProbeRequested, RunStarted, new_message
from common.runs import Report
from common.runtime import Runtime


async def test_redelivered_message_is_processed_once(runtime: Runtime) -> None:
    calls: list[str] = []

    async def work(conn: asyncpg.Connection, env: Envelope[Any], report: Report) -> Event:
        calls.append(env.message_id)
        await report("working", 1, 1)
        return ProbeRequested(force=False)  # any next event; routed to the preprocess queue

    handler = phase_handler(runtime, "preprocess", "testing", work)
    env = new_message(RunStarted(run_type="complete", fence=1), producer="test", run_id="run-once")
    await runtime.status.update(run_id="run-once", state="running")
    await handler(env)
    await handler(env)  # the broker redelivers the same message
    assert calls == [env.message_id]
    assert runtime.pool is not None
    async with runtime.pool.acquire() as conn:
        claims = await conn.fetchval(
            "SELECT count(*) FROM ops.inbox WHERE message_id = $1", env.message_id
        )
        sent = await conn.fetch(
            "SELECT routing_key, sent_at FROM ops.outbox WHERE convert_from(body, 'UTF8') LIKE $1",
            "%run-once%",
        )
    assert claims == 1
    assert len(sent) == 1 and sent[0]["sent_at"] is not None  # relayed once, marked sent


async def test_failed_work_rolls_back_claim_and_outbox(runtime: Runtime) -> None:
    async def work(conn: asyncpg.Connection, env: Envelope[Any], report: Report) -> Event:
        await conn.execute("CREATE TABLE public.should_vanish (x int)")
        raise RuntimeError("half way")

    handler = phase_handler(runtime, "preprocess", "testing", work)
    env = new_message(RunStarted(run_type="complete", fence=1), producer="test", run_id="run-fail")
    try:
        await handler(env)
    except RuntimeError:
        pass
    assert runtime.pool is not None
    async with runtime.pool.acquire() as conn:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM ops.inbox WHERE message_id = $1", env.message_id
            )
            == 0
        )
        assert await conn.fetchval("SELECT to_regclass('public.should_vanish')") is None
