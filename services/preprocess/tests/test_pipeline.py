"""Whole preprocess runs on a real PostGIS: complete, cached, failing, and over local HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from common.settings import SourceSettings

from preprocess.errors import SourceError
from preprocess.pipeline import preprocess_run, probe_sources, remember_probe
from preprocess.staging import load_frames
from preprocess.tests.factories import (
    atlas_for_gtfs,
    atlas_row,
    gtfs_files,
    osm_node,
    osm_relation,
    write_atlas,
    write_osm,
    zip_files,
)
from preprocess.tests.local_http import LocalServer

pytestmark = pytest.mark.integration
TODAY = date(2026, 6, 1)
STAGED = {
    "atlas_stops",
    "osm_elements",
    "osm_routes",
    "osm_route_stops",
    "gtfs_stops",
    "gtfs_routes",
    "gtfs_itineraries",
    "gtfs_itinerary_stops",
}


def write_sources(folder) -> dict[str, str]:
    """A complete set of small, consistent sources on disk."""
    atlas_rows = atlas_for_gtfs() + [atlas_row("ch:1:sloid:9:0:1", uicCountryCode="80")]
    osm = [
        osm_node(1, 8.5402, 47.3782, public_transport="platform", uic_ref="8503000"),
        osm_node(2, 7.5896, 47.5474, railway="station"),
        osm_relation(9, [("node", 1, "platform")], type="route", route="train"),
    ]
    return {
        "atlas_url": str(write_atlas(folder / "atlas.csv", atlas_rows)),
        "gtfs_url": str(zip_files(folder / "gtfs.zip", gtfs_files())),
        "osm_url": str(write_osm(folder / "osm.osm", osm)),
    }


class Progress:
    """Records the report callback's calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    async def __call__(self, message: str, done: int, total: int) -> None:
        self.calls.append((message, done, total))


async def schema_exists(conn, schema: str) -> bool:
    return bool(await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema))


async def test_complete_run_stages_every_frame(conn, tmp_path):
    sources = SourceSettings(**write_sources(tmp_path), cache_dir=tmp_path / "cache")
    progress = Progress()
    summary = await preprocess_run(conn, sources, "run_a1", "complete", progress, today=TODAY)
    assert summary["run_type"] == "complete"
    assert summary["rows"] == {
        "atlas_stops": 7,
        "gtfs_stops": 7,
        "gtfs_routes": 2,
        "gtfs_itineraries": 3,
        "gtfs_itinerary_stops": 7,
        "osm_elements": 2,
        "osm_routes": 1,
        "osm_route_stops": 1,
    }
    assert summary["atlas"]["filter_counts"] == {
        "country": 1,
        "boundary": 0,
        "validity": 0,
        "element_type": 0,
    }
    assert summary["atlas"]["raw_rows"] == 8
    assert summary["gtfs"] == {"trips": 4, "stop_times": 10}
    assert summary["cache_hits"] == {"atlas": False, "gtfs_parsed": False, "gtfs_identity": False}
    assert set(summary["timings"]) == {"atlas", "gtfs", "osm", "staging"}
    frames = await load_frames(conn, "run_a1")
    assert set(frames) == STAGED
    assert frames["gtfs_stops"]["sloid"].null_count() == 1  # only the parent station
    assert progress.calls[-1] == ("preprocess: staged", 5, 5)
    assert [done for _, done, _ in progress.calls] == sorted(done for _, done, _ in progress.calls)


async def test_atlas_cached_run_reuses_stages_without_the_static_files(conn, tmp_path):
    sources = SourceSettings(**write_sources(tmp_path), cache_dir=tmp_path / "cache")
    await preprocess_run(conn, sources, "run_b1", "complete", Progress(), today=TODAY)
    (tmp_path / "atlas.csv").unlink()  # a cached run must not even look at the static sources
    (tmp_path / "gtfs.zip").unlink()
    summary = await preprocess_run(conn, sources, "run_b2", "atlas_cached", Progress(), today=TODAY)
    assert summary["cache_hits"] == {"atlas": True, "gtfs_parsed": True, "gtfs_identity": True}
    assert summary["rows"]["atlas_stops"] == 7 and summary["rows"]["gtfs_itinerary_stops"] == 7
    assert summary["atlas"]["filter_counts"]["country"] == 1
    assert summary["gtfs"] == {"trips": 4, "stop_times": 10}  # stage meta survives the cache


async def test_stages_are_redone_only_when_their_inputs_or_products_change(conn, tmp_path):
    sources = SourceSettings(**write_sources(tmp_path), cache_dir=tmp_path / "cache")
    await preprocess_run(conn, sources, "run_c1", "complete", Progress(), today=TODAY)
    # The ATLAS file changes, but only by a row the filters drop: same product, same identity.
    write_atlas(tmp_path / "atlas.csv", atlas_for_gtfs())
    summary = await preprocess_run(conn, sources, "run_c2", "complete", Progress(), today=TODAY)
    assert summary["cache_hits"] == {"atlas": False, "gtfs_parsed": True, "gtfs_identity": True}
    assert summary["atlas"]["raw_rows"] == 7
    # A kept row moves: the ATLAS product changes, so the GTFS-to-ATLAS identity is redone.
    moved = atlas_for_gtfs()
    moved[3]["wgs84East"] = "7.5990"
    write_atlas(tmp_path / "atlas.csv", moved)
    summary = await preprocess_run(conn, sources, "run_c3", "complete", Progress(), today=TODAY)
    assert summary["cache_hits"] == {"atlas": False, "gtfs_parsed": True, "gtfs_identity": False}
    frames = await load_frames(conn, "run_c3")
    basel = frames["gtfs_stops"].filter(stop_id="8500010").row(0, named=True)
    assert basel["sloid"] is None  # no ATLAS platform within half a metre any more


@pytest.mark.parametrize("broken", ["atlas", "osm", "gtfs"])
async def test_a_bad_source_fails_the_run_and_leaves_no_schema(conn, tmp_path, broken):
    paths = write_sources(tmp_path)
    bad = tmp_path / f"bad-{broken}"
    bad.write_bytes(b"")
    sources = SourceSettings(**{**paths, f"{broken}_url": str(bad)}, cache_dir=tmp_path / "c")
    with pytest.raises(SourceError) as caught:
        await preprocess_run(conn, sources, "run_d1", "complete", Progress(), today=TODAY)
    assert caught.value.source == broken and caught.value.reason == "empty file"
    assert not await schema_exists(conn, "run_d1")


async def test_http_sources_probe_then_run(conn, tmp_path):
    paths = write_sources(tmp_path)
    with LocalServer() as server:
        urls = {key: server.put(f"{key}.bin", open(path, "rb").read()) for key, path in paths.items()}
        urls["boundary_url"] = server.put("ch.geojson", open(SourceSettings().boundary_url, "rb").read())
        sources = SourceSettings(**urls, cache_dir=tmp_path / "cache", http_retries=1)
        first = await probe_sources(sources, tmp_path / "state")
        assert {n: p["changed"] for n, p in first.items()} == {
            "atlas": True,
            "gtfs": True,
            "osm": True,
            "boundary": True,
        }
        summary = await preprocess_run(conn, sources, "run_e1", "complete", Progress(), today=TODAY)
        remember_probe(tmp_path / "state", first)
        again = await probe_sources(sources, tmp_path / "state")
        server.put("osm_url.bin", b"<osm/>", modified=1_900_000_000.0)
        after_edit = await probe_sources(sources, tmp_path / "state")
    assert summary["rows"]["gtfs_itineraries"] == 3
    assert {n: p["changed"] for n, p in again.items()} == {
        "atlas": False,
        "gtfs": False,
        "osm": False,
        "boundary": False,
    }
    assert after_edit["osm"]["changed"] and not after_edit["atlas"]["changed"]
    assert first["atlas"]["etag"] and first["atlas"]["last_modified"]
    assert await schema_exists(conn, "run_e1")


@pytest.mark.parametrize("failure", ["404", "500", "timeout"])
async def test_http_failures_fail_the_run_and_leave_no_schema(conn, tmp_path, failure):
    paths = write_sources(tmp_path)
    with LocalServer() as server:
        server.slow_seconds = 0.5
        server.put("gtfs.zip", open(paths["gtfs_url"], "rb").read())
        broken = {"404": "/status/404/gtfs.zip", "500": "/status/500/gtfs.zip", "timeout": "/slow/gtfs.zip"}[
            failure
        ]
        sources = SourceSettings(
            **{**paths, "gtfs_url": server.base + broken},
            cache_dir=tmp_path / "cache",
            http_retries=0,
            http_timeout_seconds=0.1,
        )
        with pytest.raises(SourceError) as caught:
            await preprocess_run(conn, sources, "run_f1", "complete", Progress(), today=TODAY)
    assert caught.value.source == "gtfs" and caught.value.file.endswith(broken)
    assert ("timeout" if failure == "timeout" else f"HTTP {failure}") in caught.value.reason
    assert not await schema_exists(conn, "run_f1")
