"""Published data: stats, stops and OSM elements by viewport, matches, problems, search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from api.snapshot import live_reader
from api.state import AppState, app_state

router = APIRouter(tags=["data"])
State = Annotated[AppState, Depends(app_state)]
Limit = Annotated[int, Query(ge=1, le=5000)]


def parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    """`minlon,minlat,maxlon,maxlat` in WGS84 degrees."""
    try:
        w, s, e, n = (float(v) for v in bbox.split(","))
    except ValueError as exc:
        raise HTTPException(422, "bbox must be minlon,minlat,maxlon,maxlat") from exc
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise HTTPException(422, "bbox is empty or out of range")
    return w, s, e, n


@router.get("/api/stats")
async def stats(state: State) -> dict[str, Any]:
    """Global and per-operator figures of the live snapshot."""
    async with live_reader(state) as r:
        doc = await r.conn.fetchval(f"SELECT doc FROM {r.s}.stats")
        return {"snapshot": r.schema, **doc}


@router.get("/api/stops")
async def stops(state: State, bbox: str, limit: Limit = 2000) -> dict[str, Any]:
    """Official stops in a viewport (SRID 4326 envelope) with their match state, as GeoJSON."""
    w, s, e, n = parse_bbox(bbox)
    async with live_reader(state) as r:
        rows = await r.conn.fetch(
            f"""SELECT a.sloid, a.uic, a.designation, a.designation_official, a.operator, a.lon, a.lat,
                       m.match_type, m.osm_id, m.distance_m, m.confidence
                FROM {r.s}.atlas_stops a
                LEFT JOIN LATERAL (SELECT * FROM {r.s}.matches m WHERE m.sloid = a.sloid
                                   ORDER BY m.distance_m LIMIT 1) m ON true
                WHERE a.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
                ORDER BY a.sloid LIMIT $5""",
            w,
            s,
            e,
            n,
            limit,
        )
    return _features(rows)


@router.get("/api/osm")
async def osm(state: State, bbox: str, limit: Limit = 2000) -> dict[str, Any]:
    """OSM elements in a viewport, with whether they are matched, as GeoJSON."""
    w, s, e, n = parse_bbox(bbox)
    async with live_reader(state) as r:
        rows = await r.conn.fetch(
            f"""SELECT o.osm_id, o.kind, o.name, o.uic_ref, o.local_ref, o.lon, o.lat,
                       EXISTS (SELECT 1 FROM {r.s}.matches m WHERE m.osm_id = o.osm_id) AS matched
                FROM {r.s}.osm_elements o
                WHERE o.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
                ORDER BY o.osm_id LIMIT $5""",
            w,
            s,
            e,
            n,
            limit,
        )
    return _features(rows)


@router.get("/api/stops/{sloid}")
async def stop(state: State, sloid: str) -> dict[str, Any]:
    """One official stop with its matches and problems."""
    async with live_reader(state) as r:
        row = await r.conn.fetchrow(f"SELECT * FROM {r.s}.atlas_stops WHERE sloid = $1", sloid)
        if row is None:
            raise HTTPException(404, f"no official stop {sloid}")
        matches = await r.conn.fetch(
            f"SELECT m.*, o.name, o.kind, o.lon AS osm_lon, o.lat AS osm_lat FROM {r.s}.matches m "
            f"JOIN {r.s}.osm_elements o USING (osm_id) WHERE m.sloid = $1 ORDER BY m.distance_m",
            sloid,
        )
        problems = await r.conn.fetch(f"SELECT * FROM {r.s}.problems WHERE sloid = $1", sloid)
    stop_doc = {k: v for k, v in dict(row).items() if k != "geom"}
    return {
        "stop": stop_doc,
        "matches": [dict(m) for m in matches],
        "problems": [dict(p) for p in problems],
    }


@router.get("/api/matches")
async def matches(
    state: State,
    match_type: str | None = None,
    limit: Limit = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Matched pairs, optionally of one match type."""
    async with live_reader(state) as r:
        rows = await r.conn.fetch(
            f"SELECT sloid, osm_id, match_type, distance_m, confidence FROM {r.s}.matches "
            "WHERE $1::text IS NULL OR match_type = $1 ORDER BY sloid, osm_id LIMIT $2 OFFSET $3",
            match_type,
            limit,
            offset,
        )
        total = await r.conn.fetchval(
            f"SELECT count(*) FROM {r.s}.matches WHERE $1::text IS NULL OR match_type = $1",
            match_type,
        )
    return {"total": total, "items": [dict(x) for x in rows]}


@router.get("/api/problems")
async def problems(
    state: State,
    problem_type: str | None = None,
    priority: Annotated[int | None, Query(ge=1, le=3)] = None,
    limit: Limit = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Detected problems, most severe first."""
    where = "($1::text IS NULL OR problem_type = $1) AND ($2::int IS NULL OR priority = $2)"
    async with live_reader(state) as r:
        rows = await r.conn.fetch(
            f"SELECT * FROM {r.s}.problems WHERE {where} ORDER BY priority, problem_type, problem_id "
            "LIMIT $3 OFFSET $4",
            problem_type,
            priority,
            limit,
            offset,
        )
        total = await r.conn.fetchval(
            f"SELECT count(*) FROM {r.s}.problems WHERE {where}", problem_type, priority
        )
    return {"total": total, "items": [dict(x) for x in rows]}


@router.get("/api/search")
async def search(state: State, q: Annotated[str, Query(min_length=2)], limit: Limit = 20) -> dict[str, Any]:
    """Official stops by name (trigram similarity), sloid or UIC."""
    async with live_reader(state) as r:
        rows = await r.conn.fetch(
            f"""SELECT sloid, uic, designation, designation_official, lon, lat,
                       similarity(designation_official, $1) AS score
                FROM {r.s}.atlas_stops
                WHERE designation_official % $1 OR sloid = $1 OR uic::text = $1
                ORDER BY score DESC, sloid LIMIT $2""",
            q,
            limit,
        )
    return {"items": [dict(x) for x in rows]}


def _features(rows: list[Any]) -> dict[str, Any]:
    feats = []
    for row in rows:
        props = {k: v for k, v in dict(row).items() if k not in ("lon", "lat")}
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": feats}
