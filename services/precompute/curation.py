"""Users' curation during publication: manual decisions for the matcher, and per-run reconciliation."""

from __future__ import annotations

from typing import Any

import asyncpg
import polars as pl

# A problem's fingerprint: its priority band and details. jsonb's text form is canonical (keys
# sorted, whitespace normalized), so the same problem hashes the same in every run.
FINGERPRINT_SQL = "md5({p}.priority::text || '|' || {p}.details::text)"

MANUAL_SCHEMA = {"sloid": pl.String, "osm_id": pl.String, "action": pl.String}


async def manual_frame(conn: asyncpg.Connection) -> pl.DataFrame:
    """Manual decisions, one row per (sloid, osm_id); the newest decision on a pair wins."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (m.sloid, o.osm_id) m.sloid, o.osm_id, m.action
           FROM curation.manual_matches m CROSS JOIN LATERAL unnest(m.osm_ids) AS o(osm_id)
           ORDER BY m.sloid, o.osm_id, m.updated_at DESC, m.id"""
    )
    return pl.DataFrame([tuple(r) for r in rows], schema=MANUAL_SCHEMA, orient="row")


def _quoted(schema: str) -> str:
    if '"' in schema:
        raise ValueError(f"bad schema name {schema!r}")
    return f'"{schema}"'


async def _attach_solutions(conn: asyncpg.Connection, s: str, run_id: str) -> dict[str, int]:
    """Re-attach solutions to their problem_id; flag the changed and the reappeared for review."""
    fp = FINGERPRINT_SQL.format(p="p")
    rows = await conn.fetch(
        f"""WITH cur AS (
              SELECT c.problem_id, p.problem_type, p.sloid, p.osm_node_id, p.priority, {fp} AS fp,
                     c.fingerprint IS NOT NULL AND c.fingerprint <> {fp} AS changed,
                     c.resolved_since_run_id AS resolved_since, c.last_priority AS old_priority
              FROM curation.solutions c JOIN {s}.problems p USING (problem_id))
            UPDATE curation.solutions c
            SET last_seen_run_id = $1, problem_type = cur.problem_type, sloid = cur.sloid,
                osm_node_id = cur.osm_node_id, last_priority = cur.priority, fingerprint = cur.fp,
                resolved_since_run_id = NULL,
                needs_review = c.needs_review OR cur.changed OR cur.resolved_since IS NOT NULL,
                review_reason = CASE
                  WHEN cur.resolved_since IS NOT NULL
                    THEN 'reappeared after being resolved since run ' || cur.resolved_since
                  WHEN cur.changed AND cur.old_priority IS DISTINCT FROM cur.priority
                    THEN 'priority P' || cur.old_priority || ' -> P' || cur.priority
                  WHEN cur.changed THEN 'details changed'
                  ELSE c.review_reason END
            FROM cur WHERE cur.problem_id = c.problem_id
            RETURNING cur.changed, cur.resolved_since IS NOT NULL AS reappeared""",
        run_id,
    )
    return {
        "solutions_attached": len(rows),
        "solutions_changed": sum(r["changed"] for r in rows),
        "solutions_reappeared": sum(r["reappeared"] for r in rows),
    }


async def _resolve_gone(conn: asyncpg.Connection, s: str, run_id: str) -> dict[str, int]:
    """Mark solutions whose problem is gone as resolved since this run (kept, never deleted)."""
    newly = await conn.fetchval(
        f"""WITH gone AS (
              UPDATE curation.solutions c SET resolved_since_run_id = $1
              WHERE c.resolved_since_run_id IS NULL
                AND NOT EXISTS (SELECT 1 FROM {s}.problems p WHERE p.problem_id = c.problem_id)
              RETURNING 1)
            SELECT count(*) FROM gone""",
        run_id,
    )
    total = await conn.fetchval(
        "SELECT count(*) FROM curation.solutions WHERE resolved_since_run_id IS NOT NULL"
    )
    return {"solutions_resolved_now": newly, "solutions_resolved": total}


async def _flag_orphans(conn: asyncpg.Connection, s: str, run_id: str) -> dict[str, int]:
    """Flag manual matches whose sloid or OSM ids are gone as orphaned; clear those that are back."""
    # Set-based anti-joins (hashable at any size), and only rows whose state changes are written.
    row = await conn.fetchrow(
        f"""WITH ids AS (
              SELECT mm.id, o.osm_id, o.n FROM curation.manual_matches mm,
                     unnest(mm.osm_ids) WITH ORDINALITY AS o(osm_id, n)),
            gone AS (
              SELECT ids.id, array_agg(ids.osm_id ORDER BY ids.n) AS osm_ids FROM ids
              WHERE NOT EXISTS (SELECT 1 FROM {s}.osm_elements e WHERE e.osm_id = ids.osm_id)
              GROUP BY ids.id),
            f AS (
              SELECT mm.id, mm.orphaned AS was, a.sloid IS NULL OR g.id IS NOT NULL AS now,
                     jsonb_build_object('sloid', a.sloid IS NULL,
                                        'osm_ids', to_jsonb(coalesce(g.osm_ids, '{{}}'::text[]))) AS what
              FROM curation.manual_matches mm
              LEFT JOIN {s}.atlas_stops a ON a.sloid = mm.sloid
              LEFT JOIN gone g ON g.id = mm.id),
            up AS (
              UPDATE curation.manual_matches mm
              SET orphaned = f.now,
                  orphaned_since_run_id = CASE WHEN f.now THEN coalesce(mm.orphaned_since_run_id, $1) END,
                  missing = CASE WHEN f.now THEN f.what ELSE '{{}}'::jsonb END
              FROM f WHERE f.id = mm.id
                AND (mm.orphaned <> f.now OR mm.missing <> CASE WHEN f.now THEN f.what ELSE '{{}}'::jsonb END)
              RETURNING 1)
            SELECT count(*) FILTER (WHERE now) AS orphaned,
                   count(*) FILTER (WHERE now AND NOT was) AS orphaned_now,
                   count(*) FILTER (WHERE was AND NOT now) AS restored,
                   (SELECT count(*) FROM up) AS written
            FROM f""",
        run_id,
    )
    return {
        "manual_orphaned": row["orphaned"],
        "manual_orphaned_now": row["orphaned_now"],
        "manual_restored": row["restored"],
    }


async def reconcile(conn: asyncpg.Connection, *, snap_schema: str, run_id: str) -> dict[str, Any]:
    """Bring the curation's per-run state in line with a new snapshot; returns counts."""
    s = _quoted(snap_schema)
    counts: dict[str, Any] = {}
    async with conn.transaction():  # a savepoint inside the caller's swap transaction
        counts |= await _attach_solutions(conn, s, run_id)
        counts |= await _resolve_gone(conn, s, run_id)
        counts |= await _flag_orphans(conn, s, run_id)
    return counts
