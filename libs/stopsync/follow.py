"""Trigger a run and follow it with a progress bar; read the status; roll back a snapshot."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from common.amqp import Publisher, Topology, connect, declare_topology
from common.db import create_pool
from common.lock import RunLock
from common.runs import RunInProgress, trigger_run
from common.runtime import make_status_store
from common.settings import CommonSettings
from redis.asyncio import Redis
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


async def read_status() -> dict[str, Any]:
    """The status store's run fields."""
    settings = CommonSettings()
    store = make_status_store(settings)
    try:
        return await store.get()
    finally:
        await store.close()


def outcome(status: dict[str, Any], run_id: str) -> int | None:
    """None while run_id is still running; else the exit code (1 if it failed)."""
    if status.get("run_id") == run_id and status.get("state") == "running":
        return None
    error = status.get("last_error") or {}
    return 1 if error.get("run_id") == run_id else 0


async def trigger_and_follow(*, force: bool, wait: bool, timeout: float) -> int:
    """Trigger a run; with wait, follow it to its end."""
    settings = CommonSettings()
    redis = Redis.from_url(str(settings.redis_url))
    store = make_status_store(settings, redis)
    topo = Topology(settings.namespace)
    connection = await connect(str(settings.amqp_url))
    try:
        channel = await connection.channel()
        await declare_topology(channel, topo)
        await channel.close()
        publisher = Publisher(connection, topo)
        lock = RunLock(redis, settings.namespace, settings.lock_ttl_seconds)
        try:
            trig = await trigger_run(lock, store, publisher, force=force, requested_by="cli")
        except RunInProgress as exc:
            print(f"a run is already in progress: {exc.run_id}", file=sys.stderr)
            return 2
        print(f"run {trig.run_id} triggered")
        return await _follow(store, trig.run_id, timeout) if wait else 0
    finally:
        await connection.close()
        await redis.aclose()


async def _follow(store: Any, run_id: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    columns = (
        TextColumn("{task.fields[phase]:>10}"),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("queued", total=None, phase="")
        while time.monotonic() < deadline:
            status = await store.get()
            code = outcome(status, run_id)
            if code is not None:
                _print_end(status, run_id, code)
                return code
            total = status.get("progress_total") or None
            bar.update(
                task,
                description=status.get("message", ""),
                total=total,
                completed=status.get("progress_done") or 0,
                phase=status.get("phase") or "",
            )
            await asyncio.sleep(0.2)
    print(f"run {run_id} did not finish within {timeout:.0f} s", file=sys.stderr)
    return 3


def _print_end(status: dict[str, Any], run_id: str, code: int) -> None:
    if code:
        error = status.get("last_error") or {}
        print(f"run {run_id} failed in {error.get('phase')}: {error.get('error')}", file=sys.stderr)
    else:
        print(f"run {run_id} finished: {status.get('message')}")


async def rollback_snapshot() -> str:
    """Swap the previous snapshot back in."""
    from precompute.snapshots import rollback

    pool = await create_pool(str(CommonSettings().database_url))
    try:
        async with pool.acquire() as conn:
            return await rollback(conn)
    finally:
        await pool.close()
