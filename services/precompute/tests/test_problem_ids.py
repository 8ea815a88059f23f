"""Stable problem ids, output shape, summary, and a run at scale."""

import hashlib

import numpy as np
import polars as pl

from precompute.problems import PROBLEM_SCHEMA, PROBLEM_TYPES, problems_summary
from precompute.tests.frames import (
    ATLAS_SCHEMA,
    LAT0,
    LON0,
    OSM_SCHEMA,
    atlas,
    detect,
    matches,
    osm,
    unmatched,
)


def _scenario():
    a = atlas(
        {"sloid": "s1", "operator": "BLS"},
        {"sloid": "s2", "uic": 8500002},
        {"sloid": "s3", "duplicate_group": 1},
        {"sloid": "s4", "duplicate_group": 1},
    )
    o = osm(
        {"osm_id": "1", "uic_ref": "8500009", "operator": "SBB"},
        {"osm_id": "2", "uic_ref": "8500003", "local_ref": "1"},
        {"osm_id": "3", "uic_ref": "8500003", "local_ref": "1"},
    )
    m = matches(
        {
            "sloid": "s1",
            "osm_id": "1",
            "distance_m": 50.0,
            "evidence": {"route_contradiction": True},
        }
    )
    u = unmatched({"side": "atlas", "id": "s2"}, {"side": "osm", "id": "2"})
    return a, o, m, u


def test_ids_are_stable_and_independent_of_row_order():
    a, o, m, u = _scenario()
    first = detect(a, o, m, u)
    again = detect(a, o, m, u)
    shuffled = detect(a.reverse(), o.sample(fraction=1.0, shuffle=True, seed=3), m, u.reverse())
    assert first.equals(again) and first.equals(shuffled)
    assert first["problem_id"].n_unique() == first.height
    assert set(first["problem_type"]) == {
        "distance",
        "attributes",
        "contradicts_route_matching",
        "unmatched",
        "duplicates",
    }


def test_id_is_sha1_of_type_and_entities_not_priority():
    a, o, m, u = _scenario()
    dist = detect(a, o, m, u).filter(pl.col("problem_type") == "distance")
    assert dist["problem_id"].item() == hashlib.sha1(b"distance|s1|1").hexdigest()
    farther = detect(a, o, m.with_columns(pl.lit(90.0).alias("distance_m")), u)
    moved = farther.filter(pl.col("problem_type") == "distance")
    assert moved["priority"].item() == 1 and moved["problem_id"].item() == dist["problem_id"].item()


def test_output_schema_and_empty_inputs():
    empty = detect()
    assert empty.schema == pl.Schema(PROBLEM_SCHEMA) and empty.is_empty()
    assert detect(*_scenario()).schema == pl.Schema(PROBLEM_SCHEMA)


def test_summary_counts_by_type_and_priority():
    problems = detect(*_scenario())
    summary = problems_summary(problems)
    assert summary["total"] == problems.height
    assert set(summary["by_type"]) == set(PROBLEM_TYPES)
    assert sum(summary["by_priority"].values()) == problems.height
    for ptype, n in summary["by_type"].items():
        assert sum(summary["by_type_priority"][ptype].values()) == n
    assert summary["by_type"]["duplicates"] == 4  # two OSM, two official
    assert summary["by_type_priority"]["distance"] == {"1": 0, "2": 1, "3": 0}
    assert problems_summary(detect())["total"] == 0


def _synthetic(n: int, seed: int = 1):
    """n official stops and n OSM elements scattered over a Swiss-sized box, half matched."""
    rng = np.random.default_rng(seed)
    lon, lat = LON0 + rng.uniform(-1.5, 1.5, n), LAT0 + rng.uniform(-0.7, 0.7, n)
    uic = 8500000 + rng.integers(0, n // 3, n)
    ids = [f"s{i}" for i in range(n)]
    oids = [str(i) for i in range(n)]
    a = pl.DataFrame(
        {
            "sloid": ids,
            "uic": uic,
            "designation": (np.arange(n) % 4).astype(str),
            "designation_official": [f"Halt {u}" for u in uic],
            "lon": lon,
            "lat": lat,
            "operator": np.where(np.arange(n) % 5 == 0, "SBB", "PAG"),
            "duplicate_group": np.arange(n) % 7,
        },
    ).with_columns(
        pl.when(pl.int_range(n) % 50 == 0).then(pl.col("duplicate_group")).alias("duplicate_group")
    )
    a = a.select(
        [pl.col(c) if c in a.columns else pl.lit(None, t).alias(c) for c, t in ATLAS_SCHEMA.items()]
    ).cast(ATLAS_SCHEMA)
    o = pl.DataFrame(
        {
            "osm_id": oids,
            "lon": lon + rng.normal(0, 3e-4, n),
            "lat": lat + rng.normal(0, 3e-4, n),
            "uic_ref": uic.astype(str),
            "local_ref": (np.arange(n) % 5).astype(str),
            "kind": np.where(np.arange(n) % 2 == 0, "platform", "stop_position"),
        }
    )
    o = o.select(
        [pl.col(c) if c in o.columns else pl.lit(None, t).alias(c) for c, t in OSM_SCHEMA.items()]
    ).cast(OSM_SCHEMA)
    half = n // 2
    m = pl.DataFrame(
        {
            "sloid": ids[:half],
            "osm_id": oids[:half],
            "match_type": ["exact"] * half,
            "distance_m": rng.uniform(0, 120, half),
            "confidence": [1.0] * half,
            "evidence": ["{}"] * half,
        }
    )
    u = pl.DataFrame(
        {
            "side": ["atlas"] * (n - half) + ["osm"] * (n - half),
            "id": ids[half:] + oids[half:],
            "isolated": [False] * (2 * (n - half)),
        }
    )
    un = pl.DataFrame({"osm_id": oids, "unit_id": np.arange(n), "unit_kind": ["single"] * n})
    return a, o, m, u, un


def test_fifty_thousand_rows_run_and_cover_every_stop_rule():
    a, o, m, u, un = _synthetic(50_000)
    problems = detect(a, o, m, u, un)
    summary = problems_summary(problems)
    assert summary["by_type"]["unmatched"] == 50_000
    assert summary["by_type"]["distance"] == m.filter(pl.col("distance_m") > 15).height
    for ptype in ("attributes", "duplicates"):
        assert summary["by_type"][ptype] > 0
    assert problems["problem_id"].n_unique() == problems.height
