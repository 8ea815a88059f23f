"""Time a complete and an atlas_cached preprocess run on generated data; print JSON.

Usage: .venv/bin/python bench/preprocess_bench.py [--scale 1.0] [--seed 1] [--gtfs-trips N]
       [--data DIR] [--results bench/results/preprocess.json]

Each run happens in a fresh process so that its peak RSS is its own. Needs PostgreSQL with PostGIS
on 127.0.0.1:5432 (a throwaway database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import asyncpg
from report import RESULTS, emit

PREPROCESS_JSON = RESULTS / "preprocess.json"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def generate(out: Path, scale: float, seed: int, gtfs_trips: int | None) -> float:
    """Generate the sources in a separate process (its memory must not count); returns seconds."""
    cmd = [
        sys.executable,
        "-m",
        "samplegen.cli",
        "--scale",
        str(scale),
        "--seed",
        str(seed),
        "--out",
        str(out),
    ]
    if gtfs_trips:
        cmd += ["--gtfs-trips", str(gtfs_trips)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 2)


def one_run(db_url: str, data: str, cache: str, run_type: str) -> dict:
    """Child process: one preprocess run; returns its summary, seconds and peak RSS."""
    from common.settings import SourceSettings
    from preprocess.pipeline import preprocess_run
    from preprocess.staging import drop_run_schema

    async def quiet(_message: str, _done: int, _total: int) -> None:
        return None

    async def main() -> dict:
        sources = SourceSettings(
            atlas_url=f"{data}/atlas.csv",
            osm_url=f"{data}/osm.osm",
            gtfs_url=f"{data}/gtfs.zip",
            cache_dir=Path(cache),
        )
        conn = await asyncpg.connect(db_url)
        schema = f"run_{uuid.uuid4().hex[:12]}"
        try:
            started = time.perf_counter()
            summary = await preprocess_run(conn, sources, schema, run_type, quiet)
            seconds = time.perf_counter() - started
            await drop_run_schema(conn, schema)
        finally:
            await conn.close()
        return {"seconds": round(seconds, 2), "summary": summary}

    result = asyncio.run(main())
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def in_fresh_process(*args: str) -> dict:
    """Run `one_run` in a new interpreter."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(one_run, *args).result()


async def create_database() -> str:
    """A throwaway database with PostGIS."""
    name = f"bench_preprocess_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    await admin.close()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE EXTENSION postgis")
    await conn.close()
    return url


async def drop_database(url: str) -> None:
    """Drop the throwaway database."""
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await admin.close()


def run(args: argparse.Namespace) -> dict:
    """Generate (unless --data), then a complete run and an atlas_cached run."""
    with tempfile.TemporaryDirectory(prefix="stopsync-prep-") as tmp:
        data = args.data or Path(tmp) / "data"
        gen_seconds = None if args.data else generate(data, args.scale, args.seed, args.gtfs_trips)
        sizes = {p.name: p.stat().st_size for p in Path(data).iterdir() if p.is_file()}
        db_url = asyncio.run(create_database())
        try:
            cache = str(Path(tmp) / "cache")
            complete = in_fresh_process(db_url, str(data), cache, "complete")
            cached = in_fresh_process(db_url, str(data), cache, "atlas_cached")
        finally:
            asyncio.run(drop_database(db_url))
    return {
        "benchmark": "preprocess",
        "scale": args.scale,
        "seed": args.seed,
        "gtfs_trips": args.gtfs_trips,
        "data": str(args.data) if args.data else None,
        "generate_seconds": gen_seconds,
        "bytes": sizes,
        "complete": complete,
        "atlas_cached": cached,
        "targets": {"complete_seconds": 60, "complete_peak_rss_mb": 1536, "atlas_cached_seconds": 5},
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print and store the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gtfs-trips", type=int, default=None, dest="gtfs_trips")
    parser.add_argument("--data", type=Path, default=None, help="use these files, do not generate")
    parser.add_argument("--results", type=Path, default=PREPROCESS_JSON, help="where to store the JSON")
    args = parser.parse_args(argv)
    emit(run(args), args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
