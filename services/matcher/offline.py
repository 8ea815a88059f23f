"""The offline `stopsync match`: files in, matches, unmatched, problems and a summary out."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import orjson
import polars as pl

from matcher.engine import MatchResult, match
from matcher.official import gtfs_official_stops
from matcher.output import match_lines, write_json, write_jsonl
from matcher.profiles import PROFILES, get_profile


def load_inputs(atlas: Path, osm: Path, gtfs: Path | None, profile: str = "swiss") -> dict:
    """Parse the sources with the preprocess readers (generic: official stops from GTFS)."""
    from preprocess.osm import read_osm

    if get_profile(profile).official_source == "gtfs":
        official = gtfs_official_stops(atlas)
    else:
        from preprocess.atlas import read_atlas

        official = read_atlas(atlas).stops
    osm_res = read_osm(osm)
    frames = {
        "atlas_stops": official,
        "osm_elements": osm_res.elements,
        "osm_routes": osm_res.routes,
        "osm_route_stops": osm_res.route_stops,
        "gtfs": None,
    }
    if gtfs is not None:
        from preprocess.gtfs import read_gtfs

        frames["gtfs"] = read_gtfs(gtfs, official)
    return frames


def find_problems(inputs: dict, result: MatchResult) -> pl.DataFrame | None:
    """Problems from precompute when that module is present, else None."""
    try:
        problems = importlib.import_module("precompute.problems")
    except ImportError:
        return None
    detect = getattr(problems, "detect_problems", None)
    if detect is None:
        return None
    from precompute.route_inputs import route_pairs

    gtfs = inputs.get("gtfs")
    itineraries = getattr(gtfs, "itineraries", None)
    gtfs_frames = (
        {"routes": gtfs.routes, "itineraries": gtfs.itineraries, "itinerary_stops": gtfs.itinerary_stops}
        if gtfs is not None and hasattr(gtfs, "itinerary_stops")
        else None
    )
    return detect(
        inputs["atlas_stops"],
        inputs["osm_elements"],
        result.matches,
        result.unmatched,
        result.osm_units,
        route_matches=route_pairs(result.route_matches, inputs.get("osm_routes"), itineraries),
        osm_routes=inputs.get("osm_routes"),
        osm_route_stops=inputs.get("osm_route_stops"),
        gtfs=gtfs_frames,
    )


def write_problems(problems: pl.DataFrame, path: Path) -> None:
    """problems.jsonl: one problem per line, sorted by id, `details` as a JSON object."""
    with path.open("wb") as fh:
        for row in problems.sort("problem_id").to_dicts():
            row["details"] = orjson.loads(row["details"])
            fh.write(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n")


def summarize(result: MatchResult, profile: str, problems: pl.DataFrame | None) -> dict:
    """Counts per match type, sides matched and unmatched, and stage timings."""
    um = result.unmatched
    summary = {
        "profile": profile,
        "pairs": len(result.matches),
        "matched_sloids": result.matches["sloid"].n_unique(),
        "matched_osm": result.matches["osm_id"].n_unique(),
        "match_types": result.counts(),
        "unmatched": {side: int((um["side"] == side).sum()) for side in ("atlas", "osm")},
        "isolated": {side: int((um["isolated"] & (um["side"] == side)).sum()) for side in ("atlas", "osm")},
        "timings_s": result.stage_timings,
    }
    if result.route_matches is not None:
        levels = result.route_matches.group_by("level").len().sort("level").iter_rows()
        summary["route_matches"] = {k: int(v) for k, v in levels}
    if problems is not None:
        summary["problems"] = len(problems)
    return summary


def run(atlas: Path, osm: Path, gtfs: Path | None, profile: str, out: Path) -> dict:
    """Match files and write matches.jsonl, unmatched.jsonl, problems.jsonl and summary.json."""
    inputs = load_inputs(atlas, osm, gtfs, profile)
    result = match(
        inputs["atlas_stops"],
        inputs["osm_elements"],
        gtfs=inputs["gtfs"],
        osm_routes=inputs["osm_routes"],
        osm_route_stops=inputs["osm_route_stops"],
        profile=profile,
    )
    problems = find_problems(inputs, result)
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(match_lines(result.matches), out / "matches.jsonl", ["sloid", "osm_node_id"])
    write_jsonl(result.unmatched, out / "unmatched.jsonl", ["side", "id"])
    if problems is not None:
        write_problems(problems, out / "problems.jsonl")
    if result.route_matches is not None:
        write_jsonl(
            result.route_matches,
            out / "route_matches.jsonl",
            ["level", "osm_relation_id", "gtfs_route_id", "gtfs_itinerary_id"],
        )
    summary = summarize(result, profile, problems)
    write_json(summary, out / "summary.json")
    return summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `stopsync match` options."""
    parser.add_argument(
        "--atlas",
        type=Path,
        required=True,
        help="official stops: ATLAS CSV (swiss) or GTFS zip / stops.txt (generic)",
    )
    parser.add_argument("--osm", type=Path, required=True, help="OSM XML or PBF extract")
    parser.add_argument("--gtfs", type=Path, default=None, help="GTFS zip (enables routes)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="swiss")
    parser.add_argument("--out", type=Path, required=True, help="output directory")


def main(args: argparse.Namespace) -> int:
    """Run the offline match and print the summary's counts."""
    summary = run(args.atlas, args.osm, args.gtfs, args.profile, args.out)
    print(
        f"matched {summary['matched_sloids']} stops in {summary['pairs']} pairs; "
        f"types {summary['match_types']}; written to {args.out}"
    )
    return 0


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="stopsync match")
    add_arguments(cli)
    raise SystemExit(main(cli.parse_args()))
