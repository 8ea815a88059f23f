"""The Redis rate limiter shares its counts between limiter instances (API processes)."""

from __future__ import annotations

from common.ratelimit import RedisRateLimiter
from redis.asyncio import Redis


async def test_two_processes_share_one_budget(redis: Redis, namespace: str) -> None:
    first, second = RedisRateLimiter(redis, namespace), RedisRateLimiter(redis, namespace)
    assert await first.allow("client", 3, 60)
    assert await second.allow("client", 3, 60)
    assert await first.allow("client", 3, 60)
    assert not await second.allow("client", 3, 60)
    ttl = [await redis.ttl(k) async for k in redis.scan_iter(f"{namespace}:ratelimit:*")]
    assert ttl and all(0 < t <= 120 for t in ttl)  # windows expire by themselves
