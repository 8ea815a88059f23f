"""One contract, both status backends: Redis and atomic files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from common.status import RUN_DEFAULTS, FileStatusStore, RedisStatusStore, StatusStore
from redis.asyncio import Redis


@pytest.fixture(params=["redis", "file"])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, redis: Redis, namespace: str
) -> AsyncIterator[StatusStore]:
    if request.param == "file":
        yield FileStatusStore(tmp_path / "state")
    else:
        yield RedisStatusStore(redis, namespace)


async def test_defaults_before_any_write(store: StatusStore) -> None:
    assert await store.get() == RUN_DEFAULTS


async def test_updates_merge(store: StatusStore) -> None:
    await store.update(state="running", run_id="r1", progress_done=3, progress_total=10)
    await store.update(phase="match", message="matching")
    status = await store.get()
    assert status["state"] == "running" and status["run_id"] == "r1"
    assert (status["phase"], status["progress_done"], status["progress_total"]) == ("match", 3, 10)


async def test_unknown_fields_are_refused(store: StatusStore) -> None:
    with pytest.raises(KeyError):
        await store.update(not_a_field=1)


async def test_concurrent_writers_do_not_lose_fields(store: StatusStore) -> None:
    await asyncio.gather(
        *(
            store.update(**{field: f"v{i}"})
            for i, field in enumerate(["message", "phase", "run_id", "run_type"])
        )
    )
    status = await store.get()
    assert [status[f] for f in ["message", "phase", "run_id", "run_type"]] == [
        "v0",
        "v1",
        "v2",
        "v3",
    ]


async def test_heartbeats_and_jobs(store: StatusStore) -> None:
    await store.heartbeat("matcher", "host-1", {"pid": 1})
    await store.heartbeat("matcher", "host-2", {"pid": 2})
    beats = await store.heartbeats()
    assert {b["instance"] for b in beats.values()} == {"host-1", "host-2"}
    assert await store.get_job("missing") is None
    await store.put_job("j1", {"state": "done", "rows": 5})
    assert await store.get_job("j1") == {"state": "done", "rows": 5}


async def test_file_backend_writes_atomically(tmp_path: Path) -> None:
    store = FileStatusStore(tmp_path)
    await store.update(state="running")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".run.json.")]
    assert leftovers == []  # temp files are renamed over the target, never left behind
    assert (tmp_path / "run.json").read_text().startswith("{")
