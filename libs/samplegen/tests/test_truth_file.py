"""truth.jsonl: every kept ATLAS stop, with the OSM elements that truly stand for it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import polars as pl


def _osm_ids(path) -> dict[str, dict[str, str]]:
    """osm_id ("123" or "way_123") -> tags."""
    out = {}
    for el in ET.parse(path).getroot():
        if el.tag in ("node", "way"):
            key = el.get("id") if el.tag == "node" else f"way_{el.get('id')}"
            out[key] = {t.get("k"): t.get("v") for t in el.findall("tag")}
    return out


def test_truth_references_existing_candidates(region):
    osm = _osm_ids(region[0] / "osm.osm")
    node_uic = {t["uic_ref"] for k, t in osm.items() if "uic_ref" in t and not k.startswith("way_")}
    truth = pl.read_ndjson(region[0] / "truth.jsonl")
    ids = truth["osm_ids"].explode().drop_nulls()
    assert ids.len() > 0
    for osm_id in ids:
        tags = osm[osm_id]
        assert tags.get("public_transport") != "station"  # stations are never candidates
        assert any(k in tags for k in ("public_transport", "highway", "amenity", "aerialway"))
        if osm_id.startswith("way_"):  # candidate ways: aerialway stations, or an unshared uic_ref
            assert tags.get("aerialway") == "station" or tags.get("uic_ref") not in node_uic | {None}


def test_truth_covers_kept_rows_only_and_all_of_them(region, atlas):
    truth = pl.read_ndjson(region[0] / "truth.jsonl")
    assert truth["sloid"].is_unique().all()
    assert truth.height == region[1]["atlas_kept"]
    live = atlas.filter(
        (pl.col("validTo") == "9999-12-31")
        & (pl.col("uicCountryCode") == "85")
        & (pl.col("trafficPointElementType") == "BOARDING_PLATFORM")
    )
    assert truth["sloid"].is_in(live["sloid"].implode()).all()


def test_truth_has_one_sided_stops_pairs_and_shared_stop_positions(region):
    truth = pl.read_ndjson(region[0] / "truth.jsonl")
    sizes = truth["osm_ids"].list.len()
    assert (sizes == 0).sum() > 0  # stops only the registry has
    assert (sizes >= 2).sum() > 0  # platform + stop_position pairs, duplicates
    shared = Counter(truth["osm_ids"].explode().drop_nulls().to_list())
    assert max(shared.values()) >= 2  # a trio's stop_position serves both platforms
    assert 0.9 < (sizes > 0).mean() < 0.99
