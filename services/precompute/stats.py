"""Statistics readers need: totals, match types, per-operator figures, problem counts."""

from __future__ import annotations

from typing import Any

import asyncpg


async def _rows(conn: asyncpg.Connection, sql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(sql)]


async def compute_stats(
    conn: asyncpg.Connection,
    schema: str,
    problem_counts: dict[str, Any],
    preprocess: dict[str, Any],
) -> dict[str, Any]:
    """Aggregate one run's results (reads the run's schema; SRID 4326 throughout)."""
    s = f'"{schema}"'
    totals = dict(
        await conn.fetchrow(
            f"""SELECT (SELECT count(*) FROM {s}.atlas_stops) AS atlas_stops,
                   (SELECT count(*) FROM {s}.osm_elements WHERE kind <> 'station') AS osm_elements,
                   (SELECT count(*) FROM {s}.matches) AS matches,
                   (SELECT count(DISTINCT sloid) FROM {s}.matches) AS matched_atlas,
                   (SELECT count(*) FROM {s}.unmatched WHERE side = 'atlas') AS unmatched_atlas,
                   (SELECT count(*) FROM {s}.unmatched WHERE side = 'osm') AS unmatched_osm"""
        )
    )
    match_types = {
        r["match_type"]: r["n"]
        for r in await conn.fetch(
            f"SELECT match_type, count(*) AS n FROM {s}.matches GROUP BY 1 ORDER BY 1"
        )
    }
    operators = await _rows(
        conn,
        f"""
        SELECT coalesce(a.operator, '(none)') AS operator, count(*) AS stops,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {s}.matches m WHERE m.sloid = a.sloid)) AS matched
        FROM {s}.atlas_stops a GROUP BY 1 ORDER BY stops DESC, operator""",
    )
    return {
        "totals": totals,
        "match_types": match_types,
        "operators": operators,
        "problems": problem_counts,
        "filter_counts": preprocess.get("filter_counts", {}),
        "preprocess": preprocess,
    }
