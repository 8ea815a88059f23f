"""The offline run: file shapes, determinism (byte-identical, input-order independent), CLI."""

import argparse
import json

import orjson
import pytest

from matcher import offline
from matcher.engine import match
from matcher.tests.factory import atlas_frame, element, osm_frame, stop

UIC = 8504001


def scene() -> dict:
    """A little of everything: exact, pair, duplicates, nearest, a way, unmatched both sides."""
    atlas = atlas_frame(
        stop(UIC, 0, 0, "A", sloid="ch:1:sloid:4001:1"),
        stop(UIC, 40, 0, "B", sloid="ch:1:sloid:4001:2"),
        stop(UIC, 40, 1, "B", sloid="ch:1:sloid:4001:3"),
        stop(8504002, 700, 0, sloid="ch:1:sloid:4002:1", name="Dorf, Schule"),
        stop(8504003, 3000, 0, sloid="ch:1:sloid:4003:1"),
    )
    osm = osm_frame(
        element("platform", 0, 3, "101", uic_ref=str(UIC), local_ref="A"),
        element("stop_position", 0, 8, "102", uic_ref=str(UIC)),
        element("platform", 40, 3, "way_103", uic_ref=str(UIC), local_ref="B"),
        element("platform", 706, 2, "104", name="Schule"),
        element("platform", 1500, 0, "105"),
        element("station", 0, 20, "106"),
    )
    return {
        "atlas_stops": atlas,
        "osm_elements": osm,
        "osm_routes": None,
        "osm_route_stops": None,
        "gtfs": None,
    }


def run_to(tmp, inputs, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setattr(offline, "load_inputs", lambda *a: inputs)
    offline.run(tmp / "a.csv", tmp / "b.osm", None, "swiss", tmp)
    return {p.name: p.read_bytes() for p in sorted(tmp.iterdir())}


def shuffled(inputs: dict, seed: int) -> dict:
    out = dict(inputs)
    for key in ("atlas_stops", "osm_elements"):
        out[key] = inputs[key].sample(fraction=1.0, shuffle=True, seed=seed)
    return out


def test_output_is_byte_identical_whatever_the_input_row_order(tmp_path, monkeypatch):
    first = run_to(tmp_path / "1", scene(), monkeypatch)
    second = run_to(tmp_path / "2", shuffled(scene(), 7), monkeypatch)
    for name in ("matches.jsonl", "unmatched.jsonl", "problems.jsonl"):
        assert first[name] == second[name], name
    # summary.json carries wall-clock timings; everything else in it is identical too.
    strip = [json.loads(files["summary.json"]) for files in (first, second)]
    for s in strip:
        assert set(s.pop("timings_s")) >= {"grouping", "exact", "nearest"}
    assert strip[0] == strip[1]


def test_file_shapes(tmp_path, monkeypatch):
    files = run_to(tmp_path, scene(), monkeypatch)
    lines = [orjson.loads(x) for x in files["matches.jsonl"].splitlines()]
    assert list(lines[0]) == ["sloid", "osm_node_id", "match_type", "distance_m", "confidence"]
    by_pair = {(r["sloid"], r["osm_node_id"]): r["match_type"] for r in lines}
    assert by_pair[("ch:1:sloid:4001:2", "way_103")] == "exact"
    assert by_pair[("ch:1:sloid:4001:3", "way_103")] == "exact"  # propagated duplicate
    unmatched = [orjson.loads(x) for x in files["unmatched.jsonl"].splitlines()]
    assert {"side": "atlas", "id": "ch:1:sloid:4003:1", "isolated": True} in unmatched
    assert {"side": "osm", "id": "105", "isolated": True} in unmatched
    assert all(u["id"] != "106" for u in unmatched)  # stations are not stops
    summary = json.loads(files["summary.json"])
    assert summary["match_types"]["exact"] == sum(t == "exact" for t in by_pair.values())
    assert summary["unmatched"] == {"atlas": 1, "osm": 1}


def test_engine_frames_do_not_depend_on_row_order():
    a, b = scene(), shuffled(scene(), 3)
    left = match(a["atlas_stops"], a["osm_elements"])
    right = match(b["atlas_stops"], b["osm_elements"])
    assert left.matches.equals(right.matches)
    assert left.osm_units.equals(right.osm_units)


def test_cli_arguments():
    parser = argparse.ArgumentParser()
    offline.add_arguments(parser)
    args = parser.parse_args(["--atlas", "a.csv", "--osm", "o.pbf", "--out", "d"])
    assert (args.profile, args.gtfs) == ("swiss", None)
    with pytest.raises(SystemExit):
        parser.parse_args(["--atlas", "a", "--osm", "o", "--out", "d", "--profile", "mars"])
