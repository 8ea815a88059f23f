"""The run's staging schema in PostGIS: DDL from the frames, COPY in, COPY out."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import asyncpg
import polars as pl

RUN_SCHEMA = re.compile(r"^run_[0-9a-f]{1,64}$")
NULL = r"\N"  # COPY's NULL marker, so that empty strings stay empty strings
SQL_TYPES = {
    pl.String: "text",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Float64: "double precision",
    pl.Boolean: "boolean",
    pl.UInt32: "bigint",
}
POLARS_TYPES = {
    "text": pl.String,
    "bigint": pl.Int64,
    "integer": pl.Int32,
    "double precision": pl.Float64,
    "boolean": pl.Boolean,
}
KEY_INDEXES = {  # lookups the matcher and precompute make by id
    "atlas_stops": ("sloid", "uic"),
    "osm_elements": ("osm_id", "uic_ref"),
    "osm_route_stops": ("relation_id",),
    "gtfs_stops": ("stop_id", "sloid"),
    "gtfs_itinerary_stops": ("itinerary_id",),
}


def check_schema_name(schema: str) -> str:
    """Only `run_<hex>` names are accepted: they are interpolated into DDL."""
    if not RUN_SCHEMA.match(schema):
        raise ValueError(f"not a run schema name: {schema!r}")
    return schema


async def create_run_schema(conn: asyncpg.Connection, schema: str) -> None:
    """Create the empty schema (fails if it already exists: runs never share one)."""
    await conn.execute(f'CREATE SCHEMA "{check_schema_name(schema)}"')


async def drop_run_schema(conn: asyncpg.Connection, schema: str) -> None:
    """Drop the schema and everything in it; a no-op when it is not there."""
    await conn.execute(f'DROP SCHEMA IF EXISTS "{check_schema_name(schema)}" CASCADE')


def table_ddl(schema: str, table: str, frame: pl.DataFrame) -> str:
    """CREATE TABLE; lon/lat tables get a generated Point geometry in EPSG:4326."""
    cols = [f'"{name}" {SQL_TYPES[dtype.base_type()]}' for name, dtype in frame.schema.items()]
    if has_point(frame):
        cols.append(
            "geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
        )
    return f'CREATE TABLE "{schema}"."{table}" ({", ".join(cols)})'


def index_ddl(schema: str, table: str, frame: pl.DataFrame) -> list[str]:
    """A GiST index on the geometry and B-tree indexes on the ids the later phases look up."""
    qualified = f'"{schema}"."{table}"'
    statements = [f"CREATE INDEX ON {qualified} USING gist (geom)"] if has_point(frame) else []
    keys = [c for c in KEY_INDEXES.get(table, ()) if c in frame.columns]
    return statements + [f'CREATE INDEX ON {qualified} ("{c}")' for c in keys]


def analyze_ddl(schema: str, table: str, frame: pl.DataFrame) -> str:
    """ANALYZE only the columns queries filter or join on: wide text (tags JSON) costs seconds."""
    columns = [c for c in KEY_INDEXES.get(table, ()) if c in frame.columns]
    if has_point(frame):
        columns.append("geom")
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'ANALYZE "{schema}"."{table}" ({quoted})' if columns else f'ANALYZE "{schema}"."{table}"'


def has_point(frame: pl.DataFrame) -> bool:
    """Frames with lon and lat become tables with a point geometry."""
    return {"lon", "lat"} <= set(frame.columns)


async def stage_frames(
    conn: asyncpg.Connection, schema: str, frames: Mapping[str, pl.DataFrame]
) -> dict[str, int]:
    """Create one table per frame, COPY it in, then index and analyze it; returns row counts."""
    check_schema_name(schema)
    for table, frame in frames.items():
        await conn.execute(table_ddl(schema, table, frame))
        if frame.height:
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value=NULL)
            buffer.seek(0)
            await conn.copy_to_table(
                table, source=buffer, schema_name=schema, columns=frame.columns, format="csv", null=NULL
            )
        # Indexes built after the load are bulk builds, far faster than row-by-row maintenance.
        for statement in index_ddl(schema, table, frame):
            await conn.execute(statement)
        await conn.execute(analyze_ddl(schema, table, frame))
    return {table: frame.height for table, frame in frames.items()}


async def load_frames(conn: asyncpg.Connection, schema: str) -> dict[str, pl.DataFrame]:
    """Read every staged table back into a frame (without the derived geom column)."""
    rows = await conn.fetch(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = $1 AND column_name <> 'geom' ORDER BY table_name, ordinal_position",
        check_schema_name(schema),
    )
    layout: dict[str, dict[str, pl.DataType]] = {}
    for row in rows:
        layout.setdefault(row["table_name"], {})[row["column_name"]] = POLARS_TYPES[row["data_type"]]
    return {table: await _read_table(conn, schema, table, cols) for table, cols in layout.items()}


async def _read_table(
    conn: asyncpg.Connection, schema: str, table: str, columns: dict[str, pl.DataType]
) -> pl.DataFrame:
    """COPY one table out as CSV and parse it with the types it was staged with."""
    buffer = io.BytesIO()
    await conn.copy_from_table(
        table,
        schema_name=schema,
        columns=list(columns),
        output=buffer,
        format="csv",
        header=True,
        null=NULL,
        force_quote=True,
    )
    # Every value is quoted on the way out, so that an empty string differs from NULL (\N).
    text_schema = {name: pl.String for name in columns}
    frame = pl.read_csv(buffer.getvalue(), schema=text_schema, null_values=NULL)
    # Postgres writes booleans as t/f, which polars does not parse itself.
    return (
        frame.with_columns(
            (pl.col(n) == "t") if t == pl.Boolean else pl.col(n).cast(t) for n, t in columns.items()
        )
        if frame.height
        else pl.DataFrame(schema=columns)
    )
