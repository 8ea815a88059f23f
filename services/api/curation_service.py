"""Users' edits in the curation schema: each write and its history row share one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
from precompute.curation import FINGERPRINT_SQL

Row = dict[str, Any]

# Fields that users own; the rest of a row is per-run state written by precompute's reconcile.
MANUAL_FIELDS = ("sloid", "osm_ids", "action", "comment")
SOLUTION_FIELDS = ("status", "text")


def plain(record: asyncpg.Record | Row | None) -> Row | None:
    """A row as JSON-ready values (uuids and times as text), for answers and history."""
    if record is None:
        return None
    out: Row = {}
    for key, value in dict(record).items():
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, dt.datetime):
            value = value.isoformat()
        out[key] = value
    return out


def as_uuid(value: str) -> uuid.UUID | None:
    """Parse an id from a path; None when it is not a uuid (then nothing can match)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def record_history(
    conn: asyncpg.Connection,
    *,
    kind: str,
    entity_id: str,
    action: str,
    author: str,
    before: Row | None,
    after: Row | None,
) -> None:
    """Append one change to curation.history; `sloid` lets a stop's view list its changes."""
    sloid = (after or before or {}).get("sloid")
    if kind == "note":
        side = after or before or {}
        sloid = side.get("target_id") if side.get("target_type") == "atlas" else None
    await conn.execute(
        "INSERT INTO curation.history (entity_kind, entity_id, action, author, sloid, before, after) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        kind,
        entity_id,
        action,
        author,
        sloid,
        plain(before),
        plain(after),
    )


async def list_manual_matches(
    conn: asyncpg.Connection, *, sloid: str | None = None, orphaned: bool | None = None
) -> list[Row]:
    """Manual matches and unmatches, newest first."""
    rows = await conn.fetch(
        "SELECT * FROM curation.manual_matches WHERE ($1::text IS NULL OR sloid = $1) "
        "AND ($2::boolean IS NULL OR orphaned = $2) ORDER BY updated_at DESC, id",
        sloid,
        orphaned,
    )
    return [plain(r) for r in rows]  # type: ignore[misc]


async def _insert(conn: asyncpg.Connection, table: str, kind: str, values: Row, author: str) -> Row:
    """Insert one row of a curation table with its history entry."""
    cols = [*values, "author"]
    marks = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
    async with conn.transaction():
        row = plain(
            await conn.fetchrow(
                f"INSERT INTO curation.{table} ({', '.join(cols)}) VALUES ({marks}) RETURNING *",
                *values.values(),
                author,
            )
        )
        assert row is not None
        await record_history(
            conn, kind=kind, entity_id=row["id"], action="insert", author=author, before=None, after=row
        )
    return row


async def _delete(conn: asyncpg.Connection, table: str, kind: str, entity_id: str, author: str) -> Row | None:
    """Delete one row by its uuid (its history stays); None when there is no such row."""
    key = as_uuid(entity_id)
    if key is None:
        return None
    async with conn.transaction():
        row = plain(await conn.fetchrow(f"DELETE FROM curation.{table} WHERE id = $1 RETURNING *", key))
        if row is not None:
            await record_history(
                conn, kind=kind, entity_id=row["id"], action="delete", author=author, before=row, after=None
            )
    return row


async def create_manual_match(
    conn: asyncpg.Connection, *, sloid: str, osm_ids: list[str], action: str, comment: str, author: str
) -> Row:
    """Record a manual match or unmatch; the next run applies it before any automatic stage."""
    values = {"sloid": sloid, "osm_ids": osm_ids, "action": action, "comment": comment}
    return await _insert(conn, "manual_matches", "manual_match", values, author)


async def delete_manual_match(conn: asyncpg.Connection, *, match_id: str, author: str) -> Row | None:
    """Withdraw a manual decision; None when there is no such decision."""
    return await _delete(conn, "manual_matches", "manual_match", match_id, author)


async def get_solution(conn: asyncpg.Connection, *, problem_id: str) -> Row | None:
    """A problem's solution with its per-run state, or None."""
    return plain(await conn.fetchrow("SELECT * FROM curation.solutions WHERE problem_id = $1", problem_id))


async def live_problem(conn: asyncpg.Connection, *, problem_id: str) -> Row | None:
    """The problem in the live snapshot with its fingerprint; None when absent or unpublished."""
    schema = await conn.fetchval("SELECT schema_name FROM ops.snapshots WHERE status = 'live'")
    if schema is None:
        return None
    row = await conn.fetchrow(
        f"SELECT p.problem_type, p.sloid, p.osm_node_id, p.priority, {FINGERPRINT_SQL.format(p='p')} "
        f'AS fingerprint, s.run_id FROM "{schema}".problems p, ops.snapshots s '
        "WHERE p.problem_id = $1 AND s.schema_name = $2",
        problem_id,
        schema,
    )
    return dict(row) if row else None


async def put_solution(
    conn: asyncpg.Connection,
    *,
    problem_id: str,
    status: str,
    text: str,
    author: str,
    problem: Row | None = None,
) -> Row:
    """Create or replace a problem's solution; saving it counts as reviewing it."""
    p = problem or {}
    async with conn.transaction():
        before = await get_solution(conn, problem_id=problem_id)
        row = plain(
            await conn.fetchrow(
                """INSERT INTO curation.solutions AS c (problem_id, status, text, author, problem_type,
                   sloid, osm_node_id, last_priority, fingerprint, last_seen_run_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (problem_id) DO UPDATE SET status = $2, text = $3, author = $4,
                   updated_at = now(), needs_review = false, review_reason = NULL
               RETURNING *""",
                problem_id,
                status,
                text,
                author,
                p.get("problem_type"),
                p.get("sloid"),
                p.get("osm_node_id"),
                p.get("priority"),
                p.get("fingerprint"),
                p.get("run_id"),
            )
        )
        assert row is not None
        await record_history(
            conn,
            kind="solution",
            entity_id=problem_id,
            action="update" if before else "insert",
            author=author,
            before=before,
            after=row,
        )
    return row


async def list_solutions(
    conn: asyncpg.Connection, *, status: str | None = None, needs_review: bool | None = None
) -> list[Row]:
    """Solutions, optionally by status or review flag, most recently changed first."""
    rows = await conn.fetch(
        "SELECT * FROM curation.solutions WHERE ($1::text IS NULL OR status = $1) "
        "AND ($2::boolean IS NULL OR needs_review = $2) ORDER BY updated_at DESC, problem_id",
        status,
        needs_review,
    )
    return [plain(r) for r in rows]  # type: ignore[misc]


async def list_notes(
    conn: asyncpg.Connection, *, target_type: str | None = None, target_id: str | None = None
) -> list[Row]:
    """Notes, optionally on one target, oldest first (a conversation reads top-down)."""
    rows = await conn.fetch(
        "SELECT * FROM curation.notes WHERE ($1::text IS NULL OR target_type = $1) "
        "AND ($2::text IS NULL OR target_id = $2) ORDER BY created_at, id",
        target_type,
        target_id,
    )
    return [plain(r) for r in rows]  # type: ignore[misc]


async def create_note(
    conn: asyncpg.Connection, *, target_type: str, target_id: str, text: str, author: str
) -> Row:
    """Leave a note on an official stop (`atlas`) or an OSM element (`osm`)."""
    values = {"target_type": target_type, "target_id": target_id, "text": text}
    return await _insert(conn, "notes", "note", values, author)


async def update_note(conn: asyncpg.Connection, *, note_id: str, text: str, author: str) -> Row | None:
    """Change a note's text; the note's author becomes the editor. None when there is no such note."""
    key = as_uuid(note_id)
    if key is None:
        return None
    async with conn.transaction():
        before = plain(await conn.fetchrow("SELECT * FROM curation.notes WHERE id = $1 FOR UPDATE", key))
        if before is None:
            return None
        row = plain(
            await conn.fetchrow(
                "UPDATE curation.notes SET text = $2, author = $3, updated_at = now() "
                "WHERE id = $1 RETURNING *",
                key,
                text,
                author,
            )
        )
        await record_history(
            conn, kind="note", entity_id=note_id, action="update", author=author, before=before, after=row
        )
    return row


async def delete_note(conn: asyncpg.Connection, *, note_id: str, author: str) -> Row | None:
    """Delete a note (its history stays); None when there is no such note."""
    return await _delete(conn, "notes", "note", note_id, author)


async def list_history(
    conn: asyncpg.Connection,
    *,
    entity_kind: str | None = None,
    entity_id: str | None = None,
    sloid: str | None = None,
    limit: int = 500,
) -> list[Row]:
    """Changes, newest first, by entity or by official stop."""
    rows = await conn.fetch(
        "SELECT id, entity_kind, entity_id, action, author, at, sloid, before, after "
        "FROM curation.history WHERE ($1::text IS NULL OR entity_kind = $1) "
        "AND ($2::text IS NULL OR entity_id = $2) AND ($3::text IS NULL OR sloid = $3) "
        "ORDER BY seq DESC LIMIT $4",
        entity_kind,
        entity_id,
        sloid,
        limit,
    )
    return [plain(r) for r in rows]  # type: ignore[misc]


# Export and import. Import is set-based (jsonb_to_recordset), keyed by the exported ids, and a row
# only replaces a newer-or-equal one when it is newer: importing the same document twice is a no-op.
# Sibling CTEs see the table as it was before the upsert, which gives history its `before`.
IMPORT_SQL = {
    "manual_matches": (
        "id uuid, sloid text, osm_ids text[], action text, comment text, author text, "
        "created_at timestamptz, updated_at timestamptz",
        "id, sloid, osm_ids, action, comment, author, created_at, updated_at",
        "sloid = x.sloid, osm_ids = x.osm_ids, action = x.action, comment = x.comment",
        "id",
        "manual_match",
        "up.sloid",
    ),
    "solutions": (
        "problem_id text, status text, text text, author text, created_at timestamptz, "
        "updated_at timestamptz",
        "problem_id, status, text, author, created_at, updated_at",
        "status = x.status, text = x.text",
        "problem_id",
        "solution",
        "up.sloid",
    ),
    "notes": (
        "id uuid, target_type text, target_id text, text text, author text, "
        "created_at timestamptz, updated_at timestamptz",
        "id, target_type, target_id, text, author, created_at, updated_at",
        "target_type = x.target_type, target_id = x.target_id, text = x.text",
        "id",
        "note",
        "CASE WHEN up.target_type = 'atlas' THEN up.target_id END",
    ),
}


async def _upsert(conn: asyncpg.Connection, table: str, rows: list[Row], importer: str) -> dict[str, int]:
    """Upsert one kind's rows and write their history; returns inserted/updated/unchanged."""
    spec, cols, assign, key, kind, sloid = IMPORT_SQL[table]
    x_cols = ", ".join(f"x.{c}" for c in cols.split(", "))
    result = await conn.fetchrow(
        f"""WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x({spec})),
              old AS (SELECT t.* FROM curation.{table} t JOIN x USING ({key})),
              up AS (INSERT INTO curation.{table} AS t ({cols}) SELECT {x_cols} FROM x
                     ON CONFLICT ({key}) DO UPDATE SET {assign.replace("x.", "excluded.")},
                       author = excluded.author, updated_at = excluded.updated_at
                     WHERE excluded.updated_at > t.updated_at
                     RETURNING t.*, (xmax = 0) AS inserted),
              h AS (INSERT INTO curation.history (entity_kind, entity_id, action, author, sloid,
                                                  before, after)
                    SELECT '{kind}', up.{key}::text,
                           CASE WHEN up.inserted THEN 'insert' ELSE 'update' END, $2, {sloid},
                           to_jsonb(old), to_jsonb(up) - 'inserted'
                    FROM up LEFT JOIN old USING ({key}) RETURNING 1)
            SELECT count(*) FILTER (WHERE inserted) AS inserted,
                   count(*) FILTER (WHERE NOT inserted) AS updated, (SELECT count(*) FROM h) AS h
            FROM up""",
        rows,
        importer,
    )
    return {
        "inserted": result["inserted"],
        "updated": result["updated"],
        "unchanged": len(rows) - result["inserted"] - result["updated"],
    }


async def _import_history(conn: asyncpg.Connection, rows: list[Row]) -> dict[str, int]:
    """Add the document's history entries that this instance does not have yet (by id)."""
    added = await conn.fetchval(
        """WITH ins AS (INSERT INTO curation.history (id, entity_kind, entity_id, action, author, at,
                                                      sloid, before, after)
               SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, entity_kind text,
                   entity_id text, action text, author text, at timestamptz, sloid text,
                   before jsonb, after jsonb)
               ORDER BY at
               ON CONFLICT (id) DO NOTHING RETURNING 1)
           SELECT count(*) FROM ins""",
        rows,
    )
    return {"inserted": added, "updated": 0, "unchanged": len(rows) - added}


async def import_document(conn: asyncpg.Connection, *, doc: Row, author: str) -> dict[str, Any]:
    """Import an exported document (already validated) in one transaction; returns counts per kind."""
    counts: dict[str, Any] = {}
    async with conn.transaction():
        counts["history"] = await _import_history(conn, doc["history"])
        for table in IMPORT_SQL:
            counts[table] = await _upsert(conn, table, doc[table], author)
    return counts


async def export_document(conn: asyncpg.Connection) -> Row:
    """Everything users decided, with its per-run state and history, as one JSON document."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        doc: Row = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        }
        for table, order in (
            ("manual_matches", "created_at, id"),
            ("solutions", "problem_id"),
            ("notes", "created_at, id"),
            ("history", "seq"),
        ):
            rows = await conn.fetch(f"SELECT * FROM curation.{table} ORDER BY {order}")
            doc[table] = [plain(r) for r in rows]
        for entry in doc["history"]:
            entry.pop("seq")  # local ordering only: ids identify entries across instances
    return doc


EXPORT_FORMAT = "stopsync-curation"
EXPORT_VERSION = 1
