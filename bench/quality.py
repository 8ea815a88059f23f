"""Matching quality on generator data: precision and recall per match type against truth.jsonl.

Usage: .venv/bin/python bench/quality.py [--scale 0.2] [--seeds 1 2 3] [--out bench/results/quality.json]
Also measures the normalized-name stage: the same runs without it, to show it costs no precision.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import orjson
import polars as pl
from matcher.engine import match
from matcher.offline import load_inputs
from matcher.profiles import get_profile
from report import emit


def truth_pairs(path: Path) -> pl.DataFrame:
    """(sloid, osm_id) of every true pair; sloids with an empty list have no counterpart."""
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return pl.DataFrame(
        [{"sloid": r["sloid"], "osm_id": o} for r in rows for o in r["osm_ids"]],
        schema={"sloid": pl.String, "osm_id": pl.String},
    )


def score(matches: pl.DataFrame, truth: pl.DataFrame) -> dict:
    """Per match type and overall: predicted pairs, true pairs, precision; overall recall."""
    marked = matches.join(
        truth.with_columns(ok=pl.lit(True)), on=["sloid", "osm_id"], how="left"
    ).with_columns(ok=pl.col("ok").fill_null(False))
    per_type = {
        t: {"pairs": len(g), "true": int(g["ok"].sum()), "precision": round(float(g["ok"].mean()), 5)}
        for (t,), g in marked.sort("match_type").group_by("match_type", maintain_order=True)
    }
    wanted = truth["sloid"].unique()
    found = marked.filter(pl.col("ok"))["sloid"].unique()
    recall_by_type = (
        marked.filter(pl.col("ok")).group_by("match_type").agg(pl.col("sloid").n_unique()).iter_rows()
    )
    for t, n in recall_by_type:
        per_type[t]["sloids_found"] = int(n)
    return {
        "per_type": per_type,
        "pairs": len(marked),
        "true_pairs": int(marked["ok"].sum()),
        "precision": round(float(marked["ok"].mean()), 5) if len(marked) else 1.0,
        "sloids_with_truth": len(wanted),
        "recall": round(len(found) / len(wanted), 5) if len(wanted) else 1.0,
    }


def evaluate(seed: int, scale: float, profile: str, stages_off: list[tuple[str, ...]]) -> dict:
    """Generate, parse, match (with and without the given stages) and score one seed."""
    import samplegen

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        samplegen.generate(scale, seed, out)
        inputs = load_inputs(out / "atlas.csv", out / "osm.osm", out / "gtfs.zip")
        truth = truth_pairs(out / "truth.jsonl")
    results = {}
    for off in [(), *stages_off]:
        prof = get_profile(profile)
        for stage in off:
            prof = prof.without(stage)
        result = match(
            inputs["atlas_stops"],
            inputs["osm_elements"],
            gtfs=inputs["gtfs"],
            osm_routes=inputs["osm_routes"],
            osm_route_stops=inputs["osm_route_stops"],
            profile=prof,
        )
        results["default" if not off else "without_" + "+".join(off)] = score(result.matches, truth)
    return results


def overall(per_seed: dict) -> dict:
    """Pooled precision and recall per variant over all seeds."""
    pooled: dict[str, dict] = {}
    for runs in per_seed.values():
        for variant, r in runs.items():
            acc = pooled.setdefault(variant, {"pairs": 0, "true_pairs": 0, "sloids": 0, "found": 0})
            acc["pairs"] += r["pairs"]
            acc["true_pairs"] += r["true_pairs"]
            acc["sloids"] += r["sloids_with_truth"]
            acc["found"] += round(r["recall"] * r["sloids_with_truth"])
    return {
        v: {
            "precision": round(a["true_pairs"] / max(a["pairs"], 1), 5),
            "recall": round(a["found"] / max(a["sloids"], 1), 5),
        }
        for v, a in pooled.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--profile", default="swiss")
    parser.add_argument("--out", type=Path, default=Path("bench/results/quality.json"))
    args = parser.parse_args()
    off = [("normalized_name",)]
    per_seed = {str(s): evaluate(s, args.scale, args.profile, off) for s in args.seeds}
    report = {
        "scale": args.scale,
        "seeds": args.seeds,
        "profile": args.profile,
        "overall": overall(per_seed),
        "per_seed": per_seed,
        "targets": {"precision": 0.995, "recall": 0.97},
    }
    emit(report, args.out)
    json.dump(report["overall"], sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
