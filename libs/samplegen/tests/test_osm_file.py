"""osm.osm: well-formed OSM XML 0.6 with stop elements, outlines and route relations."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest


@pytest.fixture(scope="module")
def doc(region):
    return ET.parse(region[0] / "osm.osm").getroot()


def _tags(el) -> dict[str, str]:
    return {t.get("k"): t.get("v") for t in el.findall("tag")}


def test_root_and_element_order(doc):
    assert doc.tag == "osm" and doc.get("version") == "0.6"
    kinds = [el.tag for el in doc]
    order = {"node": 0, "way": 1, "relation": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    for kind in order:
        ids = [int(el.get("id")) for el in doc.findall(kind)]
        assert ids == sorted(ids) and len(ids) == len(set(ids)) and ids


def test_stop_kinds_and_tags_are_all_there(doc):
    tags = [_tags(n) for n in doc.findall("node")]
    pt = {t.get("public_transport") for t in tags}
    assert {"platform", "stop_position", "station"} <= pt
    assert any(t.get("highway") == "bus_stop" for t in tags)
    assert any(t.get("railway") in ("station", "halt") for t in tags)
    for key in ("name", "uic_ref", "uic_name", "local_ref", "ref", "operator", "ref:sloid"):
        assert any(key in t for t in tags), key


def test_ways_are_closed_and_reference_existing_nodes(doc):
    nodes = {n.get("id") for n in doc.findall("node")}
    for way in doc.findall("way"):
        refs = [nd.get("ref") for nd in way.findall("nd")]
        assert refs[0] == refs[-1] and len(refs) == 5
        assert set(refs) <= nodes


def test_route_relations_members_and_masters(doc):
    elements = {(el.tag, el.get("id")) for el in doc}
    routes, masters, hiking = [], [], []
    for rel in doc.findall("relation"):
        t = _tags(rel)
        for m in rel.findall("member"):
            assert (m.get("type"), m.get("ref")) in elements
        if t.get("type") == "route_master":
            masters.append(rel)
        elif t.get("route") == "hiking":
            hiking.append(rel)
        else:
            routes.append(t)
            assert t["route"] in {"bus", "tram", "train", "ferry", "aerialway"}
            if "ref_trips" in t:
                assert t["ref_trips"].endswith((".H", ".R"))
            if "gtfs:route_id" in t:
                assert t["gtfs:route_id"].split("-")[-2] in {"j24", "j25"}
    assert routes and masters and hiking
    route_ids = {r.get("id") for r in doc.findall("relation") if _tags(r).get("type") == "route"}
    for master in masters:
        assert {m.get("ref") for m in master.findall("member")} <= route_ids
