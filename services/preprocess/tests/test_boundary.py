"""The boundary: the bundled Swiss outline and GeoJSON variants, tested vectorized."""

from __future__ import annotations

import json

import numpy as np
import pytest

from preprocess.boundary import DEFAULT_BOUNDARY, load_boundary
from preprocess.errors import SourceError

INSIDE = {
    "Zürich": (8.54, 47.377),
    "Genève": (6.143, 46.204),
    "Lugano": (8.951, 46.005),
    "Basel": (7.588, 47.559),
    "Schaffhausen": (8.634, 47.697),
    "Müstair": (10.447, 46.63),
    "Chiasso": (9.03, 45.835),
    "Porrentruy": (7.076, 47.415),
    "Zermatt": (7.749, 46.02),
}
OUTSIDE = {
    "Vaduz": (9.52, 47.14),
    "Konstanz": (9.175, 47.665),
    "Como": (9.085, 45.81),
    "Annemasse": (6.235, 46.193),
    "Mulhouse": (7.34, 47.75),
    "Livigno": (10.135, 46.538),
}


def test_bundled_outline_is_a_valid_ring_of_reasonable_size():
    doc = json.loads(DEFAULT_BOUNDARY.read_text())
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert 80 <= len(ring) - 1 <= 200 and ring[0] == ring[-1]
    boundary = load_boundary()
    assert boundary.geometry.is_valid
    # Switzerland is about 41,300 km²; one square degree is about 8,480 km² at 46.8° N.
    assert 40_000 < boundary.geometry.area * 8_480 < 43_000


def test_inside_is_vectorized_over_towns():
    boundary = load_boundary()
    towns = {**INSIDE, **OUTSIDE}
    lon = np.array([p[0] for p in towns.values()])
    lat = np.array([p[1] for p in towns.values()])
    got = dict(zip(towns, boundary.inside(lon, lat), strict=True))
    assert got == {name: name in INSIDE for name in towns}
    assert not boundary.inside(np.array([np.nan]), np.array([47.0]))[0]


@pytest.mark.parametrize("wrap", ["geometry", "feature", "multipolygon"])
def test_geojson_variants(tmp_path, wrap):
    square = [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]
    geometry = {"type": "Polygon", "coordinates": square}
    doc = {
        "geometry": geometry,
        "feature": {"type": "Feature", "properties": {}, "geometry": geometry},
        "multipolygon": {"type": "MultiPolygon", "coordinates": [square]},
    }[wrap]
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(doc))
    inside = load_boundary(path).inside(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    assert inside.tolist() == [True, False]


def test_bad_boundary_files(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text('{"type": "Point", "coordinates": [1, 2]}')
    with pytest.raises(SourceError, match="no Polygon"):
        load_boundary(path)
    path.write_text("{nope")
    with pytest.raises(SourceError, match="not JSON"):
        load_boundary(path)
    with pytest.raises(SourceError, match="cannot read"):
        load_boundary(tmp_path / "missing.geojson")
    with pytest.raises(SourceError, match="downloaded first"):
        load_boundary("https://example.invalid/ch.geojson")


def test_file_url_works_like_a_path():
    assert load_boundary(f"file://{DEFAULT_BOUNDARY}").digest == load_boundary().digest
