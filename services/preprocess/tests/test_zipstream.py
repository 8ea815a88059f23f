"""Streaming zip members with zlib: same bytes as zipfile, and damage is detected."""

from __future__ import annotations

import zipfile
import zlib

import pytest

from preprocess import zipstream
from preprocess.zipstream import member_blocks

BODY = b"".join(b"t%d,08:00:00,8503000:0:1,%d\n" % (i, i) for i in range(2000))


def _archive(tmp_path, compression: int):
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("other.txt", b"x" * 100)
        archive.writestr("stop_times.txt", BODY)
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
def test_blocks_rebuild_the_member(tmp_path, monkeypatch, compression):
    monkeypatch.setattr(zipstream, "READ_BYTES", 97)  # many small reads
    path = _archive(tmp_path, compression)
    with zipfile.ZipFile(path) as archive:
        blocks = list(member_blocks(archive, path, archive.getinfo("stop_times.txt")))
    assert b"".join(blocks) == BODY
    assert len(blocks) > 3


def test_a_damaged_byte_is_detected(tmp_path):
    path = _archive(tmp_path, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("stop_times.txt")
    data = bytearray(path.read_bytes())
    data[info.header_offset + 30 + len("stop_times.txt") + 200] ^= 0xFF
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive, pytest.raises((zipfile.BadZipFile, zlib.error)):
        b"".join(member_blocks(archive, path, archive.getinfo("stop_times.txt")))


def test_a_short_member_is_detected(tmp_path):
    path = _archive(tmp_path, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("stop_times.txt")
        info.compress_size -= 50  # as if the stream had been cut
        with pytest.raises(zipfile.BadZipFile, match="truncated"):
            b"".join(member_blocks(archive, path, info))
