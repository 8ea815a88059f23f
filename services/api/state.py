"""What the API opens once in its lifespan and shares with every request."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from aio_pika.abc import AbstractRobustConnection
from common.amqp import Publisher, Topology
from common.lock import RunLock
from common.ratelimit import RateLimiter
from common.settings import ApiSettings
from common.status import StatusStore
from fastapi import Request
from redis.asyncio import Redis


@dataclass
class AppState:
    """Connections and settings of one API process."""

    settings: ApiSettings
    pool: asyncpg.Pool
    redis: Redis
    status: StatusStore
    lock: RunLock
    topo: Topology
    connection: AbstractRobustConnection
    publisher: Publisher
    limiter: RateLimiter


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the process's AppState."""
    return request.app.state.stopsync
