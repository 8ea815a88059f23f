"""The scheduler's lock watch: renew a live run's lock; fail a run whose lock vanished."""

from __future__ import annotations

from common.runtime import Runtime
from scheduler.ticks import watch_lock


async def test_live_run_lock_is_renewed(runtime: Runtime) -> None:
    holder = await runtime.lock.acquire("run-live")
    assert holder is not None
    await runtime.status.update(state="running", run_id="run-live")
    await runtime.redis.pexpire(runtime.lock.key, 1000)
    await watch_lock(runtime)
    assert await runtime.redis.pttl(runtime.lock.key) > 1000  # back to the full TTL


async def test_run_without_lock_is_marked_abandoned(runtime: Runtime) -> None:
    await runtime.status.update(state="running", run_id="run-orphan", phase="match")
    await watch_lock(runtime)
    status = await runtime.status.get()
    assert status["state"] == "failed"
    assert status["last_error"]["error"] == "run abandoned: its lock expired"
    assert status["last_error"]["phase"] == "match"
