"""Fixed-window rate limits for the API's writes, in memory or in Redis (RATELIMIT_STORAGE_URI)."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


class RateLimiter(Protocol):
    """Counts hits per key and window."""

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool: ...

    async def close(self) -> None: ...


class MemoryRateLimiter:
    """Per-process counters: right for one API process, or for tests."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count a hit; False once the window's limit is passed."""
        window = int(time.time() // window_seconds)
        self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}  # forget old windows
        count = self._counts.get((key, window), 0) + 1
        self._counts[(key, window)] = count
        return count <= limit

    async def close(self) -> None:
        """Nothing to close."""


class RedisRateLimiter:
    """Counters shared by every API process: INCR plus an expiry per window."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def allow(self, key: str, limit: int, window_seconds: int) -> bool:
        """Count a hit; False once the window's limit is passed."""
        window = int(time.time() // window_seconds)
        name = f"{self._prefix}:ratelimit:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds * 2)
            count, _ = await pipe.execute()
        return int(count) <= limit

    async def close(self) -> None:
        """Close the Redis connection."""
        await self._redis.aclose()


def make_rate_limiter(uri: str, prefix: str) -> RateLimiter:
    """`memory://` or a `redis://` URL."""
    if uri.startswith("memory://"):
        return MemoryRateLimiter()
    if uri.startswith(("redis://", "rediss://", "unix://")):
        return RedisRateLimiter(Redis.from_url(uri), prefix)
    raise ValueError(f"unsupported RATELIMIT_STORAGE_URI: {uri!r} (memory:// or redis://)")
