"""A user's journey: trigger a run, watch it through every phase, read the published data."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from stopsync.localstack import LocalStack

ADMIN = {"X-Admin-Token": "e2e-token"}


def wait_for_run(stack: LocalStack, run_id: str, timeout: float = 180.0) -> dict[str, Any]:
    """Poll /api/status until run_id has ended; return the final status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_alive()
        status = httpx.get(f"{stack.url}/api/status", timeout=5).json()
        if status["run_id"] == run_id and status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end in {timeout} s\n{stack.log_tail()}")


def test_a_run_goes_through_every_phase_and_publishes(stack: LocalStack) -> None:
    before = httpx.get(f"{stack.url}/api/status", timeout=5).json()
    assert before["state"] == "idle" and before["last_success_at"] is None
    assert httpx.get(f"{stack.url}/api/stats", timeout=5).status_code == 503  # nothing published yet

    refused = httpx.post(f"{stack.url}/api/runs", json={}, headers={"X-Admin-Token": "no"}, timeout=5)
    assert refused.status_code == 401
    started = time.monotonic()
    answer = httpx.post(f"{stack.url}/api/runs", json={"force": False}, headers=ADMIN, timeout=10)
    assert answer.status_code == 202, answer.text
    run_id = answer.json()["run_id"]
    second = httpx.post(f"{stack.url}/api/runs", json={"force": True}, headers=ADMIN, timeout=10)
    assert second.status_code == 409
    assert second.json() == {"detail": "a run is already in progress", "run_id": run_id}

    final = wait_for_run(stack, run_id)
    print(f"sample run wall time: {time.monotonic() - started:.2f} s")
    assert final["state"] == "idle", final.get("last_error")
    assert final["last_success_at"] is not None and final["last_run_id"] == run_id
    phases = [entry["phase"] for entry in final["phase_log"]]
    assert phases == ["probe", "preprocess", "match", "precompute"]
    assert all(entry["finished_at"] for entry in final["phase_log"])
    assert all(
        final["services"][name]["alive"]
        for name in ("scheduler", "preprocess", "matcher", "precompute", "api")
    )

    stats = httpx.get(f"{stack.url}/api/stats", timeout=5).json()
    assert stats["totals"]["atlas_stops"] > 0 and stats["totals"]["matches"] > 0


def test_cli_run_wait_exits_zero_and_unchanged_sources_skip(stack: LocalStack) -> None:
    env = stack.full_env()
    cli = [sys.executable, "-m", "stopsync.cli", "run", "--wait", "--timeout", "180"]
    first = subprocess.run([*cli, "--force"], env=env, capture_output=True, text=True, timeout=200)
    assert first.returncode == 0, first.stderr + stack.log_tail()
    assert "finished" in first.stdout
    published = httpx.get(f"{stack.url}/api/status", timeout=5).json()["last_success_at"]
    # The sources did not change: an unforced run probes, finds nothing new, and publishes nothing.
    again = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=200)
    assert again.returncode == 0, again.stderr
    status = httpx.get(f"{stack.url}/api/status", timeout=5).json()
    assert status["message"] == "sources unchanged: nothing to do"
    assert status["last_success_at"] == published
    assert status["state"] == "idle"


def trigger(stack: LocalStack, force: bool = True) -> str:
    answer = httpx.post(f"{stack.url}/api/runs", json={"force": force}, headers=ADMIN, timeout=10)
    assert answer.status_code == 202, answer.text
    return str(answer.json()["run_id"])


def test_a_failed_run_names_the_bad_input_and_keeps_the_published_snapshot(stack: LocalStack) -> None:
    first = wait_for_run(stack, trigger(stack))
    assert first["state"] == "idle", first["last_error"]
    stats_before = httpx.get(f"{stack.url}/api/stats", timeout=5).json()

    atlas = Path(stack.env["ATLAS_URL"])
    atlas.write_bytes(atlas.read_bytes()[: len(atlas.read_bytes()) // 3] + b"\xff\xfe broken")
    failed = wait_for_run(stack, trigger(stack))
    assert failed["state"] == "failed"
    error = failed["last_error"]
    assert error["phase"] == "preprocess" and "atlas" in error["error"], error
    assert str(atlas) in error["error"]  # the file is named

    stats_after = httpx.get(f"{stack.url}/api/stats", timeout=5).json()
    assert stats_after == stats_before  # readers still see the last good snapshot
    # The lock was released: the next trigger is accepted.
    assert httpx.get(f"{stack.url}/api/status", timeout=5).json()["state"] == "failed"
    wait_for_run(stack, trigger(stack))


def test_readers_never_see_an_error_or_a_partial_snapshot_during_publication(stack: LocalStack) -> None:
    assert wait_for_run(stack, trigger(stack))["state"] == "idle"
    expected = httpx.get(f"{stack.url}/api/stats", timeout=5).json()["totals"]
    stop = threading.Event()
    seen: list[tuple[str, int, Any]] = []

    def poll() -> None:
        with httpx.Client(base_url=stack.url, timeout=10) as client:
            while not stop.is_set():
                stats = client.get("/api/stats")
                matches = client.get("/api/matches", params={"limit": 1})
                seen.append(("stats", stats.status_code, stats.json().get("totals")))
                seen.append(("matches", matches.status_code, matches.json().get("total")))

    readers = [threading.Thread(target=poll) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(2):  # two more publications while the readers poll
            assert wait_for_run(stack, trigger(stack))["state"] == "idle"
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert len(seen) > 20
    assert {code for _, code, _ in seen} == {200}
    # The same sources give the same snapshot: every answer is complete, none empty or partial.
    assert all(body == expected for kind, _, body in seen if kind == "stats")
    assert all(body == expected["matches"] for kind, _, body in seen if kind == "matches")
