"""Preprocess's handlers: answer probes, and stage a run's sources in its schema."""

from __future__ import annotations

import json
from pathlib import Path
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

from preprocess.cache import decide_run_type
from preprocess.pipeline import preprocess_run, probe_sources, remember_probe

PRODUCER = "preprocess"


def choose_run_type(force: bool, has_snapshot: bool, changed: dict[str, bool]) -> tuple[bool, RunType]:
    """Whether to run, and which kind: forced and first runs always run; else only on a change."""
    run_type = decide_run_type(changed, tables_present=has_snapshot, force=force)
    run = force or not has_snapshot or run_type == "complete" or changed.get("osm", True)
    return run, run_type  # type: ignore[return-value]


async def on_probe_requested(env: Envelope[ProbeRequested], rt: Runtime, sources: SourceSettings) -> None:
    """Probe the sources and tell the scheduler what changed."""
    assert rt.pool is not None
    probe = await probe_sources(sources, rt.settings.state_dir)
    async with rt.pool.acquire() as conn:
        has_snapshot = await live_snapshot(conn) is not None
    changed = {name: bool(p.get("changed", True)) for name, p in probe.items()}
    run, run_type = choose_run_type(env.payload.force, has_snapshot, changed)
    if run and env.run_id:
        save_pending_probe(rt.settings.state_dir, env.run_id, probe)
    answer = ProbeCompleted(changed=run, run_type=run_type, sources=probe)
    await rt.publisher.publish(
        new_message(answer, producer=PRODUCER, run_id=env.run_id, correlation_id=env.correlation_id)
    )


def _pending_path(state_dir: Path, run_id: str) -> Path:
    return Path(state_dir) / "pending-probes" / f"{run_id}.json"


def save_pending_probe(state_dir: Path, run_id: str, probe: dict[str, Any]) -> None:
    """Keep a run's probe until the run succeeds; only then does it become the baseline."""
    path = _pending_path(state_dir, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(probe))
    tmp.replace(path)


def settle_probe(state_dir: Path, run_id: str, succeeded: bool) -> bool:
    """Remember the probe of a run that published; forget that of a failed one."""
    path = _pending_path(state_dir, run_id)
    if not path.exists():
        return False
    if succeeded:
        remember_probe(Path(state_dir), json.loads(path.read_text()))
    path.unlink(missing_ok=True)
    return succeeded


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

    async def completed(env: Envelope[Any]) -> None:
        settle_probe(rt.settings.state_dir, env.run_id or "", succeeded=True)

    async def failed(env: Envelope[Any]) -> None:
        settle_probe(rt.settings.state_dir, env.run_id or "", succeeded=False)

    return {
        "precompute.run_completed": completed,
        "pipeline.run_failed": failed,
        "scheduler.probe_requested": probe,
        "scheduler.run_started": phase_handler(rt, "preprocess", "preprocessing sources", stage),
    }
