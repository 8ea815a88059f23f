"""Probing and downloading against a real local HTTP server, and the unchanged rule."""

from __future__ import annotations

import os

import pytest

from preprocess.errors import SourceError
from preprocess.fetch import download
from preprocess.freshness import SourceProbe, is_unchanged, load_probes, probe, save_probes
from preprocess.tests.local_http import LocalServer

FAST = {"retries": 2, "backoff_seconds": 0.01, "timeout": 2.0}


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


async def test_probe_reads_validators_with_a_one_byte_range(server):
    url = server.put("atlas.csv", b"x" * 1000)
    probed = await probe(url, **FAST)
    assert server.range_headers == ["bytes=0-0"]
    assert probed.etag and probed.etag.startswith('"')
    assert probed.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert probed.length == 1000 and probed.final_url == url


async def test_same_validators_mean_unchanged_and_a_new_body_means_changed(server):
    url = server.put("gtfs.zip", b"first")
    before = await probe(url, **FAST)
    assert is_unchanged(before, await probe(url, **FAST))
    server.put("gtfs.zip", b"second", modified=1_800_000_000.0)
    assert not is_unchanged(before, await probe(url, **FAST))


async def test_no_validators_fail_open(server):
    server.send_validators = False
    url = server.put("osm.osm", b"<osm/>")
    first, second = await probe(url, **FAST), await probe(url, **FAST)
    assert first.etag is None and first.last_modified is None
    assert not is_unchanged(first, second)


def test_unchanged_rule_needs_a_validator_on_both_sides():
    with_etag = SourceProbe("u", "u", etag='"a"', last_modified="Mon")
    assert is_unchanged(with_etag, SourceProbe("u", "u", etag='"a"'))
    assert not is_unchanged(with_etag, SourceProbe("u", "u", etag='"b"', last_modified="Mon"))
    assert is_unchanged(
        SourceProbe("u", "u", last_modified="Mon"), SourceProbe("u", "u", last_modified="Mon")
    )
    assert not is_unchanged(SourceProbe("u", "u", etag='"a"'), SourceProbe("u", "u", last_modified="Mon"))
    assert not is_unchanged(None, with_etag)
    assert not is_unchanged(with_etag, SourceProbe("other", "other", etag='"a"'))
    assert not is_unchanged(
        SourceProbe("u", "u", etag='"a"', length=1), SourceProbe("u", "u", etag='"a"', length=2)
    )


async def test_file_probe_hashes_content(tmp_path):
    path = tmp_path / "atlas.csv"
    path.write_bytes(b"one")
    first = await probe(str(path))
    assert first.length == 3 and first.content_hash and first.mtime
    same = await probe(f"file://{path}")
    assert same.content_hash == first.content_hash
    os.utime(path, (0, 0))  # touched but identical bytes: still unchanged
    assert is_unchanged(first, await probe(str(path)))
    path.write_bytes(b"two")
    assert not is_unchanged(first, await probe(str(path)))


async def test_503_is_retried_then_the_download_succeeds(server, tmp_path):
    server.fail_first = 2
    server.put("gtfs.zip", b"payload")
    path = await download(f"{server.base}/flaky/gtfs.zip", tmp_path, source="gtfs", **FAST)
    assert path.read_bytes() == b"payload"
    assert server.hits["/flaky/gtfs.zip"] == 3
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left


async def test_retries_give_up_with_a_source_error(server, tmp_path):
    server.fail_first = 10
    server.failing_status = 504
    server.put("gtfs.zip", b"payload")
    with pytest.raises(SourceError, match="HTTP 504 after 3 attempts") as caught:
        await download(f"{server.base}/flaky/gtfs.zip", tmp_path, source="gtfs", **FAST)
    assert caught.value.source == "gtfs" and caught.value.file.endswith("/flaky/gtfs.zip")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status", [404, 500])
async def test_404_and_500_fail_at_once(server, tmp_path, status):
    url = f"{server.base}/status/{status}/atlas.csv"
    with pytest.raises(SourceError, match=f"HTTP {status}$"):
        await download(url, tmp_path, source="atlas", **FAST)
    with pytest.raises(SourceError, match=f"HTTP {status}$"):
        await probe(url, source="atlas", **FAST)
    assert server.hits[f"/status/{status}/atlas.csv"] == 2  # no retry for either


async def test_timeout_is_a_source_error(server, tmp_path):
    server.slow_seconds = 0.5
    url = server.put("osm.osm", b"<osm/>").replace("/osm.osm", "/slow/osm.osm")
    with pytest.raises(SourceError, match="timeout") as caught:
        await download(url, tmp_path, source="osm", retries=0, backoff_seconds=0, timeout=0.1)
    assert caught.value.source == "osm"
    assert list(tmp_path.iterdir()) == []


async def test_truncated_body_is_not_renamed_into_place(server, tmp_path):
    server.truncate_body = True
    url = server.put("gtfs.zip", b"0123456789" * 100)
    with pytest.raises(SourceError):
        await download(url, tmp_path, source="gtfs", retries=0, backoff_seconds=0, timeout=2.0)
    assert list(tmp_path.iterdir()) == []


async def test_local_paths_are_used_in_place(tmp_path):
    source = tmp_path / "atlas.csv"
    source.write_text("x")
    assert await download(str(source), tmp_path / "raw") == source
    assert await download(f"file://{source}", tmp_path / "raw") == source
    with pytest.raises(SourceError, match="file not found"):
        await download(str(tmp_path / "missing.csv"), tmp_path / "raw", source="atlas")


def test_probes_round_trip_through_json(tmp_path):
    probes = {"atlas": SourceProbe("u", "f", etag='"e"', length=5)}
    save_probes(tmp_path, probes)
    assert load_probes(tmp_path) == probes
    (tmp_path / "probes.json").write_text("{broken")
    assert load_probes(tmp_path) == {}
