"""Benchmark: sample-run wall time and phase-to-phase handoff latency over N forced runs (JSON out).

The handoff is the time from one phase's end (its outbox commit) to the next phase's start, as
recorded in the status store's phase log: outbox relay, broker, consumer dispatch and inbox check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from common.settings import SAMPLE_DIR
from report import RESULTS, emit
from stopsync.localstack import LocalStack


def _gaps(phase_log: list[dict[str, Any]]) -> list[float]:
    times = [
        (datetime.fromisoformat(e["started_at"]), datetime.fromisoformat(e["finished_at"])) for e in phase_log
    ]
    return [(nxt[0] - prev[1]).total_seconds() for prev, nxt in zip(times, times[1:], strict=False)]


def _run_once(stack: LocalStack) -> tuple[float, list[float]]:
    started = time.monotonic()
    answer = httpx.post(
        f"{stack.url}/api/runs",
        json={"force": True},
        headers={"X-Admin-Token": "bench"},
        timeout=10,
    )
    answer.raise_for_status()
    run_id = answer.json()["run_id"]
    while True:
        status = httpx.get(f"{stack.url}/api/status", timeout=10).json()
        if status["run_id"] == run_id and status["state"] != "running":
            break
        time.sleep(0.02)
    if status["state"] != "idle":
        raise RuntimeError(f"run failed: {status['last_error']}")
    return time.monotonic() - started, _gaps(status["phase_log"])


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_s": round(statistics.median(ordered), 4),
        "min_s": round(ordered[0], 4),
        "p90_s": round(ordered[int(0.9 * (len(ordered) - 1))], 4),
        "max_s": round(ordered[-1], 4),
    }


def main() -> None:
    """Run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--sample", type=Path, default=SAMPLE_DIR, help="folder with atlas.csv, osm.osm, gtfs.zip"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="stopsync-bench-"))
    shutil.copytree(args.sample, tmp / "sample")
    db = f"stopsync_bench_{uuid.uuid4().hex[:8]}"
    env = {
        "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{db}",
        "NAMESPACE": f"bench{db[-8:]}",
        "STATE_DIR": str(tmp / "state"),
        "CACHE_DIR": str(tmp / "cache"),
        "ADMIN_TOKEN": "bench",
        "ATLAS_URL": str(tmp / "sample/atlas.csv"),
        "OSM_URL": str(tmp / "sample/osm.osm"),
        "GTFS_URL": str(tmp / "sample/gtfs.zip"),
    }
    stack = LocalStack(env=env, log_dir=tmp / "logs")
    walls: list[float] = []
    gaps: list[float] = []
    try:
        stack.migrate()
        stack.start()
        for _ in range(args.runs):
            wall, run_gaps = _run_once(stack)
            walls.append(wall)
            gaps.extend(run_gaps)
    finally:
        stack.stop()
        stack.destroy("postgresql://postgres@127.0.0.1:5432/postgres")
    result = {
        "benchmark": "phase_latency",
        "runs": args.runs,
        "cpu_count": os.cpu_count(),
        "sample_run_wall": _summary(walls),
        "phase_handoff": _summary(gaps),
        "handoffs_measured": len(gaps),
    }
    emit(result, RESULTS / "phase_latency.json")


if __name__ == "__main__":
    main()
