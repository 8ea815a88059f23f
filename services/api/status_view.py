"""GET /api/status: the status store, elapsed time, ETA, service liveness and queue depths."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from common.amqp import SUBSCRIPTIONS
from fastapi import APIRouter, Depends

from api.state import AppState, app_state

router = APIRouter(tags=["status"])
SERVICES = ("scheduler", "preprocess", "matcher", "precompute", "api")


def _seconds_since(iso: str | None, now: datetime) -> float | None:
    if not iso:
        return None
    return round((now - datetime.fromisoformat(iso)).total_seconds(), 3)


def eta_seconds(status: dict[str, Any], now: datetime) -> float | None:
    """Linear ETA of the current phase from its progress (None when unknown)."""
    done, total = status.get("progress_done") or 0, status.get("progress_total") or 0
    elapsed = _seconds_since(status.get("phase_started_at"), now)
    if status.get("state") != "running" or not done or not total or elapsed is None:
        return None
    return round(elapsed * (total - done) / done, 1)


def liveness(beats: dict[str, dict[str, Any]], now: datetime, period: float) -> dict[str, Any]:
    """Per service: alive instances (a beat within three periods) and the last beat."""
    out: dict[str, Any] = {name: {"alive": False, "instances": 0, "last_seen": None} for name in SERVICES}
    for beat in beats.values():
        entry = out.setdefault(beat["service"], {"alive": False, "instances": 0, "last_seen": None})
        age = _seconds_since(beat["at"], now)
        if age is not None and age <= 3 * period:
            entry["alive"] = True
            entry["instances"] += 1
        if entry["last_seen"] is None or beat["at"] > entry["last_seen"]:
            entry["last_seen"] = beat["at"]
    return out


async def queue_depths(state: AppState) -> dict[str, Any]:
    """Ready messages and consumers per queue, by passive declaration (no management API needed)."""
    depths: dict[str, Any] = {}
    channel = await state.connection.channel()
    try:
        for consumer in SUBSCRIPTIONS:
            for name in (state.topo.queue(consumer), state.topo.dlq(consumer)):
                queue = await channel.declare_queue(name, passive=True)
                result = queue.declaration_result
                depths[name] = {
                    "messages": result.message_count,
                    "consumers": result.consumer_count,
                }
    except Exception as exc:  # noqa: BLE001 - depths are informative; the status must still answer
        depths["error"] = repr(exc)
    finally:
        if not channel.is_closed:
            await channel.close()
    return depths


@router.get("/api/status")
async def get_status(state: AppState = Depends(app_state)) -> dict[str, Any]:
    """The pipeline's aggregated status."""
    now = datetime.now(UTC)
    status = await state.status.get()
    running = status["state"] == "running"
    return {
        **status,
        "elapsed_seconds": _seconds_since(status.get("started_at"), now) if running else None,
        "eta_seconds": eta_seconds(status, now),
        "services": liveness(await state.status.heartbeats(), now, state.settings.heartbeat_seconds),
        "queues": await queue_depths(state),
    }
