"""The truth is geometrically sound: a naive nearest-platform matcher already agrees with it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

_CANDIDATE = {
    ("public_transport", "platform"),
    ("public_transport", "stop_position"),
    ("highway", "bus_stop"),
    ("amenity", "ferry_terminal"),
    ("aerialway", "station"),
}


def _candidates(path) -> list[tuple[str, float, float]]:
    """Candidate nodes (osm_id, lat, lon); stations and outline nodes left out."""
    out = []
    for el in ET.parse(path).getroot().findall("node"):
        tags = {(t.get("k"), t.get("v")) for t in el.findall("tag")}
        if tags & _CANDIDATE and ("public_transport", "station") not in tags:
            out.append((el.get("id"), float(el.get("lat")), float(el.get("lon"))))
    return out


def test_nearest_registry_platform_is_mostly_the_truth(region, atlas):
    truth = pl.read_ndjson(region[0] / "truth.jsonl")
    kept = atlas.join(truth, on="sloid", how="semi").unique("sloid")
    xy = np.column_stack(
        [
            kept["wgs84East"].cast(pl.Float64).to_numpy() * 76_000,
            kept["wgs84North"].cast(pl.Float64).to_numpy() * 111_320,
        ]
    )
    cands = _candidates(region[0] / "osm.osm")
    lat = np.array([c[1] for c in cands])
    lon = np.array([c[2] for c in cands])
    dist, idx = cKDTree(xy).query(np.column_stack([lon * 76_000, lat * 111_320]))
    pairs = {(sloid, osm) for sloid, ids in truth.iter_rows() for osm in ids}
    predicted = [(kept["sloid"][int(i)], c[0]) for c, d, i in zip(cands, dist, idx, strict=True) if d < 30]
    right = sum(pair in pairs for pair in predicted)
    # no names, refs or joint assignment: a real matcher does much better than this floor
    assert right / len(predicted) > 0.97
    found = {sloid for sloid, osm in predicted if (sloid, osm) in pairs}
    assert len(found) / (truth["osm_ids"].list.len() > 0).sum() > 0.93
