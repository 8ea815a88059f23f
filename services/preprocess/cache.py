"""Per-stage cache of parsed products (parquet), keyed by hashes of the stage's inputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl

# Bump when a parser's output changes shape or meaning: every cached product becomes stale.
CACHE_VERSION = "1"
STAGES = ("atlas", "gtfs_parsed", "gtfs_identity")
RUN_TYPES = ("complete", "atlas_cached", "bootstrap")
STATIC_SOURCES = ("atlas", "gtfs", "boundary")


def stage_key(*parts: str) -> str:
    """A key from the hashes (or other strings) that determine a stage's output."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for part in parts:
        digest.update(b"\x1f" + part.encode())
    return digest.hexdigest()


def decide_run_type(changed: Mapping[str, bool], tables_present: bool, force: bool = False) -> str:
    """`complete` when forced or a static source changed; else `bootstrap` or `atlas_cached`."""
    if force or any(changed.get(name, True) for name in STATIC_SOURCES):
        return "complete"
    # Static sources unchanged: only OSM (fetched every run) and what depends on it is redone.
    return "atlas_cached" if tables_present else "bootstrap"


class StageCache:
    """One directory per stage holding the latest products and a manifest with their hashes."""

    def __init__(self, cache_dir: Path) -> None:
        self.root = Path(cache_dir) / "stages"

    def manifest(self, stage: str) -> dict | None:
        """The stage's manifest (key, product hashes, meta), or None when absent or unreadable."""
        try:
            return json.loads((self.root / stage / "manifest.json").read_text())
        except (OSError, ValueError):
            return None

    def load(self, stage: str, key: str | None = None) -> tuple[dict[str, pl.DataFrame], dict] | None:
        """Products and meta when the stage holds `key` (any key when None), else None."""
        manifest = self.manifest(stage)
        if manifest is None or (key is not None and manifest.get("key") != key):
            return None
        folder = self.root / stage
        try:
            frames = {name: pl.read_parquet(folder / f"{name}.parquet") for name in manifest["frames"]}
        except (OSError, pl.exceptions.PolarsError):
            return None  # damaged cache: recompute rather than fail the run
        return frames, manifest.get("meta", {})

    def store(self, stage: str, key: str, frames: Mapping[str, pl.DataFrame], meta: dict) -> dict:
        """Write products beside the old ones, then swap directories; returns the manifest."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=f".{stage}-"))
        hashes = {}
        for name, frame in frames.items():
            target = tmp / f"{name}.parquet"
            frame.write_parquet(target, statistics=False)
            hashes[name] = _file_sha256(target)
        manifest = {"key": key, "frames": hashes, "meta": meta}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))
        final = self.root / stage
        old = self.root / f".{stage}-old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        return manifest


def product_hash(manifest: dict) -> str:
    """One hash over a stage's product hashes: the input key of the stages that read them."""
    return stage_key(*(f"{k}={v}" for k, v in sorted(manifest["frames"].items())))


def _file_sha256(path: Path) -> str:
    """SHA-256 of one product file."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
