"""Streaming OSM readers feeding one sink: libosmium for XML and PBF, ElementTree as a fallback."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Protocol

import osmium

from preprocess import osm_tags
from preprocess.errors import SourceError

MEMBER_TYPES = {"n": "node", "w": "way", "r": "relation"}
# Keys that can make an object interesting; the rest never reaches Python (osmium filters in C++).
FILTER_KEYS = ("public_transport", "railway", "highway", "amenity", "aerialway", "uic_ref", "type")
XML_ERROR = re.compile(r"line (\d+), column (\d+)")


class Sink(Protocol):
    """Receives the parsed objects, in file order."""

    def node(self, osm_id: int, lon: float, lat: float, tags: dict[str, str]) -> None: ...
    def way(
        self, osm_id: int, refs: list[int], tags: dict[str, str], centre: tuple[float, float] | None
    ) -> None: ...
    def relation(self, osm_id: int, members: list[tuple[str, int, str]], tags: dict[str, str]) -> None: ...


class OverpassExtension(Exception):
    """The XML uses an Overpass extension (`<center>` in ways) that libosmium rejects."""


def is_pbf(path: Path) -> bool:
    """PBF by name or by its header blob; everything else is read as XML."""
    if path.name.endswith(".pbf"):
        return True
    with path.open("rb") as fh:
        return b"OSMHeader" in fh.read(32)


def read_with_osmium(path: Path, sink: Sink) -> None:
    """Read XML or PBF with libosmium (C++: several times faster than ElementTree)."""
    if path.stat().st_size == 0:
        raise SourceError("osm", str(path), "empty file")
    try:
        processor = (
            # The format comes from the bytes, not the name: downloads have arbitrary names.
            osmium.FileProcessor(osmium.io.File(str(path), "pbf" if is_pbf(path) else "osm"))
            .with_locations()  # way node coordinates, for the centre of candidate ways
            .with_filter(osmium.filter.KeyFilter(*FILTER_KEYS))
        )
        for obj in processor:
            _dispatch_osmium(obj, sink)
    except RuntimeError as exc:
        raise _osmium_error(path, str(exc)) from exc


def _osmium_error(path: Path, message: str) -> Exception:
    """Turn libosmium's message into a SourceError, with a byte offset when it names a line."""
    if "Unknown element" in message and "center" in message:
        return OverpassExtension(message)
    found = XML_ERROR.search(message)
    if found:
        offset = _byte_offset(path, int(found.group(1)), int(found.group(2)))
        return SourceError("osm", str(path), f"malformed XML: {message}", offset, "byte")
    kind = "PBF" if is_pbf(path) else "XML"
    return SourceError("osm", str(path), f"unreadable {kind}: {message}")


def _dispatch_osmium(obj: object, sink: Sink) -> None:
    """Hand one osmium object to the sink; cheap tag lookups first, since iterating tags is slow."""
    tags = obj.tags  # type: ignore[attr-defined]
    if obj.is_node():  # type: ignore[attr-defined]
        if osm_tags.is_stop_node(tags) or "uic_ref" in tags:
            loc = obj.location  # type: ignore[attr-defined]
            sink.node(obj.id, loc.lon, loc.lat, dict(_pairs(tags)))  # type: ignore[attr-defined]
    elif obj.is_way():  # type: ignore[attr-defined]
        if osm_tags.is_candidate_way(tags):
            nodes = obj.nodes  # type: ignore[attr-defined]
            coords = [(n.lon, n.lat) for n in nodes if n.location.valid()]
            centre = _bbox_centre(coords) if coords else None
            sink.way(obj.id, [], dict(_pairs(tags)), centre)  # type: ignore[attr-defined]
    elif osm_tags.is_pt_route(tags) or osm_tags.is_route_master(tags):
        members = [(MEMBER_TYPES.get(m.type, m.type), m.ref, m.role) for m in obj.members]  # type: ignore[attr-defined]
        sink.relation(obj.id, members, dict(_pairs(tags)))  # type: ignore[attr-defined]


def _pairs(tags: object) -> list[tuple[str, str]]:
    """An osmium TagList as (key, value) pairs."""
    return [(t.k, t.v) for t in tags]  # type: ignore[attr-defined]


def _bbox_centre(coords: list[tuple[float, float]]) -> tuple[float, float]:
    """The bounding-box centre, as Overpass computes `center`."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def read_xml(path: Path, sink: Sink) -> None:
    """Stream OSM XML with ElementTree, clearing each element once handled (memory stays flat)."""
    try:
        context = ET.iterparse(path, events=("start", "end"))
        _, root = next(context)
        for event, elem in context:
            if event == "end" and elem.tag in ("node", "way", "relation"):
                _dispatch_element(elem, sink)
                elem.clear()
                root.clear()  # drop the cleared children the root still references
    except ET.ParseError as exc:
        line, column = exc.position
        offset = _byte_offset(path, line, column)
        raise SourceError("osm", str(path), f"malformed XML: {exc.msg}", offset, "byte") from exc
    except StopIteration as exc:
        raise SourceError("osm", str(path), "no XML root element", 0, "byte") from exc


def _dispatch_element(elem: ET.Element, sink: Sink) -> None:
    """Hand one finished XML element to the sink."""
    tags = {t.get("k", ""): t.get("v", "") for t in elem.iter("tag")}
    osm_id = int(elem.get("id", "0"))
    if elem.tag == "node":
        sink.node(osm_id, float(elem.get("lon", "nan")), float(elem.get("lat", "nan")), tags)
    elif elem.tag == "way":
        refs = [int(nd.get("ref", "0")) for nd in elem.iter("nd")]
        centre_elem = elem.find("center")  # Overpass `out center` gives it directly
        centre = None
        if centre_elem is not None:
            centre = (float(centre_elem.get("lon", "nan")), float(centre_elem.get("lat", "nan")))
        sink.way(osm_id, refs, tags, centre)
    else:
        members = [
            (m.get("type", ""), int(m.get("ref", "0")), m.get("role", "")) for m in elem.iter("member")
        ]
        sink.relation(osm_id, members, tags)


def _byte_offset(path: Path, line: int, column: int) -> int:
    """Turn a parser's (line, column) into a byte offset by counting newlines."""
    offset = 0
    with path.open("rb") as fh:
        for _ in range(line - 1):
            chunk = fh.readline()
            if not chunk:
                break
            offset += len(chunk)
    return offset + column
