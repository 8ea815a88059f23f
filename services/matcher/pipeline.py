"""Matching one staged run: read its frames, run the engine, COPY the results into its schema."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Awaitable, Callable

import polars as pl

from matcher.engine import MatchResult, match
from matcher.offline import summarize

Report = Callable[[str, int, int], Awaitable[None]]

# Result tables of a run schema; the DDL lives in code because run schemas are not migrated.
# Evidence stays text (JSON): staging.load_frames reads every table of the schema back, and it
# knows only the plain column types.
TABLES = {
    "matches": (
        "sloid text NOT NULL, osm_id text NOT NULL, match_type text NOT NULL, "
        "distance_m double precision, confidence double precision, evidence text"
    ),
    "unmatched": "side text NOT NULL, id text NOT NULL, isolated boolean NOT NULL",
    "osm_units": "osm_id text NOT NULL, unit_id bigint NOT NULL, unit_kind text NOT NULL",
    "route_matches": (
        "level text NOT NULL, osm_relation_id bigint, gtfs_route_id text, "
        "gtfs_itinerary_id bigint, method text, score double precision"
    ),
}
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def quoted(schema: str) -> str:
    """A schema name checked against injection and double-quoted."""
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"not a run schema name: {schema!r}")
    return f'"{schema}"'


def engine_inputs(frames: dict[str, pl.DataFrame]) -> dict:
    """Map staged table frames onto the engine's arguments."""
    gtfs = {k: frames.get(f"gtfs_{k}") for k in ("stops", "routes", "itineraries", "itinerary_stops")}
    return {
        "atlas_stops": frames["atlas_stops"],
        "osm_elements": frames["osm_elements"],
        "gtfs": gtfs if gtfs["routes"] is not None else None,
        "osm_routes": frames.get("osm_routes"),
        "osm_route_stops": frames.get("osm_route_stops"),
    }


async def write_results(conn, schema: str, result: MatchResult) -> None:
    """(Re)create the result tables and fill them with COPY (idempotent on redelivery)."""
    frames = {
        "matches": result.matches,
        "unmatched": result.unmatched,
        "osm_units": result.osm_units,
        "route_matches": result.route_matches,
    }
    q = quoted(schema)
    for table, columns in TABLES.items():
        await conn.execute(f"DROP TABLE IF EXISTS {q}.{table}; CREATE TABLE {q}.{table} ({columns})")
        frame = frames[table]
        if frame is None or frame.is_empty():
            continue
        await conn.copy_records_to_table(
            table, schema_name=schema, columns=frame.columns, records=frame.iter_rows()
        )


MANUAL_SCHEMA = {"sloid": pl.String, "osm_id": pl.String, "action": pl.String}


async def load_manual(conn) -> pl.DataFrame | None:
    """Users' manual decisions (curation.manual_matches), one row per OSM id; None without them."""
    if await conn.fetchval("SELECT to_regclass('curation.manual_matches')") is None:
        return None
    rows = await conn.fetch(
        "SELECT sloid, unnest(osm_ids) AS osm_id, action FROM curation.manual_matches "
        "ORDER BY sloid, osm_id, action"
    )
    return pl.DataFrame([tuple(r) for r in rows], schema=MANUAL_SCHEMA, orient="row")


async def match_run(
    conn, schema: str, profile: str, report: Report, manual: pl.DataFrame | None = None
) -> dict:
    """Match the run staged in `schema`, store the results there, and return the summary.

    Users' manual decisions come from curation.manual_matches unless `manual` is given."""
    from preprocess.staging import load_frames

    quoted(schema)  # refuse a bad name before any work
    await report("loading staged frames", 0, 1)
    staged = load_frames(conn, schema)
    inputs = engine_inputs(await staged if inspect.isawaitable(staged) else staged)
    if manual is None:
        manual = await load_manual(conn)
    loop = asyncio.get_running_loop()

    def on_stage(name: str, done: int, total: int) -> None:
        """Forward one stage's progress to the async report."""
        # The engine runs in a worker thread; progress hops back onto the event loop.
        asyncio.run_coroutine_threadsafe(report(f"matching: {name}", done, total), loop)

    result = await asyncio.to_thread(match, **inputs, profile=profile, manual=manual, on_stage=on_stage)
    await report("writing results", 0, 1)
    await write_results(conn, schema, result)
    await report("matching done", 1, 1)
    return summarize(result, profile, None)
