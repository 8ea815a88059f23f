"""The country outline that ATLAS rows must fall inside, tested for many points at once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from preprocess.errors import SourceError
from preprocess.fetch import local_path

DEFAULT_BOUNDARY = Path(__file__).resolve().parents[2] / "data" / "boundary" / "ch.geojson"
AREAL_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Boundary:
    """A prepared (multi)polygon in WGS84 lon/lat degrees (EPSG:4326)."""

    geometry: shapely.Geometry
    digest: str  # hash of the file's bytes: part of the ATLAS cache key

    def inside(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """True where (lon, lat) lies inside; NaN coordinates are outside."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        return np.asarray(shapely.contains_xy(self.geometry, lon, lat), dtype=bool)


def load_boundary(path: Path | str | None = None) -> Boundary:
    """Read a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (path or file:// URL).

    An http(s) boundary is downloaded first (`fetch.download`), like every other source.
    """
    file = local_path(str(path)) if path is not None else DEFAULT_BOUNDARY
    if file is None:
        raise SourceError("boundary", str(path), "an HTTP boundary must be downloaded first")
    try:
        raw = file.read_bytes()
        doc = json.loads(raw)
    except OSError as exc:
        raise SourceError("boundary", str(file), f"cannot read: {exc.strerror}") from exc
    except ValueError as exc:
        raise SourceError("boundary", str(file), f"not JSON: {exc}") from exc
    geometry = _union_of_areas(doc, str(file))
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    shapely.prepare(geometry)  # contains_xy on a prepared geometry is far faster per point
    return Boundary(geometry, hashlib.sha256(raw).hexdigest())


def _union_of_areas(doc: dict, file: str) -> shapely.Geometry:
    """Collect every polygonal geometry in the document into one geometry."""
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection":
        geoms = [f.get("geometry") for f in doc.get("features", [])]
    elif kind == "Feature":
        geoms = [doc.get("geometry")]
    else:
        geoms = [doc]
    areas = [shape(g) for g in geoms if isinstance(g, dict) and g.get("type") in AREAL_TYPES]
    if not areas:
        raise SourceError("boundary", file, "no Polygon or MultiPolygon found")
    return areas[0] if len(areas) == 1 else shapely.union_all(areas)
