"""data/sample is exactly what its README's command generates."""

from __future__ import annotations

from samplegen import generate

from .conftest import REPO

SAMPLE = REPO / "data" / "sample"


def test_bundled_sample_is_reproducible(tmp_path):
    counts = generate(0.008, 1, tmp_path)
    for name in ("atlas.csv", "osm.osm", "gtfs.zip", "truth.jsonl"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    assert 500 <= counts["atlas_kept"] <= 700
    assert sum((SAMPLE / n).stat().st_size for n in ("atlas.csv", "osm.osm", "gtfs.zip")) < 800_000


def test_readme_says_how_to_regenerate():
    text = (SAMPLE / "README.md").read_text()
    assert "--scale 0.008 --seed 1 --out data/sample" in text
