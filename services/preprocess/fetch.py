"""Getting a source onto local disk: file paths as they are, HTTP streamed with retries."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from preprocess.errors import SourceError

# Gateways and overloaded servers answer these while the origin is fine: worth another try.
RETRYABLE_STATUS = frozenset({502, 503, 504})
CHUNK_BYTES = 1 << 20


def local_path(url: str) -> Path | None:
    """The file a `file://` URL or a plain path names, or None for an HTTP URL."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        return None
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return Path(url)


def existing_file(url: str, source: str) -> Path | None:
    """The local file a path or file:// URL names (which must exist); None for HTTP."""
    path = local_path(url)
    if path is not None and not path.is_file():
        raise SourceError(source, str(path), "file not found")
    return path


def file_name_for(url: str) -> str:
    """A stable local name: a short hash of the URL plus its last path segment (keeps `.zip`)."""
    tail = Path(urlparse(url).path).name or "download"
    return f"{hashlib.sha256(url.encode()).hexdigest()[:12]}-{tail}"


async def with_retries(
    attempt: Callable[[], Awaitable[httpx.Response | Path]],
    *,
    source: str,
    url: str,
    retries: int,
    backoff_seconds: float,
) -> httpx.Response | Path:
    """Run one HTTP attempt, retrying 502/503/504 and transport errors with exponential backoff."""
    last: str = "no attempt"
    for n in range(retries + 1):
        try:
            return await attempt()
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            if status not in RETRYABLE_STATUS:
                raise SourceError(source, url, f"HTTP {status}") from exc
            last = f"HTTP {status}"
        except httpx.TimeoutException as exc:
            last = f"timeout ({type(exc).__name__})"
        except httpx.TransportError as exc:
            last = f"transport error ({exc})"
        if n < retries:
            await asyncio.sleep(backoff_seconds * 2**n)
    raise SourceError(source, url, f"{last} after {retries + 1} attempts")


async def download(
    url: str,
    dest_dir: Path,
    *,
    source: str = "source",
    timeout: float = 60.0,
    retries: int = 3,
    backoff_seconds: float = 0.5,
) -> Path:
    """Return a local path holding the source; HTTP bodies are streamed to a temp file first."""
    path = existing_file(url, source)
    if path is not None:
        return path
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / file_name_for(url)

    async def attempt() -> Path:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
            async with client.stream("GET", url) as response:
                response.raise_for_status()
                await _stream_to(response, final)
        return final

    result = await with_retries(
        attempt, source=source, url=url, retries=retries, backoff_seconds=backoff_seconds
    )
    assert isinstance(result, Path)
    return result


async def _stream_to(response: httpx.Response, final: Path) -> None:
    """Write the body beside `final` and rename it only once complete (no half files ever)."""
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in response.aiter_bytes(CHUNK_BYTES):
                out.write(chunk)
        expected = response.headers.get("content-length")
        got = os.path.getsize(tmp_name)
        if expected is not None and "content-encoding" not in response.headers:
            if int(expected) != got:  # the peer closed early: a truncated body
                raise httpx.RemoteProtocolError(f"got {got} of {expected} bytes")
        os.replace(tmp_name, final)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
