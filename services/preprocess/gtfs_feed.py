"""Reading the four GTFS tables we need out of the zip; stop_times is streamed in chunks."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from preprocess.errors import SourceError
from preprocess.textfile import BOM, check_text
from preprocess.zipstream import member_blocks

TABLE_COLUMNS = {
    "stops.txt": {
        "stop_id": True,
        "stop_name": True,
        "stop_lat": True,
        "stop_lon": True,
        "location_type": False,
        "parent_station": False,
        "platform_code": False,
        "original_stop_id": False,
    },
    "routes.txt": {
        "route_id": True,
        "agency_id": False,
        "route_short_name": False,
        "route_long_name": False,
        "route_type": True,
    },
    "trips.txt": {"route_id": True, "trip_id": True, "direction_id": False, "trip_headsign": False},
}
STOP_TIME_COLUMNS = {"trip_id": pl.String, "stop_id": pl.String, "stop_sequence": pl.Int32}
ZIP_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, zipfile.LargeZipFile)


@contextmanager
def open_feed(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open the GTFS zip; a truncated or corrupt archive is a SourceError."""
    if path.stat().st_size == 0:
        raise SourceError("gtfs", str(path), "empty file")
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except ZIP_ERRORS as exc:
        raise SourceError("gtfs", str(path), f"truncated or corrupt zip: {exc}") from exc


def read_table(archive: zipfile.ZipFile, path: Path, member: str) -> pl.DataFrame:
    """One small table as strings, with the required columns present and the optional added."""
    data = _member_bytes(archive, path, member)
    where = f"{path}!{member}"
    check_text(data, "gtfs", where, sep=",")
    wanted = TABLE_COLUMNS[member]
    # Parse only the wanted columns: trips.txt alone has a million rows of columns we never use.
    header = pl.read_csv(io.BytesIO(data), infer_schema=False, n_rows=0).columns
    selected = [c for c in header if c.strip() in wanted]
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, columns=selected or None)
    except pl.exceptions.PolarsError as exc:
        raise SourceError("gtfs", where, f"unreadable CSV: {str(exc).splitlines()[0]}") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = [c for c, required in wanted.items() if required and c not in frame.columns]
    if missing:
        raise SourceError("gtfs", where, f"missing column(s) {', '.join(missing)}", 1)
    absent = [pl.lit(None, pl.String).alias(c) for c in wanted if c not in frame.columns]
    return frame.with_columns(absent).select(list(wanted))


def _member_bytes(archive: zipfile.ZipFile, path: Path, member: str) -> bytes:
    """The raw bytes of one member (found also when the zip nests files in a folder)."""
    name = _member_name(archive, path, member)
    try:
        return archive.read(name)
    except ZIP_ERRORS as exc:
        raise SourceError("gtfs", f"{path}!{member}", f"truncated or corrupt zip: {exc}") from exc


def _member_name(archive: zipfile.ZipFile, path: Path, member: str) -> str:
    """The archive name ending in `member`."""
    for name in archive.namelist():
        if name == member or name.endswith("/" + member):
            return name
    raise SourceError("gtfs", str(path), f"{member} missing from the feed")


def stop_time_chunks(archive: zipfile.ZipFile, path: Path) -> Iterator[pl.DataFrame]:
    """Yield stop_times as (trip_id, stop_id, stop_sequence) frames of bounded size."""
    where = f"{path}!stop_times.txt"
    row = 2  # file line of the first data row
    header = b""
    try:
        info = archive.getinfo(_member_name(archive, path, "stop_times.txt"))
        for lines, is_tail in _line_blocks(member_blocks(archive, path, info)):
            if not header:
                header, _, lines = lines.partition(b"\n")
                header = header.removeprefix(BOM) + b"\n"
                if not header.strip() or not lines:
                    continue
            if is_tail:
                _check_tail(header, lines, where, row)
            frame = _parse_chunk(header + lines, where, row)
            row += frame.height
            yield frame
    except ZIP_ERRORS as exc:
        raise SourceError("gtfs", where, f"truncated or corrupt zip: {exc}", row) from exc
    if not header.strip():
        raise SourceError("gtfs", where, "empty file")


def _line_blocks(blocks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Re-cut blocks at line ends; the last flag marks a final line that had no newline."""
    leftover = b""
    for block in blocks:
        data = leftover + block
        cut = data.rfind(b"\n") + 1
        leftover = data[cut:]
        if cut:
            yield data[:cut], False
    if leftover.strip():
        yield leftover, True


def _check_tail(header: bytes, tail: bytes, where: str, row: int) -> None:
    """A last line without a newline and with fewer fields than the header was cut off."""
    if tail.count(b",") < header.count(b","):
        raise SourceError("gtfs", where, "truncated: last row has too few fields", row)


def _parse_chunk(data: bytes, where: str, first_row: int) -> pl.DataFrame:
    """Parse one chunk of whole lines; errors name the chunk's first row."""
    try:
        frame = pl.read_csv(
            io.BytesIO(data), columns=list(STOP_TIME_COLUMNS), schema_overrides=STOP_TIME_COLUMNS
        )
    except pl.exceptions.ColumnNotFoundError as exc:
        raise SourceError("gtfs", where, f"missing column: {exc}", 1) from exc
    except pl.exceptions.PolarsError as exc:
        reason = f"unreadable rows from here: {str(exc).splitlines()[0]}"
        raise SourceError("gtfs", where, reason, first_row) from exc
    return frame
