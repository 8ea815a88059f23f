"""The curation endpoints through the real app on Postgres: edits, history, solutions, export/import."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from api import curation
from api.app import create_app
from common.settings import ApiSettings, CommonSettings
from fastapi import FastAPI

from tests.services import unique


async def first_beat(app: FastAPI) -> None:
    """Wait for the app's first heartbeat: leaving the lifespan while it connects to Redis hangs."""
    status = app.state.stopsync.status
    for _ in range(250):
        if await status.heartbeats():
            return
        await asyncio.sleep(0.02)


@pytest.fixture
async def client(
    settings: CommonSettings, topology: object, redis: object
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app (with the curation router) inside its own lifespan."""
    app = create_app(ApiSettings(**settings.model_dump(include=set(CommonSettings.model_fields))))
    app.include_router(curation.router)
    async with app.router.lifespan_context(app):
        await first_beat(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as c:
            yield c


@pytest.fixture
async def live_problem(pool: asyncpg.Pool) -> AsyncIterator[tuple[str, str]]:
    """A live snapshot holding one problem (the session's own live snapshot is set aside)."""
    snap, problem_id = unique("snap_api_"), unique("pid_")
    async with pool.acquire() as conn:
        await conn.execute(
            f'CREATE SCHEMA "{snap}"; CREATE TABLE "{snap}".problems (problem_id text, '
            "problem_type text, priority smallint, sloid text, osm_node_id text, details jsonb)"
        )
        await conn.execute(
            f"""INSERT INTO "{snap}".problems VALUES ($1, 'distance', 2, 's1', '7', '{{}}')""", problem_id
        )
        previous = await conn.fetchval(
            "UPDATE ops.snapshots SET status = 'retired' WHERE status = 'live' RETURNING snapshot_id"
        )
        await conn.execute(
            "INSERT INTO ops.snapshots (schema_name, run_id, fence, status) "
            "VALUES ($1, 'run_api', 0, 'live')",
            snap,
        )
    yield snap, problem_id
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM ops.snapshots WHERE schema_name = $1", snap)
        await conn.execute("UPDATE ops.snapshots SET status = 'live' WHERE snapshot_id = $1", previous)
        await conn.execute(f'DROP SCHEMA "{snap}" CASCADE')


async def test_manual_match_create_list_delete_with_history(client: httpx.AsyncClient) -> None:
    sloid = unique("ch:1:sloid:")
    r = await client.post(
        "/api/manual-matches",
        json={"sloid": sloid, "osm_ids": ["12", "way_34", "12"], "action": "match", "author": " ann "},
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["osm_ids"] == ["12", "way_34"] and made["author"] == "ann" and not made["orphaned"]
    # The web UI's spelling: one osm_id and a note.
    r = await client.post(
        "/api/manual-matches",
        json={"sloid": sloid, "osm_id": "56", "action": "unmatch", "author": "bob", "note": "other stop"},
    )
    assert r.status_code == 201 and r.json()["comment"] == "other stop"
    items = (await client.get("/api/manual-matches", params={"sloid": sloid})).json()["items"]
    assert {i["action"] for i in items} == {"match", "unmatch"}

    r = await client.request("DELETE", f"/api/manual-matches/{made['id']}", json={"author": "cy"})
    assert r.status_code == 200
    again = await client.request("DELETE", f"/api/manual-matches/{made['id']}", json={"author": "cy"})
    assert again.status_code == 404
    hist = (
        await client.get("/api/history", params={"entity_kind": "manual_match", "entity_id": made["id"]})
    ).json()["items"]
    assert [(h["action"], h["author"]) for h in hist] == [("delete", "cy"), ("insert", "ann")]
    assert hist[0]["before"]["osm_ids"] == ["12", "way_34"] and hist[0]["after"] is None
    by_stop = (await client.get("/api/history", params={"sloid": sloid})).json()["items"]
    assert len(by_stop) == 3


@pytest.mark.parametrize(
    "body, field",
    [
        ({"sloid": "s", "osm_ids": ["node/1"], "author": "a"}, "osm_ids"),
        ({"sloid": "s", "osm_ids": [], "author": "a"}, "osm_ids"),
        ({"sloid": "s", "osm_ids": ["1"], "author": "  "}, "author"),
        ({"sloid": "s", "osm_ids": ["1"], "action": "pin", "author": "a"}, "action"),
        ({"sloid": "s", "osm_ids": ["1"]}, "author"),
    ],
)
async def test_manual_match_validation_is_a_clear_422(client, body, field) -> None:
    r = await client.post("/api/manual-matches", json=body)
    assert r.status_code == 422
    assert any(field in map(str, e["loc"]) for e in r.json()["detail"]), r.json()


async def test_solution_put_get_list_and_404s(client, live_problem) -> None:
    _, problem_id = live_problem
    assert (await client.get(f"/api/problems/{problem_id}/solution")).status_code == 404
    r = await client.put(
        f"/api/problems/{problem_id}/solution",
        json={"status": "wont_fix", "text": "temporary works", "author": "ann"},
    )
    assert r.status_code == 200, r.text
    sol = r.json()
    # Attached to the live problem at once: the next run can tell whether it changed.
    assert sol["last_priority"] == 2 and sol["fingerprint"] and sol["last_seen_run_id"] == "run_api"
    r = await client.put(
        f"/api/problems/{problem_id}/solution", json={"status": "fixed_in_osm", "author": "bob"}
    )
    assert r.json()["status"] == "fixed_in_osm" and r.json()["created_at"] == sol["created_at"]
    got = (await client.get(f"/api/problems/{problem_id}/solution")).json()
    assert got["author"] == "bob" and got["text"] == ""
    listed = (await client.get("/api/solutions", params={"status": "fixed_in_osm"})).json()["items"]
    assert problem_id in {s["problem_id"] for s in listed}
    hist = (
        await client.get("/api/history", params={"entity_kind": "solution", "entity_id": problem_id})
    ).json()["items"]
    assert [h["action"] for h in hist] == ["update", "insert"]
    assert hist[0]["before"]["status"] == "wont_fix" and hist[0]["after"]["status"] == "fixed_in_osm"

    missing = await client.put("/api/problems/nope/solution", json={"status": "open", "author": "a"})
    assert missing.status_code == 404
    bad = await client.put(f"/api/problems/{problem_id}/solution", json={"status": "done", "author": "a"})
    assert bad.status_code == 422
    assert (await client.get("/api/solutions", params={"status": "done"})).status_code == 422


async def test_notes_create_patch_delete(client: httpx.AsyncClient) -> None:
    target = unique("way_")
    r = await client.post(
        "/api/notes",
        json={"target_type": "osm", "target_id": target, "text": "platform moved", "author": "ann"},
    )
    assert r.status_code == 201, r.text
    note = r.json()
    sloid = unique("ch:1:sloid:")
    r = await client.post("/api/notes", json={"sloid": sloid, "text": "ramp", "author": "bob"})
    assert r.status_code == 201 and r.json()["target_type"] == "atlas"
    assert len((await client.get("/api/notes", params={"sloid": sloid})).json()["items"]) == 1

    r = await client.patch(f"/api/notes/{note['id']}", json={"text": "platform 2 moved", "author": "cy"})
    assert r.status_code == 200 and r.json()["text"] == "platform 2 moved"
    listed = (await client.get("/api/notes", params={"target_type": "osm", "target_id": target})).json()
    assert [n["text"] for n in listed["items"]] == ["platform 2 moved"]
    assert (await client.patch("/api/notes/not-a-uuid", json={"text": "x", "author": "a"})).status_code == 404
    assert (
        await client.post(
            "/api/notes", json={"target_type": "osm", "target_id": target, "text": "", "author": "a"}
        )
    ).status_code == 422
    r = await client.request("DELETE", f"/api/notes/{note['id']}", json={"author": "dee"})
    assert r.status_code == 200
    assert (await client.get("/api/notes", params={"target_type": "osm", "target_id": target})).json() == {
        "items": []
    }
    hist = (await client.get("/api/history", params={"entity_kind": "note", "entity_id": note["id"]})).json()
    assert [h["action"] for h in hist["items"]] == ["delete", "update", "insert"]


async def test_export_import_round_trip_is_idempotent_and_bad_documents_change_nothing(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    sloid = unique("ch:1:sloid:")
    await client.post("/api/manual-matches", json={"sloid": sloid, "osm_ids": ["9"], "author": "ann"})
    await client.post("/api/notes", json={"sloid": sloid, "text": "keep", "author": "ann"})
    r = await client.get("/api/curation/export")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = r.json()
    assert doc["format"] == "stopsync-curation" and doc["version"] == 1

    # Nothing new: every row is unchanged, and a second import too.
    for _ in range(2):
        r = await client.post("/api/curation/import", json={"author": "ops", "document": doc})
        assert r.status_code == 200, r.text
        counts = r.json()["counts"]
        assert counts["manual_matches"]["inserted"] == counts["manual_matches"]["updated"] == 0
        assert counts["history"]["inserted"] == 0

    # Moving to an empty instance: wipe, import, and everything comes back with its ids.
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM curation.manual_matches WHERE sloid = $1", sloid)
        await conn.execute("DELETE FROM curation.notes WHERE target_id = $1", sloid)
    r = await client.post("/api/curation/import", json={"author": "ops", "document": doc})
    counts = r.json()["counts"]
    assert counts["manual_matches"]["inserted"] == 1 and counts["notes"]["inserted"] == 1
    items = (await client.get("/api/manual-matches", params={"sloid": sloid})).json()["items"]
    assert [i["id"] for i in items] == [m["id"] for m in doc["manual_matches"] if m["sloid"] == sloid]

    # A newer edit in the document wins; the import is recorded in the history.
    mm = next(m for m in doc["manual_matches"] if m["sloid"] == sloid)
    newer = mm | {"action": "unmatch", "updated_at": "2100-01-01T00:00:00+00:00"}
    doc2 = doc | {"manual_matches": [newer]}
    counts = (await client.post("/api/curation/import", json={"author": "ops", "document": doc2})).json()[
        "counts"
    ]
    assert counts["manual_matches"] == {"inserted": 0, "updated": 1, "unchanged": 0}
    hist = (
        await client.get("/api/history", params={"entity_kind": "manual_match", "entity_id": mm["id"]})
    ).json()
    assert hist["items"][0]["author"] == "ops" and hist["items"][0]["before"]["action"] == "match"

    # A bad document (one bad note among good rows) changes nothing at all.
    before = (await client.get("/api/curation/export")).json()
    bad = doc | {
        "notes": doc["notes"] + [doc["notes"][0] | {"id": "x", "text": ""}],
        "solutions": [
            {
                "problem_id": "p",
                "status": "open",
                "text": "",
                "author": "a",
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2020-01-01T00:00:00Z",
            }
        ],
    }
    r = await client.post("/api/curation/import", json={"author": "ops", "document": bad})
    assert r.status_code == 422
    after = (await client.get("/api/curation/export")).json()
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    wrong = await client.post(
        "/api/curation/import", json={"author": "ops", "document": doc | {"version": 2}}
    )
    assert wrong.status_code == 422
