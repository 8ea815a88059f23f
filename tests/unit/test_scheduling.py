"""Pure decisions: the next tick, the run type, a followed run's outcome, ETA and liveness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from api.status_view import eta_seconds, liveness
from preprocess.handlers import choose_run_type
from scheduler.ticks import next_tick
from stopsync.follow import outcome


def test_next_tick_counts_from_local_midnight_in_zurich() -> None:
    now = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)  # 12:30 in Zurich (CEST)
    tick = next_tick(now, 6, "Europe/Zurich")
    assert tick.isoformat() == "2026-07-01T18:00:00+02:00"


def test_daily_tick_is_next_midnight() -> None:
    now = datetime(2026, 1, 15, 22, 59, tzinfo=UTC)  # 23:59 in Zurich (CET)
    assert next_tick(now, 24, "Europe/Zurich").isoformat() == "2026-01-16T00:00:00+01:00"


@pytest.mark.parametrize(
    ("force", "has_snapshot", "changed", "expected"),
    [
        (True, True, {"atlas": False, "gtfs": False, "boundary": False, "osm": False}, (True, "complete")),
        (False, False, {"atlas": False, "gtfs": False, "boundary": False, "osm": False}, (True, "bootstrap")),
        (False, False, {"atlas": True, "gtfs": False, "boundary": False, "osm": False}, (True, "complete")),
        (
            False,
            True,
            {"atlas": False, "gtfs": False, "boundary": False, "osm": True},
            (True, "atlas_cached"),
        ),
        (False, True, {"atlas": False, "gtfs": True, "boundary": False, "osm": True}, (True, "complete")),
        (
            False,
            True,
            {"atlas": False, "gtfs": False, "boundary": False, "osm": False},
            (False, "atlas_cached"),
        ),
        (False, True, {}, (True, "complete")),  # no probe answer: fail open
    ],
)
def test_choose_run_type(
    force: bool, has_snapshot: bool, changed: dict[str, bool], expected: tuple[bool, str]
) -> None:
    assert choose_run_type(force, has_snapshot, changed) == expected


def test_outcome_of_a_followed_run() -> None:
    assert outcome({"run_id": "a", "state": "running"}, "a") is None
    assert outcome({"run_id": "a", "state": "idle", "last_error": None}, "a") == 0
    assert outcome({"run_id": "a", "state": "failed", "last_error": {"run_id": "a"}}, "a") == 1
    # A later run's failure is not ours.
    assert outcome({"run_id": "b", "state": "failed", "last_error": {"run_id": "b"}}, "a") == 0


def test_eta_is_linear_in_progress() -> None:
    now = datetime(2026, 1, 1, 12, 0, 10, tzinfo=UTC)
    status = {
        "state": "running",
        "progress_done": 1,
        "progress_total": 3,
        "phase_started_at": (now - timedelta(seconds=10)).isoformat(),
    }
    assert eta_seconds(status, now) == 20.0
    assert eta_seconds({**status, "progress_done": 0}, now) is None
    assert eta_seconds({**status, "state": "idle"}, now) is None


def test_liveness_counts_only_recent_beats() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    beats = {
        "matcher:a": {"service": "matcher", "at": (now - timedelta(seconds=4)).isoformat()},
        "matcher:b": {"service": "matcher", "at": (now - timedelta(seconds=60)).isoformat()},
    }
    out = liveness(beats, now, period=5)
    assert out["matcher"]["alive"] and out["matcher"]["instances"] == 1
    assert not out["scheduler"]["alive"]
