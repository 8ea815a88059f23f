"""The FastAPI application: lifespan wiring, health and readiness, routers, the web UI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from common.amqp import Publisher, Topology, connect, declare_topology
from common.db import create_pool, current_revision
from common.lock import RunLock
from common.ratelimit import make_rate_limiter
from common.runtime import heartbeat_loop, make_status_store
from common.settings import ApiSettings
from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis

from api import curation, data, runs, status_view
from api.state import AppState, app_state

STATIC = Path(__file__).resolve().parent / "static"


async def open_state(settings: ApiSettings) -> AppState:
    """Open the pool, Redis, the status store and the bus for one API process."""
    redis = Redis.from_url(str(settings.redis_url))
    topo = Topology(settings.namespace)
    connection = await connect(str(settings.amqp_url))
    channel = await connection.channel()
    await declare_topology(channel, topo)
    await channel.close()
    return AppState(
        settings=settings,
        pool=await create_pool(str(settings.database_url), max_size=10),
        redis=redis,
        status=make_status_store(settings, redis),
        lock=RunLock(redis, settings.namespace, settings.lock_ttl_seconds),
        topo=topo,
        connection=connection,
        publisher=Publisher(connection, topo),
        limiter=make_rate_limiter(settings.ratelimit_storage_uri, settings.namespace),
    )


async def close_state(state: AppState) -> None:
    """Close everything open_state opened."""
    await state.publisher.close()
    await state.connection.close()
    await state.pool.close()
    await state.limiter.close()
    await state.redis.aclose()


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the app; settings are read at startup, never at import."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = await open_state(settings or ApiSettings())
        app.state.stopsync = state
        beat = asyncio.create_task(_beat(state))
        try:
            yield
        finally:
            beat.cancel()
            # Bounded: a beat cancelled mid-connect to Redis may never finish unwinding.
            await asyncio.wait({beat}, timeout=2.0)
            await close_state(state)

    app = FastAPI(
        title="stopsync",
        version="0.1.0",
        lifespan=lifespan,
        description="Keeps OpenStreetMap public-transport stops in step with official registries.",
    )
    app.include_router(status_view.router)
    app.include_router(runs.router)
    app.include_router(data.router)
    app.include_router(curation.router, dependencies=[Depends(write_limit)])
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["health"])
    app.add_api_route("/readyz", readyz, methods=["GET"], tags=["health"])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
    return app


async def write_limit(request: Request, state: AppState = Depends(app_state)) -> None:
    """Rate-limit users' writes per client (reads pass freely)."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        await runs.check_rate(state, request, limit=120, window_seconds=60, scope="curation")


async def _beat(state: AppState) -> None:
    from common.runtime import Runtime

    rt = Runtime(
        service="api",
        settings=state.settings,
        redis=state.redis,
        status=state.status,
        lock=state.lock,
        topo=state.topo,
        connection=state.connection,
        publisher=state.publisher,
    )
    await heartbeat_loop(rt)


async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


async def readyz(state: AppState = Depends(app_state)) -> Any:
    """Readiness: the database is at head, Redis answers and the bus connection is open."""
    from migrator.migrate import head

    checks: dict[str, Any] = {}
    try:
        async with state.pool.acquire() as conn:
            rev = await current_revision(conn)
        checks["database"] = "ok" if rev == head() else f"at {rev}, head is {head()}"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = repr(exc)
    try:
        checks["redis"] = "ok" if await state.redis.ping() else "no answer"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = repr(exc)
    checks["amqp"] = "ok" if not state.connection.is_closed else "closed"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(status_code=200 if ready else 503, content={"ready": ready, "checks": checks})


async def index() -> FileResponse:
    """The web map UI."""
    return FileResponse(STATIC / "index.html")
