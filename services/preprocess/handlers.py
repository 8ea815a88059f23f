"""Preprocess's handlers: answer probes, and stage a run's sources in its schema."""

from __future__ import annotations

from typing import Any

import asyncpg
from common.amqp import Handler
from common.handlers import phase_handler
from common.messages import (
    Envelope,
    Event,
    PreprocessCompleted,
    ProbeCompleted,
    ProbeRequested,
    RunStarted,
    RunType,
    new_message,
)
from common.runs import Report, run_schema
from common.runtime import Runtime
from common.settings import SourceSettings
from precompute.snapshots import live_snapshot

from preprocess.pipeline import preprocess_run, probe_sources

PRODUCER = "preprocess"


def choose_run_type(
    force: bool, has_snapshot: bool, changed: dict[str, bool]
) -> tuple[bool, RunType]:
    """Whether to run, and which kind of run: forced and first runs are complete or bootstrap."""
    static_changed = changed.get("atlas", True) or changed.get("gtfs", True)
    if force:
        return True, "complete"
    if not has_snapshot:
        return True, "complete" if static_changed else "bootstrap"
    if static_changed:
        return True, "complete"
    if changed.get("osm", True):
        return True, "atlas_cached"
    return False, "atlas_cached"


async def on_probe_requested(
    env: Envelope[ProbeRequested], rt: Runtime, sources: SourceSettings
) -> None:
    """Probe the sources and tell the scheduler what changed."""
    assert rt.pool is not None
    probe = await probe_sources(sources, rt.settings.state_dir)
    async with rt.pool.acquire() as conn:
        has_snapshot = await live_snapshot(conn) is not None
    changed = {name: bool(p.get("changed", True)) for name, p in probe.items()}
    run, run_type = choose_run_type(env.payload.force, has_snapshot, changed)
    answer = ProbeCompleted(changed=run, run_type=run_type, sources=probe)
    await rt.publisher.publish(
        new_message(answer, producer=PRODUCER, run_id=env.run_id, correlation_id=env.correlation_id)
    )


def build_handlers(rt: Runtime) -> dict[str, Handler]:
    """Preprocess's handler table."""
    sources = SourceSettings()

    async def stage(conn: asyncpg.Connection, env: Envelope[Any], report: Report) -> Event:
        started: RunStarted = env.payload
        schema = run_schema(env.run_id or "")
        summary = await preprocess_run(conn, sources, schema, started.run_type, report)
        return PreprocessCompleted(
            schema_name=schema, run_type=started.run_type, fence=started.fence, summary=summary
        )

    async def probe(env: Envelope[Any]) -> None:
        await on_probe_requested(env, rt, sources)

    return {
        "scheduler.probe_requested": probe,
        "scheduler.run_started": phase_handler(rt, "preprocess", "preprocessing sources", stage),
    }
