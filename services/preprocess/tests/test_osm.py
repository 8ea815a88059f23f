"""OSM parsing: node filters and classification, candidate ways, route relations, PBF, bad XML."""

from __future__ import annotations

import json

import osmium
import polars as pl
import pytest

from preprocess.errors import SourceError
from preprocess.osm import read_osm
from preprocess.tests.factories import osm_node, osm_relation, osm_way, write_osm

NODES = [
    osm_node(1, 8.0, 47.0, highway="bus_stop", name="Dorf", ref="2", gtfs__name="Dorf (GTFS)"),
    osm_node(2, 8.001, 47.0, public_transport="stop_position", uic_ref="8500001", bus="yes"),
    osm_node(3, 8.002, 47.0, public_transport="station", railway="station", name="Dorf Bahnhof"),
    osm_node(4, 8.003, 47.0, railway="tram_stop", local_ref="B", ref="ignored"),
    osm_node(5, 8.004, 47.0, amenity="ferry_terminal"),
    osm_node(
        6,
        8.005,
        47.0,
        public_transport="platform",
        tram="yes",
        wikidata="Q1",
        ref__sloid="ch:1:sloid:1:0:1",
        operator="VBZ",
        network="ZVV",
        uic_name="Dorf",
    ),
    osm_node(7, 8.006, 47.0, railway="halt"),
    osm_node(8, 8.007, 47.0, amenity="bench"),  # not a stop: dropped
    osm_node(9, 8.008, 47.0, aerialway="station", public_transport="station"),
    osm_node(10, 8.1, 47.1),
    osm_node(11, 8.3, 47.2),
    osm_node(12, 8.2, 47.3),
]
WAYS = [
    osm_way(100, [10, 11], aerialway="station", name="Bergstation"),
    osm_way(101, [10, 11, 12], public_transport="platform", uic_ref="8500001"),  # a node has it
    osm_way(102, [10, 11, 12], public_transport="platform", uic_ref="8500002"),
    osm_way(103, [10, 11], highway="residential"),
]
RELATIONS = [
    osm_relation(
        500,
        [
            ("node", 2, "stop"),
            ("way", 77, ""),
            ("node", 1, "platform"),
            ("way", 102, "platform_entry_only"),
            ("node", 4, "stop_exit_only"),
        ],
        type="route",
        route="bus",
        ref="31",
        name="Bus 31",
        network="ZVV",
        operator="VBZ",
        gtfs__route_id="91-31-j25-1",
        ref_trips="1.TA.91-31.H;2.R",
    ),
    osm_relation(501, [("node", 4, "stop")], type="route", route="tram", ref_trips="7.R"),
    osm_relation(502, [("node", 4, "stop")], type="route", route="train"),
    osm_relation(503, [("node", 1, "")], type="route", route="hiking"),
    osm_relation(504, [("node", 1, "")], type="route", route="bicycle"),
    osm_relation(600, [("relation", 500, ""), ("relation", 501, "")], type="route_master"),
]


@pytest.fixture
def parsed(tmp_path):
    return read_osm(write_osm(tmp_path / "osm.osm", NODES + WAYS + RELATIONS))


def test_stop_nodes_are_kept_and_classified(parsed):
    kinds = dict(zip(parsed.elements["osm_id"], parsed.elements["kind"], strict=True))
    assert kinds == {
        "1": "platform",
        "2": "stop_position",
        "3": "station",
        "4": "stop_position",
        "5": "ferry_terminal",
        "6": "platform",
        "7": "stop_position",
        "9": "station",
        "way_100": "aerialway",
        "way_102": "platform",
    }
    trams = parsed.elements.filter("is_tram")["osm_id"].to_list()
    assert sorted(trams) == ["4", "6"]


def test_kept_tags_and_ref_fallback(parsed):
    rows = {r["osm_id"]: r for r in parsed.elements.iter_rows(named=True)}
    assert rows["1"]["local_ref"] == "2" and rows["4"]["local_ref"] == "B"
    assert rows["1"]["gtfs_name"] == "Dorf (GTFS)"
    six = rows["6"]
    assert (six["ref_sloid"], six["wikidata"], six["operator"], six["network"], six["uic_name"]) == (
        "ch:1:sloid:1:0:1",
        "Q1",
        "VBZ",
        "ZVV",
        "Dorf",
    )
    assert json.loads(rows["1"]["tags"]) == {
        "highway": "bus_stop",
        "name": "Dorf",
        "ref": "2",
        "gtfs:name": "Dorf (GTFS)",
    }


def test_candidate_ways_sit_at_their_bbox_centre(parsed):
    ways = parsed.elements.filter(osm_type="way")
    assert sorted(ways["osm_id"]) == ["way_100", "way_102"]  # way_101's uic_ref is on node 2
    centre = ways.filter(osm_id="way_102").row(0, named=True)
    assert centre["lon"] == pytest.approx(8.2) and centre["lat"] == pytest.approx(47.2)


def test_routes_keep_public_transport_with_direction_and_master(parsed):
    routes = {r["relation_id"]: r for r in parsed.routes.iter_rows(named=True)}
    assert sorted(routes) == [500, 501, 502]
    assert routes[500]["direction"] == "H" and routes[501]["direction"] == "R"
    assert routes[502]["direction"] is None
    assert routes[500]["route_master_id"] == 600 and routes[502]["route_master_id"] is None
    assert (routes[500]["mode"], routes[500]["ref"], routes[500]["gtfs_route_id"]) == (
        "bus",
        "31",
        "91-31-j25-1",
    )


def test_route_stops_are_ordered_stop_and_platform_members(parsed):
    stops = parsed.route_stops.filter(relation_id=500)
    assert stops["osm_id"].to_list() == ["2", "1", "way_102", "4"]
    assert stops["seq"].to_list() == [1, 2, 3, 4]
    assert stops["role"].to_list() == ["stop", "platform", "platform_entry_only", "stop_exit_only"]


def test_overpass_out_center_is_refused_with_a_hint(tmp_path):
    way = '<way id="7"><center lat="46.5" lon="7.5"/><nd ref="99"/><tag k="aerialway" v="station"/></way>'
    with pytest.raises(SourceError, match=r"out body; >; out skel qt;"):
        read_osm(write_osm(tmp_path / "c.osm", [way]))


def test_pbf_gives_the_same_frames(tmp_path):
    path = tmp_path / "stops.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for node in parsed_nodes():
            writer.add_node(node)
        writer.add_way(
            osmium.osm.mutable.Way(
                id=102, nodes=[10, 11, 12], tags={"public_transport": "platform", "uic_ref": "8500002"}
            )
        )
        writer.add_relation(
            osmium.osm.mutable.Relation(
                id=500,
                members=[("n", 2, "stop"), ("w", 102, "platform")],
                tags={"type": "route", "route": "bus", "ref_trips": "5.R"},
            )
        )
    result = read_osm(path)
    kinds = dict(zip(result.elements["osm_id"], result.elements["kind"], strict=True))
    assert kinds == {"2": "stop_position", "3": "station", "way_102": "platform"}
    centre = result.elements.filter(osm_id="way_102").row(0, named=True)
    assert centre["lon"] == pytest.approx(8.2) and centre["lat"] == pytest.approx(47.2)
    assert result.routes["direction"].to_list() == ["R"]
    assert result.route_stops["osm_id"].to_list() == ["2", "way_102"]


def parsed_nodes() -> list:
    """Nodes for the PBF test: two stops and the way's three untagged nodes."""
    mutable = osmium.osm.mutable.Node
    return [
        mutable(id=2, location=(8.001, 47.0), tags={"public_transport": "stop_position"}),
        mutable(id=3, location=(8.002, 47.0), tags={"railway": "station"}),
        mutable(id=10, location=(8.1, 47.1)),
        mutable(id=11, location=(8.3, 47.2)),
        mutable(id=12, location=(8.2, 47.3)),
    ]


def test_truncated_xml_names_a_byte_offset(tmp_path):
    whole = write_osm(tmp_path / "whole.osm", NODES + WAYS).read_bytes()
    cut = tmp_path / "cut.osm"
    cut.write_bytes(whole[:700])
    with pytest.raises(SourceError) as caught:
        read_osm(cut)
    error = caught.value
    assert error.source == "osm" and error.unit == "byte" and "malformed XML" in error.reason
    assert 600 <= error.location <= 700
    assert f"byte {error.location}:" in str(error)


def test_empty_and_missing_files_are_source_errors(tmp_path):
    empty = tmp_path / "empty.osm"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty file"):
        read_osm(empty)
    with pytest.raises(SourceError, match="file not found"):
        read_osm(tmp_path / "nope.osm")


def test_truncated_pbf_is_a_source_error(tmp_path):
    path = tmp_path / "full.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for node in parsed_nodes():
            writer.add_node(node)
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(SourceError, match="PBF"):
        read_osm(cut)


def test_format_comes_from_the_bytes_not_the_name(tmp_path):
    xml = write_osm(tmp_path / "interpreter", NODES[:2])
    assert read_osm(xml).elements.height == 2
    pbf = tmp_path / "download.bin"
    with osmium.SimpleWriter(str(tmp_path / "x.osm.pbf")) as writer:
        writer.add_node(parsed_nodes()[0])
    pbf.write_bytes((tmp_path / "x.osm.pbf").read_bytes())
    assert read_osm(pbf).elements["osm_id"].to_list() == ["2"]


def test_special_characters_survive_in_columns_and_json(tmp_path):
    name = 'Zürich, "Bahnhof" = 50% @ Gleis\\1'
    nodes = [osm_node(1, 8.0, 47.0, highway="bus_stop", name=name, gtfs__stop_id="a,b=c")]
    relation = osm_relation(9, [("node", 1, "platform")], type="route", route="bus", name=name)
    result = read_osm(write_osm(tmp_path / "s.osm", nodes + [relation]))
    row = result.elements.row(0, named=True)
    assert row["name"] == name and row["gtfs_id"] == "a,b=c"
    assert json.loads(row["tags"]) == {"highway": "bus_stop", "name": name, "gtfs:stop_id": "a,b=c"}
    assert result.routes["name"].to_list() == [name]


def test_a_file_without_any_stop_gives_empty_frames(tmp_path):
    result = read_osm(write_osm(tmp_path / "none.osm", [osm_node(1, 8.0, 47.0)]))
    assert result.elements.height == result.routes.height == result.route_stops.height == 0
    assert result.elements.columns[:5] == ["osm_id", "osm_type", "lon", "lat", "kind"]
    assert result.routes.schema["route_master_id"] == pl.Int64
    assert result.route_stops.schema == pl.Schema(
        {"relation_id": pl.Int64, "seq": pl.Int32, "osm_id": pl.String, "role": pl.String}
    )
