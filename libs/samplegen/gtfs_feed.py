"""Write gtfs.zip: agency, calendar, routes, stops, trips and stop_times (streamed in chunks)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import polars as pl

from samplegen.gtfs_trips import Patterns

_CHUNK_TRIPS = 100_000  # about 1.5 M stop_times per chunk keeps memory flat at any feed size
_STAMP = (2025, 1, 1, 0, 0, 0)  # fixed member dates: same seed, same bytes
_SERVICES = pl.DataFrame(
    {
        "service_id": ["TA+b0001", "TA+b0002", "TA+b0003"],
        "monday": [1, 1, 0],
        "tuesday": [1, 1, 0],
        "wednesday": [1, 1, 0],
        "thursday": [1, 1, 0],
        "friday": [1, 1, 0],
        "saturday": [1, 0, 1],
        "sunday": [1, 0, 1],
        "start_date": "20241215",
        "end_date": "20251213",
    }
)
_ROUTE_TYPE = {"bus": 700, "tram": 900, "train": 106, "ferry": 1000, "aerialway": 1300}


def _member(zf: zipfile.ZipFile, name: str, level: int) -> zipfile.ZipInfo:
    """A zip member header with a fixed timestamp (deterministic output)."""
    info = zipfile.ZipInfo(name, date_time=_STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    # Python 3.11 has no public per-member level for ZipFile.open(info, "w"); 3.13 aliases this
    info._compresslevel = level
    info.external_attr = 0o644 << 16
    return info


def _write_small(zf: zipfile.ZipFile, name: str, frame: pl.DataFrame) -> None:
    """Write a whole table as one member."""
    buf = io.BytesIO()
    frame.write_csv(buf)
    zf.writestr(_member(zf, name, 6), buf.getvalue())


def routes_table(lines: pl.DataFrame, route_ids: pl.Series, ops: pl.DataFrame) -> pl.DataFrame:
    """routes.txt rows."""
    tab = lines.with_columns(route_id=route_ids).join(
        ops.select("op_id", "number"), on="op_id", how="left", maintain_order="left"
    )
    return tab.select(
        "route_id",
        agency_id=pl.col("number"),
        route_short_name=pl.col("ref"),
        route_long_name=pl.lit(None, pl.Utf8),
        route_desc=pl.col("mode"),
        route_type=pl.col("mode").replace_strict(_ROUTE_TYPE, return_dtype=pl.Int32),
    )


def agency_table(ops: pl.DataFrame) -> pl.DataFrame:
    """agency.txt rows for every business organisation."""
    return ops.select(
        agency_id=pl.col("number"),
        agency_name=pl.col("desc_de"),
        agency_url=pl.lit("https://www.sbb.ch"),
        agency_timezone=pl.lit("Europe/Zurich"),
        agency_lang=pl.lit("DE"),
        agency_phone=pl.lit("0848 44 66 88"),
    )


def _trip_ids(pats: pl.DataFrame, trips: pl.DataFrame) -> pl.Series:
    """Swiss trip ids: <n>.TA.<route_id>.<variant>.<H|R>."""
    t = trips.select("pattern", "number").join(
        pats.select(pl.col("pattern_id").cast(pl.Int64).alias("pattern"), "route_id", "variant", "direction"),
        on="pattern",
        how="left",
        maintain_order="left",
    )
    return t.select(pl.format("{}.TA.{}.{}.{}", "number", "route_id", "variant", "direction")).to_series()


def _trips_chunk(p: Patterns, trips: pl.DataFrame) -> pl.DataFrame:
    """trips.txt rows of a chunk of trips."""
    tab = p.table.select("route_id", "headsign", "direction")
    idx = trips["pattern"].to_numpy()
    return pl.DataFrame(
        {
            "route_id": tab["route_id"].gather(idx),
            "service_id": _SERVICES["service_id"].gather(trips["service"].to_numpy()),
            "trip_id": _trip_ids(p.table, trips),
            "trip_headsign": tab["headsign"].gather(idx),
            "direction_id": (tab["direction"].gather(idx) == "R").cast(pl.Int8),
        }
    )


def _hms(seconds: pl.Expr) -> pl.Expr:
    """GTFS time of day, hours may pass 24."""
    two = [(x).cast(pl.Utf8).str.zfill(2) for x in (seconds // 3600, (seconds // 60) % 60, seconds % 60)]
    return pl.format("{}:{}:{}", *two)


def _stop_times_chunk(p: Patterns, trips: pl.DataFrame, stop_ids: pl.Series) -> pl.DataFrame:
    """stop_times.txt rows of a chunk of trips, built with array arithmetic only."""
    pattern = trips["pattern"].to_numpy()
    lens = p.length[pattern]
    row_trip = np.repeat(np.arange(len(pattern)), lens)
    seq = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    flat = p.offset[pattern][row_trip] + seq
    arrive = trips["start"].to_numpy()[row_trip] + p.elapsed[flat]
    frame = pl.DataFrame(
        {
            "trip_id": _trip_ids(p.table, trips).gather(row_trip),
            "t": arrive,
            "stop_id": stop_ids.gather(p.stop_code[flat]),
            "stop_sequence": seq + 1,
        }
    )
    return frame.select(
        "trip_id",
        arrival_time=_hms(pl.col("t")),
        departure_time=_hms(pl.col("t")),
        stop_id=pl.col("stop_id"),
        stop_sequence=pl.col("stop_sequence"),
        pickup_type=pl.lit(0),
        drop_off_type=pl.lit(0),
    )


def _stream(zf: zipfile.ZipFile, name: str, trips: pl.DataFrame, make, progress) -> int:
    """Write a big member chunk by chunk; returns rows written."""
    rows = 0
    with zf.open(_member(zf, name, 1), "w", force_zip64=True) as out:
        for start in range(0, max(trips.height, 1), _CHUNK_TRIPS):
            chunk = make(trips.slice(start, _CHUNK_TRIPS))
            chunk.write_csv(out, include_header=start == 0)
            rows += chunk.height
            progress(name, min(start + _CHUNK_TRIPS, trips.height), trips.height)
    return rows


def write_gtfs(
    path: Path,
    tables: dict[str, pl.DataFrame],
    p: Patterns,
    trips: pl.DataFrame,
    stops: pl.DataFrame,
    progress,
) -> dict[str, int]:
    """Write the zip; returns row counts per member."""
    stop_ids = stops["stop_id"]
    with zipfile.ZipFile(path, "w", allowZip64=True) as zf:
        for name, frame in tables.items():
            _write_small(zf, name, frame)
        _write_small(zf, "calendar.txt", _SERVICES)
        _write_small(zf, "stops.txt", stops.drop("pl_id"))
        n_trips = _stream(zf, "trips.txt", trips, lambda t: _trips_chunk(p, t), progress)
        n_times = _stream(zf, "stop_times.txt", trips, lambda t: _stop_times_chunk(p, t, stop_ids), progress)
    return {"gtfs_stops": stops.height, "gtfs_trips": n_trips, "gtfs_stop_times": n_times}
