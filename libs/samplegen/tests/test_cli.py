"""The `stopsync generate` arguments and entry point."""

from __future__ import annotations

import argparse
import json

from samplegen import cli


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_main_writes_the_files_and_prints_counts(tmp_path, capsys):
    args = _parse("--scale", "0.004", "--seed", "3", "--out", str(tmp_path / "r"), "--gtfs-trips", "200")
    assert cli.main(args) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["gtfs_trips"] == 200 and counts["atlas_kept"] > 0
    assert {p.name for p in (tmp_path / "r").iterdir()} == {"atlas.csv", "osm.osm", "gtfs.zip", "truth.jsonl"}


def test_bad_scale_is_refused(tmp_path, capsys):
    assert cli.main(_parse("--scale", "0", "--out", str(tmp_path))) == 2
    assert "--scale" in capsys.readouterr().err


def test_defaults():
    args = _parse("--out", "x")
    assert args.seed == 1 and args.gtfs_trips is None and args.scale > 0
