"""Streaming readers for OSM XML (iterparse) and PBF (osmium) that feed one collector."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Protocol

import osmium

from preprocess.errors import SourceError

PBF_MAGIC_OFFSET = 4  # a PBF starts with a 4-byte length, then a "OSMHeader" blob header


class Sink(Protocol):
    """Receives the parsed objects, in file order."""

    def node(self, osm_id: int, lon: float, lat: float, tags: dict[str, str]) -> None: ...
    def way(
        self, osm_id: int, refs: list[int], tags: dict[str, str], centre: tuple[float, float] | None
    ) -> None: ...
    def relation(self, osm_id: int, members: list[tuple[str, int, str]], tags: dict[str, str]) -> None: ...


def is_pbf(path: Path) -> bool:
    """PBF by name or by its header blob; everything else is read as XML."""
    if path.name.endswith(".pbf"):
        return True
    with path.open("rb") as fh:
        return b"OSMHeader" in fh.read(32)


def read_xml(path: Path, sink: Sink) -> None:
    """Stream an OSM XML file, clearing each element once handled so memory stays flat."""
    if path.stat().st_size == 0:
        raise SourceError("osm", str(path), "empty file")
    try:
        context = ET.iterparse(path, events=("start", "end"))
        _, root = next(context)
        for event, elem in context:
            if event == "end" and elem.tag in ("node", "way", "relation"):
                _dispatch(elem, sink)
                elem.clear()
                root.clear()  # drop the cleared children the root still references
    except ET.ParseError as exc:
        line, column = exc.position
        offset = _byte_offset(path, line, column)
        raise SourceError("osm", str(path), f"malformed XML: {exc.msg}", offset, "byte") from exc
    except StopIteration as exc:
        raise SourceError("osm", str(path), "no XML root element", 0, "byte") from exc


def _dispatch(elem: ET.Element, sink: Sink) -> None:
    """Hand one finished element to the sink."""
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
    """Turn expat's (line, column) into a byte offset by counting newlines."""
    offset = 0
    with path.open("rb") as fh:
        for _ in range(line - 1):
            chunk = fh.readline()
            if not chunk:
                break
            offset += len(chunk)
    return offset + column


MEMBER_TYPES = {"n": "node", "w": "way", "r": "relation"}


def read_pbf(path: Path, sink: Sink) -> None:
    """Read a PBF with osmium; way node locations come from osmium's own index."""
    keys = ("public_transport", "railway", "highway", "amenity", "aerialway", "uic_ref", "type")
    try:
        processor = (
            osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.KeyFilter(*keys))
        )
        for obj in processor:
            _dispatch_pbf(obj, sink)
    except RuntimeError as exc:
        raise SourceError("osm", str(path), f"unreadable PBF: {exc}") from exc


def _dispatch_pbf(obj: object, sink: Sink) -> None:
    """Hand one osmium object to the sink."""
    tags = {t.k: t.v for t in obj.tags}  # type: ignore[attr-defined]
    if obj.is_node():  # type: ignore[attr-defined]
        loc = obj.location  # type: ignore[attr-defined]
        sink.node(obj.id, loc.lon, loc.lat, tags)  # type: ignore[attr-defined]
    elif obj.is_way():  # type: ignore[attr-defined]
        coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]  # type: ignore[attr-defined]
        centre = _bbox_centre(coords) if coords else None
        sink.way(obj.id, [], tags, centre)  # type: ignore[attr-defined]
    elif obj.is_relation():  # type: ignore[attr-defined]
        members = [(MEMBER_TYPES.get(m.type, m.type), m.ref, m.role) for m in obj.members]  # type: ignore[attr-defined]
        sink.relation(obj.id, members, tags)  # type: ignore[attr-defined]


def _bbox_centre(coords: list[tuple[float, float]]) -> tuple[float, float]:
    """The bounding-box centre, as Overpass computes `center`."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
