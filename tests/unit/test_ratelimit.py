"""The in-memory rate limiter: a fixed window per key."""

from __future__ import annotations

import pytest
from common.ratelimit import MemoryRateLimiter, make_rate_limiter


async def test_limit_per_key_and_window(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr("common.ratelimit.time.time", lambda: clock[0])
    limiter = MemoryRateLimiter()
    assert [await limiter.allow("a", 2, 60) for _ in range(3)] == [True, True, False]
    assert await limiter.allow("b", 2, 60)  # another client has its own budget
    clock[0] += 60  # the next window starts afresh
    assert await limiter.allow("a", 2, 60)


def test_unknown_storage_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="RATELIMIT_STORAGE_URI"):
        make_rate_limiter("mongodb://x", "ns")
