"""Opening a delimited text source: unzip if needed, refuse empty, truncated or non-UTF-8 input."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path

from preprocess.errors import SourceError

ZIP_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"


def read_text_bytes(path: Path, source: str, suffix: str = ".csv") -> bytes:
    """The bytes of a CSV, or of the first `suffix` member when the file is a zip."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            if head != ZIP_MAGIC:
                return head + fh.read()
    except OSError as exc:
        raise SourceError(source, str(path), f"cannot read: {exc.strerror}") from exc
    return _zip_member(path, source, suffix)


def _zip_member(path: Path, source: str, suffix: str) -> bytes:
    """Read the first member ending in `suffix`; a damaged archive is a SourceError."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(suffix)]
            if not names:
                raise SourceError(source, str(path), f"zip holds no {suffix} file")
            return archive.read(names[0])
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise SourceError(source, str(path), f"truncated or corrupt zip: {exc}") from exc


def check_text(data: bytes, source: str, file: str, sep: str = ";") -> None:
    """Raise on an empty file, non-UTF-8 bytes (naming the line) or a cut-off last line."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    if not body.strip():
        raise SourceError(source, file, "empty file")
    offset = _first_invalid_utf8(body)
    if offset is not None:
        line = body.count(b"\n", 0, offset) + 1
        raise SourceError(source, file, f"not UTF-8 (byte {offset})", line)
    _check_last_line(body, source, file, sep)


def _first_invalid_utf8(body: bytes, step: int = 8 << 20) -> int | None:
    """Offset of the first invalid UTF-8 byte; decoded in slices so no full copy is made."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(body)
    for start in range(0, len(body), step):
        try:
            decoder.decode(view[start : start + step], final=start + step >= len(body))
        except UnicodeDecodeError as exc:
            # The decoder may hold back up to 3 bytes of a split character from the slice before.
            return start + exc.start - len(decoder.getstate()[0])
    return None


def _check_last_line(body: bytes, source: str, file: str, sep: str) -> None:
    """A file cut mid-row leaves a last line with fewer fields than the header."""
    lines = body.rstrip(b"\r\n").split(b"\n")
    if len(lines) < 2:
        return
    header_fields = _field_count(lines[0], sep)
    last_fields = _field_count(lines[-1], sep)
    if last_fields < header_fields:
        raise SourceError(
            source,
            file,
            f"truncated: last row has {last_fields} of {header_fields} fields",
            len(lines),
        )


def _field_count(line: bytes, sep: str) -> int:
    """Fields of one CSV line, honouring quotes."""
    rows = list(csv.reader(io.StringIO(line.decode("utf-8", "replace").rstrip("\r")), delimiter=sep))
    return len(rows[0]) if rows else 0
