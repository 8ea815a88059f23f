"""Stage cache: keyed storage, latest reuse, damage tolerance; and the run-type decision."""

from __future__ import annotations

import polars as pl

from preprocess.cache import StageCache, decide_run_type, product_hash, stage_key

UNCHANGED = {"atlas": False, "gtfs": False, "boundary": False, "osm": True}


def test_run_type_decision():
    assert decide_run_type(UNCHANGED, tables_present=True) == "atlas_cached"
    assert decide_run_type(UNCHANGED, tables_present=False) == "bootstrap"
    assert decide_run_type(UNCHANGED, tables_present=True, force=True) == "complete"
    assert decide_run_type({**UNCHANGED, "gtfs": True}, tables_present=True) == "complete"
    assert decide_run_type({**UNCHANGED, "boundary": True}, tables_present=False) == "complete"
    assert decide_run_type({"osm": False}, tables_present=True) == "complete"  # unknown: changed


def test_store_then_load_by_key(tmp_path):
    cache = StageCache(tmp_path)
    frame = pl.DataFrame(
        {"sloid": ["a", "b"], "uic": [1, None]}, schema={"sloid": pl.String, "uic": pl.Int64}
    )
    key = stage_key("hash-of-file", "2026-01-01")
    cache.store("atlas", key, {"atlas_stops": frame}, {"raw_rows": 2})
    frames, meta = cache.load("atlas", key)
    assert frames["atlas_stops"].equals(frame) and meta == {"raw_rows": 2}
    assert cache.load("atlas", stage_key("other")) is None
    assert cache.load("atlas") is not None  # the latest, whatever its key
    assert cache.load("gtfs_parsed") is None


def test_a_new_key_replaces_the_old_products(tmp_path):
    cache = StageCache(tmp_path)
    first = cache.store("atlas", "k1", {"t": pl.DataFrame({"a": [1]})}, {})
    second = cache.store("atlas", "k2", {"t": pl.DataFrame({"a": [2]})}, {})
    assert cache.load("atlas", "k1") is None
    assert cache.load("atlas", "k2")[0]["t"]["a"].to_list() == [2]
    assert product_hash(first) != product_hash(second)
    assert sorted(p.name for p in (tmp_path / "stages").iterdir()) == ["atlas"]


def test_damaged_products_are_a_miss_not_a_crash(tmp_path):
    cache = StageCache(tmp_path)
    cache.store("atlas", "k", {"t": pl.DataFrame({"a": [1]})}, {})
    (tmp_path / "stages" / "atlas" / "t.parquet").write_bytes(b"garbage")
    assert cache.load("atlas", "k") is None


def test_stage_keys_separate_their_parts():
    assert len({stage_key("a", "b"), stage_key("ab"), stage_key("a", "b", ""), stage_key()}) == 4
