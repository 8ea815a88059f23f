"""One preprocess run: fetch, parse (reusing cached stages), and stage into the run's schema."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import polars as pl
from common.settings import SourceSettings

from preprocess.atlas import read_atlas
from preprocess.boundary import load_boundary
from preprocess.cache import StageCache, product_hash, stage_key
from preprocess.errors import SourceError
from preprocess.fetch import download
from preprocess.freshness import SourceProbe, file_hash, is_unchanged, load_probes, probe, save_probes
from preprocess.gtfs import ParsedGtfs, parse_gtfs, resolve
from preprocess.osm import read_osm
from preprocess.staging import create_run_schema, drop_run_schema, stage_frames

Report = Callable[[str, int, int], Awaitable[None]]
SOURCES = ("atlas", "gtfs", "osm", "boundary")
STEPS = 5


@dataclass
class _Run:
    """What one run carries between its steps."""

    sources: SourceSettings
    run_type: str
    today: date
    cache: StageCache
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    @property
    def reuse_latest(self) -> bool:
        """Static sources are unchanged: take the latest cached products without downloading."""
        return self.run_type in ("atlas_cached", "bootstrap")

    async def fetch(self, name: str) -> Path:
        """Download (or locate) one source into the cache's raw folder."""
        url = getattr(self.sources, f"{name}_url")
        return await download(
            url,
            self.sources.cache_dir / "raw",
            source=name,
            timeout=self.sources.http_timeout_seconds,
            retries=self.sources.http_retries,
        )


async def preprocess_run(
    conn: asyncpg.Connection,
    sources: SourceSettings,
    schema: str,
    run_type: str,
    report: Report,
    *,
    today: date | None = None,
) -> dict:
    """Parse all sources into `schema`; on any failure the schema is dropped and the error raised."""
    run = _Run(sources, run_type, today or date.today(), StageCache(sources.cache_dir))
    timings: dict[str, float] = {}
    try:
        for done, (name, step) in enumerate((("atlas", _atlas_step), ("gtfs", _gtfs_step))):
            await report(f"preprocess: {name}", done, STEPS)
            timings[name] = await _timed(step(run))
        await report("preprocess: osm and staging", 2, STEPS)
        async with conn.transaction():  # one commit: the schema appears whole or not at all
            timings.update(await _stage_while_osm_parses(conn, schema, run, report))
        await report("preprocess: staged", STEPS, STEPS)
    except BaseException:
        await drop_run_schema(conn, schema)  # no partial staging is ever left behind
        raise
    return {"run_type": run_type, "schema": schema, "timings": timings, **run.summary}


async def _stage_while_osm_parses(
    conn: asyncpg.Connection, schema: str, run: _Run, report: Report
) -> dict[str, float]:
    """Parse OSM in a thread while Postgres loads the static frames: two cores, both busy."""
    static = dict(run.frames)  # taken before the OSM task can add its frames
    osm = asyncio.create_task(_timed(_osm_step(run)))
    try:
        started = time.perf_counter()
        await create_run_schema(conn, schema)
        rows = await stage_frames(conn, schema, static)
        static_seconds = time.perf_counter() - started
        osm_seconds = await osm
    except BaseException:
        osm.cancel()
        raise
    await report("preprocess: staging osm", 4, STEPS)
    started = time.perf_counter()
    osm_frames = {name: frame for name, frame in run.frames.items() if name not in static}
    rows.update(await stage_frames(conn, schema, osm_frames))
    run.summary["rows"] = rows
    return {"osm": osm_seconds, "staging": round(static_seconds + time.perf_counter() - started, 3)}


async def _timed(step: Awaitable[None]) -> float:
    """Await a step and return its wall time in seconds."""
    started = time.perf_counter()
    await step
    return round(time.perf_counter() - started, 3)


async def _through_cache(
    run: _Run,
    stage: str,
    inputs: Callable[[], Awaitable[tuple[str, Any]]],
    compute: Callable[[Any], tuple[dict[str, pl.DataFrame], dict]],
    *,
    may_reuse_latest: bool,
) -> tuple[dict[str, pl.DataFrame], dict]:
    """Products of one stage: the latest cached ones when allowed, else by key, else computed."""
    hits = run.summary.setdefault("cache_hits", {})
    cached = run.cache.load(stage) if may_reuse_latest and run.reuse_latest else None
    if cached is None:
        key, argument = await inputs()
        cached = run.cache.load(stage, key)
        if cached is None:
            hits[stage] = False
            frames, meta = await asyncio.to_thread(compute, argument)
            run.cache.store(stage, key, frames, meta)
            return frames, meta
    hits[stage] = True
    return cached


async def _atlas_step(run: _Run) -> None:
    """ATLAS products keyed by the file, the boundary and the date (validity depends on it)."""

    async def inputs() -> tuple[str, Any]:
        boundary = load_boundary(await run.fetch("boundary"))
        path = await run.fetch("atlas")
        digest = await asyncio.to_thread(file_hash, path)
        return stage_key(digest, boundary.digest, run.today.isoformat()), (path, boundary)

    def compute(argument: Any) -> tuple[dict[str, pl.DataFrame], dict]:
        result = read_atlas(argument[0], argument[1], run.today)
        meta = {
            "raw_rows": result.raw_rows,
            "filter_counts": result.filter_counts,
            "duplicate_groups": result.duplicate_groups,
        }
        return {"atlas_stops": result.stops}, meta

    frames, meta = await _through_cache(run, "atlas", inputs, compute, may_reuse_latest=True)
    run.frames["atlas_stops"] = frames["atlas_stops"]
    run.summary["atlas"] = meta


async def _gtfs_step(run: _Run) -> None:
    """GTFS parsed products keyed by the zip's hash; identity keyed by both stages' products."""

    async def parsed_inputs() -> tuple[str, Any]:
        path = await run.fetch("gtfs")
        return stage_key(await asyncio.to_thread(file_hash, path)), path

    parsed, parsed_meta = await _through_cache(
        run, "gtfs_parsed", parsed_inputs, _parse_gtfs_stage, may_reuse_latest=True
    )
    resolved = await _identity_step(run, parsed)
    run.frames.update(
        {
            "gtfs_stops": resolved["gtfs_stops"],
            "gtfs_routes": parsed["routes"],
            "gtfs_itineraries": parsed["itineraries"],
            "gtfs_itinerary_stops": resolved["gtfs_itinerary_stops"],
        }
    )
    run.summary["gtfs"] = parsed_meta


async def _identity_step(run: _Run, parsed: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """GTFS stops resolved to sloids, redone only when either product (ATLAS, GTFS) changed."""

    async def inputs() -> tuple[str, Any]:
        manifests = (run.cache.manifest("gtfs_parsed"), run.cache.manifest("atlas"))
        return stage_key(*(product_hash(m) for m in manifests if m)), None

    def identity(_: Any) -> tuple[dict[str, pl.DataFrame], dict]:
        result = resolve(ParsedGtfs(**parsed), run.frames["atlas_stops"])
        return {"gtfs_stops": result.stops, "gtfs_itinerary_stops": result.itinerary_stops}, {}

    resolved, _ = await _through_cache(run, "gtfs_identity", inputs, identity, may_reuse_latest=False)
    return resolved


def _parse_gtfs_stage(path: Path) -> tuple[dict[str, pl.DataFrame], dict]:
    """The `parsed GTFS` stage: frames plus how many trips and stop times were read."""
    parsed = parse_gtfs(path)
    return parsed.frames(), parsed.counts


async def _osm_step(run: _Run) -> None:
    """OSM is fetched and parsed on every run: it is the side that changes daily."""
    result = await asyncio.to_thread(read_osm, await run.fetch("osm"))
    run.frames.update(
        {"osm_elements": result.elements, "osm_routes": result.routes, "osm_route_stops": result.route_stops}
    )


async def probe_sources(sources: SourceSettings, state_dir: Path) -> dict[str, dict]:
    """Per source: `changed` since the last remembered success, plus the probe's validators."""
    old = load_probes(Path(state_dir))
    result: dict[str, dict] = {}
    for name in SOURCES:
        new = await probe(
            getattr(sources, f"{name}_url"),
            source=name,
            timeout=sources.http_timeout_seconds,
            retries=sources.http_retries,
        )
        result[name] = {"changed": not is_unchanged(old.get(name), new), **new.to_dict()}
    return result


def remember_probe(state_dir: Path, probed: dict[str, dict]) -> None:
    """Store the probes of a run that succeeded, so that the next probe compares against them."""
    save_probes(Path(state_dir), {name: SourceProbe.from_dict(p) for name, p in probed.items()})


__all__ = ["SourceError", "preprocess_run", "probe_sources", "remember_probe"]
