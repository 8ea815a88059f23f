"""The scheduler's handlers: it turns requests and probe answers into runs, and ends them."""

from __future__ import annotations

from typing import Any

from common.amqp import Handler
from common.logs import get_logger
from common.messages import (
    Envelope,
    ProbeCompleted,
    ProbeRequested,
    RunCompleted,
    RunFailed,
    RunRequested,
    RunStarted,
    new_message,
)
from common.runs import begin_phase, end_phase
from common.runtime import Runtime
from common.status import now_iso

log = get_logger(__name__)
PRODUCER = "scheduler"


async def on_run_requested(env: Envelope[RunRequested], rt: Runtime) -> None:
    """A run holds the lock: ask preprocess whether the sources changed."""
    holder = await rt.lock.holder()
    if holder is None or holder.run_id != env.run_id:
        log.warning("run_request_without_lock", holder=holder.run_id if holder else None)
        return
    await begin_phase(rt.status, env.run_id or "", "probe", "probing sources")
    probe = ProbeRequested(force=env.payload.force)
    await rt.publisher.publish(new_message(probe, producer=PRODUCER, run_id=env.run_id))


async def on_probe_completed(env: Envelope[ProbeCompleted], rt: Runtime) -> None:
    """Start the run when the sources changed or it was forced; otherwise end it quietly."""
    holder = await rt.lock.holder()
    if holder is None or holder.run_id != env.run_id:
        return  # the lock expired or belongs to another run: this probe is stale
    await end_phase(rt.status, holder.run_id, "probe")
    if not env.payload.changed:
        await rt.status.update(
            state="idle",
            phase=None,
            message="sources unchanged: nothing to do",
            last_run_id=env.run_id,
            progress_done=0,
            progress_total=0,
        )
        await rt.lock.release(holder)
        log.info("run_skipped", reason="sources unchanged")
        return
    fence = await rt.lock.next_fence()
    await rt.status.update(
        run_type=env.payload.run_type,
        phase="preprocess",
        phase_started_at=now_iso(),
        message="run started",
    )
    started = RunStarted(run_type=env.payload.run_type, fence=fence, force=env.payload.run_type == "complete")
    await rt.publisher.publish(new_message(started, producer=PRODUCER, run_id=env.run_id))
    log.info("run_started", run_type=env.payload.run_type, fence=fence)


async def on_run_completed(env: Envelope[RunCompleted], rt: Runtime) -> None:
    """The snapshot is published: record success and free the lock."""
    await _finish(
        rt,
        env.run_id,
        state="idle",
        message=f"published {env.payload.snapshot}",
        last_success_at=now_iso(),
        last_run_id=env.run_id,
    )
    log.info("run_completed", snapshot=env.payload.snapshot)


async def on_run_failed(env: Envelope[RunFailed], rt: Runtime) -> None:
    """A phase gave up: record the error and free the lock."""
    error = {
        "run_id": env.run_id,
        "phase": env.payload.phase,
        "error": env.payload.error,
        "at": now_iso(),
    }
    await _finish(
        rt,
        env.run_id,
        state="failed",
        message=f"failed in {env.payload.phase}",
        last_error=error,
        last_run_id=env.run_id,
    )
    log.error("run_failed", phase=env.payload.phase, error=env.payload.error)


async def _finish(rt: Runtime, run_id: str | None, **fields: Any) -> None:
    status = await rt.status.get()
    if status.get("run_id") == run_id:
        await rt.status.update(phase=None, blocking=False, progress_done=0, progress_total=0, **fields)
    holder = await rt.lock.holder()
    if holder is not None and holder.run_id == run_id:
        await rt.lock.release(holder)


def build_handlers(rt: Runtime) -> dict[str, Handler]:
    """The scheduler's handler table, bound to its runtime."""
    table = {
        "api.run_requested": on_run_requested,
        "preprocess.probe_completed": on_probe_completed,
        "precompute.run_completed": on_run_completed,
        "pipeline.run_failed": on_run_failed,
    }
    return {key: _bind(fn, rt) for key, fn in table.items()}


def _bind(fn: Any, rt: Runtime) -> Handler:
    async def handler(env: Envelope[Any]) -> None:
        await fn(env, rt)

    return handler
