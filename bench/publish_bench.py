"""Benchmark: one run at generator scale S, in process: preprocess, match, problems, publish (JSON).

Publication is timed step by step (stage, index, validate, swap); the swap window is the time
`blocking` would be true. Peak RSS is the process's high-water mark.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from common.db import create_pool
from common.settings import SourceSettings
from matcher.pipeline import match_run
from migrator.migrate import ensure_database, upgrade
from precompute.handlers import _problems
from precompute.problems import problems_summary
from precompute.publish import publish_snapshot
from precompute.snapshots import snapshot_schema
from precompute.stats import compute_stats
from preprocess.pipeline import preprocess_run
from report import RESULTS, emit

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


async def _quiet(message: str, done: int, total: int) -> None:
    return None


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def _timed(timings: dict[str, float], name: str, coro: Any) -> Any:
    started = time.perf_counter()
    result = await coro
    timings[name] = round(time.perf_counter() - started, 3)
    return result


async def bench(data: Path, db: str) -> dict[str, Any]:
    """Run the phases on `data` into database `db`."""
    url = f"postgresql://postgres@127.0.0.1:5432/{db}"
    await asyncio.to_thread(ensure_database, url)
    await asyncio.to_thread(upgrade, url)
    sources = SourceSettings(
        atlas_url=str(data / "atlas.csv"),
        osm_url=str(data / "osm.osm"),
        gtfs_url=str(data / "gtfs.zip"),
        cache_dir=data / "cache",
    )
    pool = await create_pool(url)
    timings: dict[str, float] = {}
    run_id = uuid.uuid4().hex
    schema = f"run_{run_id}"
    try:
        async with pool.acquire() as conn:
            pre = await _timed(
                timings, "preprocess", preprocess_run(conn, sources, schema, "complete", _quiet)
            )
            await _timed(timings, "match", match_run(conn, schema, "swiss", _quiet))
            problems = await _timed(timings, "problems", _problems(conn, schema))
            stats = await compute_stats(conn, schema, problems_summary(problems), pre)

        async def nothing(conn: asyncpg.Connection) -> None:
            return None

        async def blocking(value: bool) -> None:
            return None

        result = await publish_snapshot(
            pool,
            run_schema=schema,
            snap=snapshot_schema(1, run_id),
            run_id=run_id,
            fence=1,
            problems=problems,
            stats=stats,
            report=_quiet,
            in_swap=nothing,
            set_blocking=blocking,
        )
    finally:
        await pool.close()
    publish_total = round(sum(result.timings.values()), 3)
    return {
        "phases_s": timings,
        "publish_steps_s": {k: round(v, 3) for k, v in result.timings.items()},
        "publish_total_s": publish_total,
        "swap_window_s": round(result.swap_seconds, 4),
        "rows": {
            "atlas_stops": stats["totals"]["atlas_stops"],
            "osm_elements": stats["totals"]["osm_elements"],
            "matches": stats["totals"]["matches"],
            "problems": problems.height,
        },
    }


async def _drop(db: str) -> None:
    conn = await asyncpg.connect(ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    finally:
        await conn.close()


def main() -> None:
    """Generate (unless --data is given), run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="an existing generator output folder")
    args = parser.parse_args()
    data = args.data
    if data is None:
        import samplegen

        data = Path(tempfile.mkdtemp(prefix="stopsync-publish-bench-"))
        samplegen.generate(args.scale, args.seed, data)
    db = f"stopsync_bench_{uuid.uuid4().hex[:8]}"
    try:
        result = asyncio.run(bench(data, db))
    finally:
        asyncio.run(_drop(db))
    result = {
        "benchmark": "publish",
        "scale": args.scale,
        "cpu_count": os.cpu_count(),
        "peak_rss_mb": _rss_mb(),
        **result,
    }
    emit(result, RESULTS / "publish.json")


if __name__ == "__main__":
    main()
