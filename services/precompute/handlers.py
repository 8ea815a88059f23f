"""Precompute's handler: problems, stats, then publication of the run's snapshot."""

from __future__ import annotations

from typing import Any

import asyncpg
from common.amqp import Handler
from common.db import Inbox, Outbox
from common.handlers import already_done
from common.messages import Envelope, MatchingCompleted, RunCompleted, new_message
from common.runs import begin_phase, end_phase, progress_reporter
from common.runtime import Runtime
from preprocess.staging import drop_run_schema, load_frames

from precompute.curation import reconcile
from precompute.problems import detect_problems, problems_summary
from precompute.publish import publish_snapshot
from precompute.route_inputs import route_pairs
from precompute.snapshots import snapshot_schema
from precompute.stats import compute_stats

CONSUMER = "precompute"


async def _problems(conn: asyncpg.Connection, schema: str) -> Any:
    frames = await load_frames(conn, schema)
    gtfs = {
        key: frames[f"gtfs_{key}"]
        for key in ("routes", "itineraries", "itinerary_stops")
        if f"gtfs_{key}" in frames
    }
    return detect_problems(
        frames["atlas_stops"],
        frames["osm_elements"],
        frames["matches"],
        frames["unmatched"],
        frames.get("osm_units"),
        route_matches=route_pairs(
            frames.get("route_matches"), frames.get("osm_routes"), frames.get("gtfs_itineraries")
        ),
        osm_routes=frames.get("osm_routes"),
        osm_route_stops=frames.get("osm_route_stops"),
        gtfs=gtfs if len(gtfs) == 3 else None,
    )


async def on_matching_completed(env: Envelope[MatchingCompleted], rt: Runtime) -> None:
    """Detect problems, aggregate, and publish the snapshot with the run's completion message."""
    assert rt.pool is not None and env.run_id is not None
    if await already_done(rt, CONSUMER, env.message_id):
        return
    run_id, schema, fence = env.run_id, env.payload.schema_name, env.payload.fence
    await begin_phase(rt.status, run_id, "precompute", "detecting problems")
    report = progress_reporter(rt.status, run_id, "precompute")
    async with rt.pool.acquire() as conn:
        problems = await _problems(conn, schema)
        stats = await compute_stats(
            conn, schema, problems_summary(problems), env.payload.summary.get("preprocess", {})
        )
    snap = snapshot_schema(fence, run_id)
    completed = new_message(
        RunCompleted(snapshot=snap, fence=fence, summary={"stats": stats["totals"]}),
        producer=CONSUMER,
        run_id=run_id,
        correlation_id=env.correlation_id,
    )

    async def in_swap(conn: asyncpg.Connection) -> None:
        await rt.lock.check_fence(fence)  # a newer run exists: this one must not publish
        if not await Inbox(conn, CONSUMER).claim(env.message_id):
            raise RuntimeError("this message was published by a concurrent delivery")
        # Users' decisions follow the swap atomically: solutions re-attach, orphans are flagged.
        await reconcile(conn, snap_schema=snap, run_id=run_id)
        await Outbox(conn).add(completed)

    async def set_blocking(value: bool) -> None:
        await rt.status.update(blocking=value)

    await publish_snapshot(
        rt.pool,
        run_schema=schema,
        snap=snap,
        run_id=run_id,
        fence=fence,
        problems=problems,
        stats=stats,
        report=report,
        in_swap=in_swap,
        set_blocking=set_blocking,
    )
    await end_phase(rt.status, run_id, "precompute")
    async with rt.pool.acquire() as conn:
        await drop_run_schema(conn, schema)
    await rt.relay_outbox()


def build_handlers(rt: Runtime) -> dict[str, Handler]:
    """Precompute's handler table."""

    async def handle(env: Envelope[Any]) -> None:
        await on_matching_completed(env, rt)

    return {"matcher.matching_completed": handle}
