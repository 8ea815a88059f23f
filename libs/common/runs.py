"""Run lifecycle steps shared by the API, the CLI and the services: trigger, progress, failure."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from common.amqp import Publisher
from common.lock import RunLock
from common.messages import RunFailed, RunRequested, new_message
from common.status import StatusStore, now_iso

Report = Callable[[str, int, int], Awaitable[None]]


class RunInProgress(RuntimeError):
    """A trigger arrived while another run holds the lock."""

    def __init__(self, run_id: str | None) -> None:
        super().__init__("a run is already in progress")
        self.run_id = run_id


@dataclass(frozen=True)
class Trigger:
    """What a successful trigger returns."""

    run_id: str


def new_run_id() -> str:
    """A fresh run id: hex, so that it can name a schema."""
    return uuid.uuid4().hex


def run_schema(run_id: str) -> str:
    """The per-run staging schema's name."""
    return f"run_{run_id}"


async def trigger_run(
    lock: RunLock, status: StatusStore, publisher: Publisher, *, force: bool, requested_by: str
) -> Trigger:
    """Take the run lock and ask the scheduler to run; raise RunInProgress when one is active."""
    run_id = new_run_id()
    holder = await lock.acquire(run_id)
    if holder is None:
        active = await lock.holder()
        raise RunInProgress(active.run_id if active else None)
    try:
        await status.update(
            state="running",
            run_id=run_id,
            run_type=None,
            phase="queued",
            started_at=now_iso(),
            phase_started_at=now_iso(),
            message=f"run requested by {requested_by}",
            progress_done=0,
            progress_total=0,
            last_error=None,
            blocking=False,
            phase_log=[],
        )
        payload = RunRequested(force=force, requested_by=requested_by, lock_token=holder.token)
        await publisher.publish(new_message(payload, producer=requested_by, run_id=run_id))
    except BaseException:
        await lock.release(holder)
        raise
    return Trigger(run_id=run_id)


def progress_reporter(
    status: StatusStore, run_id: str, phase: str, min_interval: float = 0.25
) -> Report:
    """A progress callback for one phase that writes at most every min_interval seconds."""
    last = [0.0]

    async def report(message: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < min_interval and done < total:
            return
        last[0] = now
        current = await status.get()
        if current.get("run_id") != run_id:
            return  # a stale run must not overwrite a newer run's status
        await status.update(message=message, progress_done=done, progress_total=total)

    return report


async def begin_phase(status: StatusStore, run_id: str, phase: str, message: str) -> None:
    """Mark the start of a phase in the status store."""
    current = await status.get()
    if current.get("run_id") not in (None, run_id):
        return
    started = now_iso()
    log = [
        *current.get("phase_log", []),
        {"phase": phase, "started_at": started, "finished_at": None},
    ]
    await status.update(
        state="running",
        run_id=run_id,
        phase=phase,
        phase_started_at=started,
        message=message,
        progress_done=0,
        progress_total=0,
        phase_log=log,
    )


async def end_phase(status: StatusStore, run_id: str, phase: str) -> None:
    """Stamp the end of the current phase in this run's phase log."""
    current = await status.get()
    if current.get("run_id") != run_id:
        return
    log = [dict(e) for e in current.get("phase_log", [])]
    for entry in reversed(log):
        if entry["phase"] == phase and entry["finished_at"] is None:
            entry["finished_at"] = now_iso()
            break
    await status.update(phase_log=log)


async def fail_run(
    status: StatusStore,
    publisher: Publisher | None,
    *,
    run_id: str | None,
    phase: str,
    error: str,
    producer: str,
) -> None:
    """Record a failed run and tell the scheduler, which releases the lock."""
    current = await status.get()
    if run_id is not None and current.get("run_id") == run_id:
        await status.update(
            state="failed",
            phase=phase,
            message=f"failed in {phase}",
            last_error={"run_id": run_id, "phase": phase, "error": error, "at": now_iso()},
            blocking=False,
        )
    if publisher is not None and run_id is not None:
        await publisher.publish(
            new_message(RunFailed(phase=phase, error=error), producer=producer, run_id=run_id)
        )
