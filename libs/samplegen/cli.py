"""`stopsync generate`: arguments and entry point (the stopsync CLI mounts these)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import orjson

from samplegen.pipeline import generate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the generate options to a (sub)parser."""
    parser.add_argument(
        "--scale", type=float, default=0.01, help="1.0 is Switzerland's size (about 55,000 kept ATLAS stops)"
    )
    parser.add_argument("--seed", type=int, default=1, help="same scale and seed, same bytes")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument(
        "--gtfs-trips",
        type=int,
        default=None,
        dest="gtfs_trips",
        help="total GTFS trips (about 1,550,000 give the real feed's 27 M "
        "stop_times at scale 1.0); default: a few per line",
    )


def _progress_bar():
    """A rich progress bar on a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        transient=True,
    )


def main(args: argparse.Namespace) -> int:
    """Generate the region; print the counts as JSON on stdout. Returns the exit code."""
    if args.scale <= 0 or (args.gtfs_trips is not None and args.gtfs_trips < 0):
        print("generate: --scale must be > 0 and --gtfs-trips >= 0", file=sys.stderr)
        return 2
    bar = _progress_bar()
    started = time.perf_counter()
    if bar is None:
        counts = generate(args.scale, args.seed, args.out, args.gtfs_trips)
    else:
        with bar:
            task = bar.add_task("generate", total=1)

            def report(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=max(total, 1))

            counts = generate(args.scale, args.seed, args.out, args.gtfs_trips, progress=report)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    sys.stdout.write(orjson.dumps(counts, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - convenience: python -m samplegen.cli
    _parser = argparse.ArgumentParser(prog="stopsync generate")
    add_arguments(_parser)
    raise SystemExit(main(_parser.parse_args()))
