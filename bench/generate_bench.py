"""Time `samplegen.generate` at scale 1.0; print JSON and write bench/results/generate.json.

Usage: .venv/bin/python bench/generate_bench.py [--scale 1.0] [--seed 1] [--gtfs-trips N]
       [--results bench/results/generate.json]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from report import RESULTS, emit
from samplegen import generate

GENERATE_JSON = RESULTS / "generate.json"


def run(scale: float, seed: int, gtfs_trips: int | None) -> dict:
    """Generate once into a temp folder; returns timing, peak RSS, file sizes and counts."""
    with tempfile.TemporaryDirectory(prefix="stopsync-gen-") as tmp:
        started = time.perf_counter()
        counts = generate(scale, seed, Path(tmp), gtfs_trips)
        seconds = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in Path(tmp).iterdir()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {
        "benchmark": "generate",
        "scale": scale,
        "seed": seed,
        "gtfs_trips": gtfs_trips,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "bytes": sizes,
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print and store the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gtfs-trips", type=int, default=None, dest="gtfs_trips")
    parser.add_argument("--results", type=Path, default=GENERATE_JSON, help="where to store the JSON")
    args = parser.parse_args(argv)
    result = run(args.scale, args.seed, args.gtfs_trips)
    emit(result, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
