"""The run lock on real Redis: exclusive, renewable, owner-only release, expiry, fencing."""

from __future__ import annotations

import asyncio

import pytest
from common.lock import LockHolder, RunLock, StaleFenceError
from redis.asyncio import Redis


@pytest.fixture
def lock(redis: Redis, namespace: str) -> RunLock:
    return RunLock(redis, namespace, ttl_seconds=0.5)


async def test_lock_is_exclusive(lock: RunLock) -> None:
    first = await lock.acquire("run-a")
    assert first is not None
    assert await lock.acquire("run-b") is None
    holder = await lock.holder()
    assert holder == first


async def test_only_the_owner_releases(lock: RunLock) -> None:
    owner = await lock.acquire("run-a")
    assert owner is not None
    impostor = LockHolder(run_id="run-a", token="not-the-token")
    assert not await lock.release(impostor)
    assert await lock.holder() == owner
    assert await lock.release(owner)
    assert await lock.holder() is None


async def test_lock_expires_unless_renewed(lock: RunLock) -> None:
    owner = await lock.acquire("run-a")
    assert owner is not None
    for _ in range(4):  # 4 x 0.2 s > the 0.5 s TTL: only renewal keeps it
        await asyncio.sleep(0.2)
        assert await lock.renew(owner)
    await asyncio.sleep(0.7)
    assert await lock.holder() is None
    assert not await lock.renew(owner)  # an expired holder cannot resurrect the lock
    assert await lock.acquire("run-b") is not None


async def test_fencing_tokens_increase_and_stale_ones_are_rejected(lock: RunLock) -> None:
    first = await lock.next_fence()
    second = await lock.next_fence()
    assert second == first + 1
    await lock.check_fence(second)
    with pytest.raises(StaleFenceError):
        await lock.check_fence(first)
