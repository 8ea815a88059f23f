"""Shared fixtures: one small generated region per test session."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl
import pytest

from samplegen import generate

SCALE, SEED = 0.01, 5
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def region(tmp_path_factory) -> tuple[Path, dict]:
    """A generated region (folder, counts)."""
    out = tmp_path_factory.mktemp("region")
    return out, generate(SCALE, SEED, out)


@pytest.fixture(scope="session")
def atlas(region) -> pl.DataFrame:
    """atlas.csv read as strings."""
    return pl.read_csv(region[0] / "atlas.csv", separator=";", infer_schema_length=0)


def read_member(zip_path: Path, name: str) -> pl.DataFrame:
    """One GTFS table as strings."""
    with zipfile.ZipFile(zip_path) as zf:
        return pl.read_csv(io.BytesIO(zf.read(name)), infer_schema_length=0)
