"""Stop and route matching time and peak RSS at generator scale 1.0, with routes.

Usage: .venv/bin/python bench/match_bench.py [--scale 1.0] [--seed 1] [--out bench/results/match.json]
Parsing is not timed: the parent generates and parses once, saves the frames as Parquet, and a
child process (so that its peak RSS is the matcher's alone) loads them and times the matching.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from report import emit

FRAMES = ("atlas_stops", "osm_elements", "osm_routes", "osm_route_stops")
GTFS = ("stops", "routes", "itineraries", "itinerary_stops")


def prepare(scale: float, seed: int, work: Path) -> dict:
    """Generate and parse once; store every frame as Parquet; return input sizes."""
    import samplegen
    from matcher.engine import as_gtfs_frames
    from matcher.offline import load_inputs

    samplegen.generate(scale, seed, work)
    inputs = load_inputs(work / "atlas.csv", work / "osm.osm", work / "gtfs.zip")
    for name in FRAMES:
        inputs[name].write_parquet(work / f"{name}.parquet")
    for name, frame in as_gtfs_frames(inputs["gtfs"]).items():
        frame.write_parquet(work / f"gtfs_{name}.parquet")
    return {name: inputs[name].height for name in FRAMES}


def peak_rss_kb() -> int:
    """This process's own RSS high-water mark (VmHWM), in kB.

    Not ru_maxrss: Linux copies that across fork, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(work: Path) -> dict:
    """Load the frames, match stops and routes, report seconds and peak RSS."""
    from matcher.engine import match

    frames = {n: pl.read_parquet(work / f"{n}.parquet") for n in FRAMES}
    gtfs = {n: pl.read_parquet(work / f"gtfs_{n}.parquet") for n in GTFS}
    rss_before = peak_rss_kb()
    start = time.perf_counter()
    result = match(
        frames["atlas_stops"],
        frames["osm_elements"],
        gtfs=gtfs,
        osm_routes=frames["osm_routes"],
        osm_route_stops=frames["osm_route_stops"],
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
        "rss_before_match_mb": round(rss_before / 1024, 1),
        "pairs": len(result.matches),
        "matched_sloids": result.matches["sloid"].n_unique(),
        "route_matches": len(result.route_matches) if result.route_matches is not None else 0,
        "stage_timings_s": result.stage_timings,
        "match_types": result.counts(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results/match.json"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        json.dump(child(args.child), sys.stdout)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        sizes = prepare(args.scale, args.seed, Path(tmp))
        run = subprocess.run(
            [sys.executable, __file__, "--child", tmp], check=True, capture_output=True, text=True
        )
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "inputs": sizes,
        **json.loads(run.stdout),
        "targets": {"seconds": 10.0, "peak_rss_mb": 1024},
    }
    emit(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
