"""Cheap change detection: probe a source's validators and compare them with the last run's."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from preprocess.fetch import existing_file, with_retries

PROBES_FILE = "probes.json"


@dataclass(frozen=True)
class SourceProbe:
    """What a source looks like now, without downloading it."""

    url: str
    final_url: str
    etag: str | None = None
    last_modified: str | None = None
    length: int | None = None
    mtime: float | None = None
    content_hash: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SourceProbe:
        """Rebuild from `to_dict` output, ignoring keys this version does not know."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)  # type: ignore[arg-type]


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


async def probe(
    url: str,
    *,
    source: str = "source",
    timeout: float = 30.0,
    retries: int = 3,
    backoff_seconds: float = 0.5,
) -> SourceProbe:
    """Probe a file (size, mtime, hash) or an HTTP URL (1-byte range GET: ETag, Last-Modified)."""
    path = existing_file(url, source)
    if path is not None:
        stat = path.stat()
        return SourceProbe(url, str(path.resolve()), None, None, stat.st_size, stat.st_mtime, file_hash(path))

    async def attempt() -> httpx.Response:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
            response = await client.get(url, headers={"Range": "bytes=0-0"})
            response.raise_for_status()
            return response

    response = await with_retries(
        attempt, source=source, url=url, retries=retries, backoff_seconds=backoff_seconds
    )
    assert isinstance(response, httpx.Response)
    return SourceProbe(
        url=url,
        final_url=str(response.url),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        length=_full_length(response),
    )


def _full_length(response: httpx.Response) -> int | None:
    """The whole resource's size: from Content-Range on a 206, Content-Length on a 200."""
    content_range = response.headers.get("content-range", "")
    if response.status_code == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else None
    length = response.headers.get("content-length")
    return int(length) if length and length.isdigit() else None


def is_unchanged(old: SourceProbe | None, new: SourceProbe) -> bool:
    """True only when a validator is present on both sides and equal; anything else fails open."""
    if old is None or old.url != new.url:
        return False
    if old.length is not None and new.length is not None and old.length != new.length:
        return False
    # Strongest validator first: a content hash, then an ETag, then Last-Modified.
    for field in ("content_hash", "etag", "last_modified"):
        before, after = getattr(old, field), getattr(new, field)
        if before is not None and after is not None:
            return bool(before == after)
    return False


def load_probes(state_dir: Path) -> dict[str, SourceProbe]:
    """The probes remembered after the last successful run (empty when none or unreadable)."""
    try:
        raw = json.loads((state_dir / PROBES_FILE).read_text())
        return {name: SourceProbe.from_dict(value) for name, value in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}  # no trustworthy memory: every source counts as changed


def save_probes(state_dir: Path, probes: dict[str, SourceProbe]) -> None:
    """Remember probes atomically (write then rename)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    tmp = state_dir / (PROBES_FILE + ".tmp")
    tmp.write_text(json.dumps({k: v.to_dict() for k, v in probes.items()}, indent=1))
    tmp.replace(state_dir / PROBES_FILE)
