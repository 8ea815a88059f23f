"""The Redis run lock (SET NX PX, owner-only renew and release) and its fencing tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

# Compare-and-act scripts: only the holder of the token may renew or release.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class LockHolder:
    """Who holds the lock: the run and its secret token."""

    run_id: str
    token: str

    @property
    def value(self) -> str:
        """The string stored under the lock key."""
        return f"{self.run_id}|{self.token}"

    @classmethod
    def parse(cls, value: str) -> LockHolder:
        """Read a stored lock value back."""
        run_id, _, token = value.partition("|")
        return cls(run_id=run_id, token=token)


class StaleFenceError(RuntimeError):
    """A run tried to act with a fencing token older than the newest one issued."""


class RunLock:
    """Keeps runs exclusive across processes; fencing tokens order them."""

    def __init__(self, redis: Redis, namespace: str, ttl_seconds: float = 60.0) -> None:
        self._redis = redis
        self.key = f"{namespace}:lock:run"
        self.fence_key = f"{namespace}:lock:fence"
        self.ttl_ms = int(ttl_seconds * 1000)

    async def acquire(self, run_id: str) -> LockHolder | None:
        """Take the lock for run_id, or return None when another run holds it."""
        holder = LockHolder(run_id=run_id, token=secrets.token_hex(16))
        ok = await self._redis.set(self.key, holder.value, nx=True, px=self.ttl_ms)
        return holder if ok else None

    async def holder(self) -> LockHolder | None:
        """The current holder, if any."""
        value = await self._redis.get(self.key)
        return LockHolder.parse(_text(value)) if value else None

    async def renew(self, holder: LockHolder) -> bool:
        """Extend the lock's life; False when it expired or belongs to someone else."""
        return bool(await self._redis.eval(_RENEW, 1, self.key, holder.value, self.ttl_ms))

    async def release(self, holder: LockHolder) -> bool:
        """Drop the lock if holder still owns it."""
        return bool(await self._redis.eval(_RELEASE, 1, self.key, holder.value))

    async def next_fence(self) -> int:
        """Issue the next fencing token (monotonic across the namespace's lifetime)."""
        return int(await self._redis.incr(self.fence_key))

    async def current_fence(self) -> int:
        """The newest fencing token issued."""
        return int(await self._redis.get(self.fence_key) or 0)

    async def check_fence(self, fence: int) -> None:
        """Raise StaleFenceError when a newer run has been issued a token since this one."""
        newest = await self.current_fence()
        if fence < newest:
            raise StaleFenceError(f"fencing token {fence} is stale; the newest is {newest}")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
