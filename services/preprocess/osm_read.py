"""libosmium filters an OSM XML or PBF file in C++ into OPL text: no Python per object or tag."""

from __future__ import annotations

import re
from pathlib import Path

import osmium

from preprocess.errors import SourceError

# Keys that can make an object interesting; the rest never leaves C++.
FILTER_KEYS = ("public_transport", "railway", "highway", "amenity", "aerialway", "uic_ref", "type")
XML_ERROR = re.compile(r"line (\d+), column (\d+)")
# Overpass `out center` puts a <center> in ways, which libosmium rejects.
CENTER_HINT = "Overpass `out center` is not supported: query with `out body; >; out skel qt;`"


def is_pbf(path: Path) -> bool:
    """PBF by its header blob (or name); everything else is read as XML."""
    with path.open("rb") as fh:
        return b"OSMHeader" in fh.read(32) or path.name.endswith(".pbf")


def filter_to_opl(path: Path, out: Path) -> None:
    """Write the objects carrying a filter key to `out` as OPL, ways with their node locations."""
    if path.stat().st_size == 0:
        raise SourceError("osm", str(path), "empty file")
    locations = osmium.NodeLocationsForWays(osmium.index.create_map("flex_mem"))
    locations.ignore_errors()  # a way whose nodes are missing just gets no centre
    writer = osmium.WriteHandler(osmium.io.File(str(out), "opl,locations_on_ways=true"))
    # The format comes from the bytes, not the name: downloads have arbitrary names.
    source = osmium.io.File(str(path), "pbf" if is_pbf(path) else "osm")
    try:
        osmium.apply(source, locations, osmium.filter.KeyFilter(*FILTER_KEYS), writer)
    except RuntimeError as exc:
        raise _source_error(path, str(exc)) from exc
    finally:
        writer.close()


def _source_error(path: Path, message: str) -> SourceError:
    """Turn libosmium's message into a SourceError, with a byte offset when it names a line."""
    if "Unknown element" in message and "center" in message:
        return SourceError("osm", str(path), f"{CENTER_HINT} ({message})")
    found = XML_ERROR.search(message)
    if found:
        offset = _byte_offset(path, int(found.group(1)), int(found.group(2)))
        return SourceError("osm", str(path), f"malformed XML: {message}", offset, "byte")
    kind = "PBF" if is_pbf(path) else "XML"
    return SourceError("osm", str(path), f"unreadable {kind}: {message}")


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
