"""The scheduler's clock: interval ticks in the pipeline's time zone, and lock renewal."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common.logs import get_logger
from common.runs import RunInProgress, fail_run, trigger_run
from common.runtime import Runtime
from common.settings import SchedulerSettings

log = get_logger(__name__)


def next_tick(now: datetime, interval_hours: float, tz: str) -> datetime:
    """The next tick: interval boundaries counted from local midnight in the pipeline time zone."""
    local = now.astimezone(ZoneInfo(tz))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    step = timedelta(hours=interval_hours)
    elapsed = local - midnight
    ticks = int(elapsed / step) + 1
    return midnight + ticks * step


async def tick_loop(rt: Runtime, settings: SchedulerSettings) -> None:
    """Trigger a probe at each tick; a tick during an active run is skipped."""
    if settings.pipeline_run_on_start:
        await _tick(rt)
    while True:
        when = next_tick(
            datetime.now().astimezone(),
            settings.pipeline_schedule_interval_hours,
            settings.pipeline_timezone,
        )
        await rt.status.update(next_run_at=when.isoformat())
        delay = (when - datetime.now().astimezone()).total_seconds()
        await asyncio.sleep(max(delay, 0))
        await _tick(rt)


async def _tick(rt: Runtime) -> None:
    try:
        trig = await trigger_run(rt.lock, rt.status, rt.publisher, force=False, requested_by="scheduler")
        log.info("tick_triggered", run_id=trig.run_id)
    except RunInProgress as exc:
        log.info("tick_skipped", reason=str(exc), active_run_id=exc.run_id)


async def renew_loop(rt: Runtime) -> None:
    """Keep the active run's lock alive; a run whose lock vanished is marked abandoned."""
    period = rt.settings.lock_ttl_seconds / 3
    while True:
        await asyncio.sleep(period)
        await watch_lock(rt)


async def watch_lock(rt: Runtime) -> None:
    """Renew the running run's lock, or fail the run when nobody holds it any more."""
    holder = await rt.lock.holder()
    status = await rt.status.get()
    if status.get("state") != "running" or not status.get("run_id"):
        return
    if holder and status["run_id"] == holder.run_id:
        await rt.lock.renew(holder)
    elif holder is None:
        # The lock expired (every process of the run died, or it overran its TTL unrenewed).
        await fail_run(
            rt.status,
            rt.publisher,
            run_id=status["run_id"],
            phase=status.get("phase") or "unknown",
            error="run abandoned: its lock expired",
            producer="scheduler",
        )
        log.warning("run_abandoned", run_id=status["run_id"])
