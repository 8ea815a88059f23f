"""A data steward's journey: decisions made in the API survive the next run and are applied."""

from __future__ import annotations

import httpx
from stopsync.localstack import LocalStack

from tests.e2e.test_pipeline_run import trigger, wait_for_run


def test_manual_match_and_solution_survive_a_run(stack: LocalStack) -> None:
    assert wait_for_run(stack, trigger(stack))["state"] == "idle"
    api = httpx.Client(base_url=stack.url, timeout=10)
    pair = api.get("/api/matches", params={"match_type": "nearest", "limit": 1}).json()["items"][0]
    made = api.post(
        "/api/manual-matches",
        json={"sloid": pair["sloid"], "osm_ids": [pair["osm_id"]], "action": "match", "author": "steward"},
    )
    assert made.status_code == 201, made.text
    problem = api.get("/api/problems", params={"limit": 1}).json()["items"][0]
    solved = api.put(
        f"/api/problems/{problem['problem_id']}/solution",
        json={"status": "wont_fix", "text": "known", "author": "steward"},
    )
    assert solved.status_code == 200, solved.text

    assert wait_for_run(stack, trigger(stack))["state"] == "idle"  # a new snapshot is published
    stop = api.get(f"/api/stops/{pair['sloid']}").json()
    manual = [m for m in stop["matches"] if m["osm_id"] == pair["osm_id"]]
    assert manual and manual[0]["match_type"] == "manual"  # the user's decision wins
    solution = api.get(f"/api/problems/{problem['problem_id']}/solution").json()
    assert solution["status"] == "wont_fix" and solution["last_seen_run_id"] is not None
    assert not api.get("/api/manual-matches", params={"sloid": pair["sloid"]}).json()["items"][0]["orphaned"]
