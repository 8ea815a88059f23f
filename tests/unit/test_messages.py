"""The envelope: round-trips for every type, upcasting, and what counts as poison."""

from __future__ import annotations

import orjson
import pytest
from common import messages as m
from pydantic import ValidationError

SAMPLES: dict[str, m.Event] = {
    "api.run_requested": m.RunRequested(force=True, requested_by="api", lock_token="tok"),
    "scheduler.probe_requested": m.ProbeRequested(force=False),
    "preprocess.probe_completed": m.ProbeCompleted(
        changed=True, run_type="complete", sources={"atlas": {}}
    ),
    "scheduler.run_started": m.RunStarted(run_type="atlas_cached", fence=7),
    "preprocess.preprocess_completed": m.PreprocessCompleted(
        schema_name="run_x", run_type="bootstrap", fence=7
    ),
    "matcher.matching_completed": m.MatchingCompleted(
        schema_name="run_x", fence=7, summary={"n": 1}
    ),
    "precompute.run_completed": m.RunCompleted(snapshot="snap_7", fence=7),
    "scheduler.run_skipped": m.RunSkipped(reason="unchanged"),
    "pipeline.run_failed": m.RunFailed(phase="matcher", error="boom"),
}


def test_every_event_type_has_a_sample() -> None:
    assert set(SAMPLES) == set(m.EVENT_TYPES)


@pytest.mark.parametrize("type_", sorted(SAMPLES))
def test_round_trip(type_: str) -> None:
    env = m.new_message(SAMPLES[type_], producer="test", run_id="r1")
    back = m.decode(m.encode(env))
    assert back == env
    assert back.type == type_ and type(back.payload) is type(SAMPLES[type_])


def test_envelope_is_frozen() -> None:
    env = m.new_message(SAMPLES["scheduler.run_started"], producer="t", run_id="r")
    with pytest.raises(ValidationError):
        env.run_id = "other"  # type: ignore[misc]


def test_unknown_fields_are_ignored() -> None:
    raw = orjson.loads(
        m.encode(m.new_message(SAMPLES["scheduler.run_started"], producer="t", run_id="r"))
    )
    raw["payload"]["added_later"] = 1
    raw["also_new"] = True
    assert m.decode(orjson.dumps(raw)).payload.fence == 7


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        b'{"type": "nobody.said_this"}',
        b'{"type": "scheduler.run_started", "producer": "x", "payload": {}}',
    ],
)
def test_poison_bodies_raise_message_error(body: bytes) -> None:
    with pytest.raises(m.MessageError):
        m.decode(body)


def test_newer_version_than_reader_is_refused() -> None:
    raw = orjson.loads(
        m.encode(m.new_message(SAMPLES["pipeline.run_failed"], producer="t", run_id="r"))
    )
    raw["version"] = 99
    with pytest.raises(m.MessageError, match="newer"):
        m.decode(orjson.dumps(raw))


def test_upcaster_turns_v1_into_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend RunFailed v2 renamed `error` to `reason`, kept here as `error` by the reader model.
    monkeypatch.setattr(m.RunFailed, "VERSION", 2)
    monkeypatch.setitem(
        m.UPCASTERS,
        ("pipeline.run_failed", 1),
        lambda p: {**p, "error": p.pop("message") if "message" in p else p["error"]},
    )
    v1 = {
        "type": "pipeline.run_failed",
        "version": 1,
        "producer": "old",
        "run_id": "r",
        "payload": {"phase": "matcher", "message": "legacy text"},
    }
    env = m.decode(orjson.dumps(v1))
    assert env.version == 2 and env.payload.error == "legacy text"


def test_peek_run_id_survives_bad_payloads() -> None:
    assert m.peek_run_id(b'{"run_id": "abc", "payload": 3}') == "abc"
    assert m.peek_run_id(b"garbage") is None
