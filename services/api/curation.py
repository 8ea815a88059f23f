"""Users' curation over HTTP: manual matches, solutions, notes, history, export and import."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api import curation_service as svc
from api.state import AppState, app_state

router = APIRouter(tags=["curation"])
State = Annotated[AppState, Depends(app_state)]

Author = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
SolutionStatus = Literal["open", "fixed_in_osm", "fixed_in_official", "wont_fix", "false_positive"]
TargetType = Literal["atlas", "osm"]
EntityKind = Literal["manual_match", "solution", "note"]
# OSM ids as the frames spell them: "123" for a node, "way_123" for a way (architecture.md).
OSM_ID = re.compile(r"(?:way_)?[1-9][0-9]*")


def osm_ids(ids: list[str]) -> list[str]:
    """Checked OSM ids without repeats, in the user's order."""
    cleaned = [i.strip() for i in ids]
    bad = [i for i in cleaned if not OSM_ID.fullmatch(i)]
    if bad:
        raise ValueError(f"not OSM ids: {bad}; use '123' for a node, 'way_123' for a way")
    return list(dict.fromkeys(cleaned))


OsmIds = Annotated[list[str], Field(min_length=1, max_length=50), AfterValidator(osm_ids)]


class Edit(BaseModel):
    """Every write names its author; unknown fields are refused so that typos are not lost."""

    model_config = ConfigDict(extra="forbid")
    author: Author


class ManualMatchIn(Edit):
    """Pin a sloid to OSM elements (`match`) or keep them apart (`unmatch`)."""

    sloid: Key
    osm_ids: OsmIds
    action: Literal["match", "unmatch"] = "match"
    comment: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _single_id(cls, data: Any) -> Any:
        # The web UI sends one `osm_id` and a `note`; both spellings mean the same.
        if isinstance(data, dict):
            data = dict(data)
            if "osm_id" in data and "osm_ids" not in data:
                data["osm_ids"] = [data.pop("osm_id")]
            if "note" in data and "comment" not in data:
                data["comment"] = data.pop("note") or ""
        return data


class SolutionIn(Edit):
    """A problem's solution: a status and why."""

    status: SolutionStatus
    text: Text = ""


class NoteIn(Edit):
    """A note on an official stop (`atlas`, by sloid) or an OSM element (`osm`, by osm_id)."""

    target_type: TargetType
    target_id: Key
    text: Annotated[Text, StringConstraints(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _by_sloid(cls, data: Any) -> Any:
        # `{"sloid": ...}` (what the web UI sends) is a note on that official stop.
        if isinstance(data, dict) and "sloid" in data and "target_id" not in data:
            rest = {k: v for k, v in data.items() if k != "sloid"}
            data = rest | {"target_type": "atlas", "target_id": data["sloid"]}
        return data


class NotePatch(Edit):
    """New text for a note."""

    text: Annotated[Text, StringConstraints(min_length=1)]


class AuthorOnly(Edit):
    """A delete names who deletes."""


class Stamped(BaseModel):
    """Who and when, as every exported record carries; per-run state is ignored on import."""

    model_config = ConfigDict(extra="ignore")
    author: Author
    created_at: dt.datetime
    updated_at: dt.datetime


class ManualMatchRecord(Stamped):
    """An exported manual match."""

    id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    sloid: Key
    osm_ids: OsmIds
    action: Literal["match", "unmatch"]
    comment: str = ""


class SolutionRecord(Stamped):
    """An exported solution."""

    problem_id: Key
    status: SolutionStatus
    text: str = ""


class NoteRecord(Stamped):
    """An exported note."""

    id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    target_type: TargetType
    target_id: Key
    text: str = Field(min_length=1)


class HistoryRecord(BaseModel):
    """An exported history entry."""

    model_config = ConfigDict(extra="ignore")
    id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    entity_kind: EntityKind
    entity_id: Key
    action: Literal["insert", "update", "delete"]
    author: Author
    at: dt.datetime
    sloid: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class CurationDocument(BaseModel):
    """The export format: everything users decided, versioned."""

    format: Literal["stopsync-curation"]
    version: Literal[1]
    exported_at: dt.datetime | None = None
    manual_matches: list[ManualMatchRecord] = []
    solutions: list[SolutionRecord] = []
    notes: list[NoteRecord] = []
    history: list[HistoryRecord] = []

    @model_validator(mode="after")
    def _unique_keys(self) -> CurationDocument:
        for name, key in (
            ("manual_matches", "id"),
            ("solutions", "problem_id"),
            ("notes", "id"),
            ("history", "id"),
        ):
            keys = [getattr(r, key) for r in getattr(self, name)]
            if len(keys) != len(set(keys)):
                raise ValueError(f"{name}: the same {key} appears more than once")
        return self


class ImportIn(Edit):
    """An import: who imports, and the exported document."""

    document: CurationDocument


def _found(row: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if row is None:
        raise HTTPException(404, f"no such {what}")
    return row


@router.get("/api/manual-matches")
async def list_manual_matches(
    state: State, sloid: str | None = None, orphaned: bool | None = None
) -> dict[str, Any]:
    """Manual matches and unmatches; `orphaned` ones name entities missing from the last run."""
    async with state.pool.acquire() as conn:
        return {"items": await svc.list_manual_matches(conn, sloid=sloid, orphaned=orphaned)}


@router.post("/api/manual-matches", status_code=201)
async def create_manual_match(state: State, body: ManualMatchIn) -> dict[str, Any]:
    """Record a manual decision; the next run applies it before any automatic stage."""
    async with state.pool.acquire() as conn:
        return await svc.create_manual_match(conn, **body.model_dump())


@router.delete("/api/manual-matches/{match_id}")
async def delete_manual_match(
    state: State, match_id: str, body: Annotated[AuthorOnly, Body()]
) -> dict[str, Any]:
    """Withdraw a manual decision (its history stays)."""
    async with state.pool.acquire() as conn:
        return _found(
            await svc.delete_manual_match(conn, match_id=match_id, author=body.author), "manual match"
        )


@router.get("/api/problems/{problem_id}/solution")
async def get_solution(state: State, problem_id: str) -> dict[str, Any]:
    """A problem's solution, with whether it is resolved since a run or needs review."""
    async with state.pool.acquire() as conn:
        return _found(await svc.get_solution(conn, problem_id=problem_id), "solution")


@router.put("/api/problems/{problem_id}/solution")
async def put_solution(state: State, problem_id: str, body: SolutionIn) -> dict[str, Any]:
    """Set a problem's solution; a problem unknown to the live snapshot gets a 404."""
    async with state.pool.acquire() as conn:
        problem = await svc.live_problem(conn, problem_id=problem_id)
        if problem is None and await svc.get_solution(conn, problem_id=problem_id) is None:
            raise HTTPException(404, "no such problem in the live snapshot")
        return await svc.put_solution(conn, problem_id=problem_id, problem=problem, **body.model_dump())


@router.get("/api/solutions")
async def list_solutions(
    state: State, status: SolutionStatus | None = None, needs_review: bool | None = None
) -> dict[str, Any]:
    """Solutions by status and review flag."""
    async with state.pool.acquire() as conn:
        return {"items": await svc.list_solutions(conn, status=status, needs_review=needs_review)}


@router.get("/api/notes")
async def list_notes(
    state: State,
    target_type: TargetType | None = None,
    target_id: str | None = None,
    sloid: str | None = None,
) -> dict[str, Any]:
    """Notes on one target (`sloid=` is short for target_type=atlas&target_id=)."""
    if sloid is not None:
        target_type, target_id = "atlas", sloid
    async with state.pool.acquire() as conn:
        return {"items": await svc.list_notes(conn, target_type=target_type, target_id=target_id)}


@router.post("/api/notes", status_code=201)
async def create_note(state: State, body: NoteIn) -> dict[str, Any]:
    """Leave a note on an official stop or an OSM element."""
    async with state.pool.acquire() as conn:
        return await svc.create_note(conn, **body.model_dump())


@router.patch("/api/notes/{note_id}")
async def update_note(state: State, note_id: str, body: NotePatch) -> dict[str, Any]:
    """Change a note's text."""
    async with state.pool.acquire() as conn:
        return _found(await svc.update_note(conn, note_id=note_id, **body.model_dump()), "note")


@router.delete("/api/notes/{note_id}")
async def delete_note(state: State, note_id: str, body: Annotated[AuthorOnly, Body()]) -> dict[str, Any]:
    """Delete a note (its history stays)."""
    async with state.pool.acquire() as conn:
        return _found(await svc.delete_note(conn, note_id=note_id, author=body.author), "note")


@router.get("/api/history")
async def history(
    state: State,
    entity_kind: EntityKind | None = None,
    entity_id: str | None = None,
    sloid: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    """Changes, newest first, of one entity or of everything about one official stop."""
    async with state.pool.acquire() as conn:
        items = await svc.list_history(
            conn, entity_kind=entity_kind, entity_id=entity_id, sloid=sloid, limit=limit
        )
    return {"items": items}


@router.get("/api/curation/export")
async def export(state: State) -> JSONResponse:
    """Everything users decided as one JSON document (a download)."""
    async with state.pool.acquire() as conn:
        doc = await svc.export_document(conn)
    stamp = doc["exported_at"][:19].replace(":", "").replace("-", "")
    disposition = f'attachment; filename="stopsync-curation-{stamp}.json"'
    return JSONResponse(doc, headers={"Content-Disposition": disposition})


@router.post("/api/curation/import")
async def import_(state: State, body: ImportIn) -> dict[str, Any]:
    """Import an export: idempotent, all or nothing, with counts per kind."""
    async with state.pool.acquire() as conn:
        counts = await svc.import_document(
            conn, doc=body.document.model_dump(mode="json"), author=body.author
        )
    return {"imported": True, "counts": counts}
