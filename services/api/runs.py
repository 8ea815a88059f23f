"""POST /api/runs: the admin-only manual trigger."""

from __future__ import annotations

import secrets
from typing import Any

from common.runs import RunInProgress, trigger_run
from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.state import AppState, app_state

router = APIRouter(tags=["runs"])


class RunRequest(BaseModel):
    """Body of a trigger."""

    force: bool = False


def require_admin(
    state: AppState = Depends(app_state),
    authorization: str | None = Header(default=None),
    x_admin_token: str | None = Header(default=None),
) -> None:
    """Accept `Authorization: Bearer <token>` or `X-Admin-Token: <token>`."""
    given = x_admin_token or (authorization or "").removeprefix("Bearer ").strip()
    if not given or not secrets.compare_digest(given, state.settings.admin_token):
        raise HTTPException(status_code=401, detail="admin token required")


async def check_rate(
    state: AppState, request: Request, *, limit: int, window_seconds: int, scope: str
) -> None:
    """Answer 429 once this client passed `limit` requests of `scope` in the current window."""
    client = request.client.host if request.client else "unknown"
    if not await state.limiter.allow(f"{scope}:{client}", limit, window_seconds):
        raise HTTPException(status_code=429, detail="too many requests; try again later")


def rate_limited(limit: int, window_seconds: int, scope: str) -> Any:
    """A dependency that answers 429 past `limit` writes per client per window."""

    async def check(request: Request, state: AppState = Depends(app_state)) -> None:
        await check_rate(state, request, limit=limit, window_seconds=window_seconds, scope=scope)

    return check


@router.post(
    "/api/runs",
    status_code=202,
    dependencies=[Depends(require_admin), Depends(rate_limited(limit=30, window_seconds=60, scope="runs"))],
    responses={409: {"description": "a run is already in progress"}},
)
async def post_run(body: RunRequest, state: AppState = Depends(app_state)) -> Any:
    """Start a run now; 409 with the active run_id when one is in progress."""
    try:
        trig = await trigger_run(
            state.lock, state.status, state.publisher, force=body.force, requested_by="api"
        )
    except RunInProgress as exc:
        return JSONResponse(status_code=409, content={"detail": str(exc), "run_id": exc.run_id})
    return {"run_id": trig.run_id, "status_url": "/api/status"}
