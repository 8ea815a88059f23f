"""The versioned message envelope, the typed events of a run, and their upcasters."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

RunType = Literal["complete", "atlas_cached", "bootstrap"]


class Event(BaseModel):
    """Base of every payload: frozen, and tolerant of fields a newer producer added."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    TYPE: ClassVar[str] = ""  # the routing key: producer and past-tense fact
    VERSION: ClassVar[int] = 1


class RunRequested(Event):
    """Someone asked for a run; the scheduler already holds the lock under this run_id."""

    TYPE: ClassVar[str] = "api.run_requested"

    force: bool = False
    requested_by: str = "scheduler"
    lock_token: str


class ProbeRequested(Event):
    """The scheduler wants to know whether the sources changed."""

    TYPE: ClassVar[str] = "scheduler.probe_requested"

    force: bool = False


class ProbeCompleted(Event):
    """Preprocess probed the sources."""

    TYPE: ClassVar[str] = "preprocess.probe_completed"

    changed: bool
    run_type: RunType
    sources: dict[str, Any] = Field(default_factory=dict)


class RunStarted(Event):
    """The scheduler started a run: preprocess may begin."""

    TYPE: ClassVar[str] = "scheduler.run_started"

    run_type: RunType
    fence: int
    force: bool = False


class PreprocessCompleted(Event):
    """The run's sources are staged in its schema."""

    TYPE: ClassVar[str] = "preprocess.preprocess_completed"

    schema_name: str
    run_type: RunType
    fence: int
    summary: dict[str, Any] = Field(default_factory=dict)


class MatchingCompleted(Event):
    """The run's matches are in its schema."""

    TYPE: ClassVar[str] = "matcher.matching_completed"

    schema_name: str
    fence: int
    summary: dict[str, Any] = Field(default_factory=dict)


class RunCompleted(Event):
    """Precompute published the run's snapshot."""

    TYPE: ClassVar[str] = "precompute.run_completed"

    snapshot: str
    fence: int
    summary: dict[str, Any] = Field(default_factory=dict)


class RunSkipped(Event):
    """The probe found nothing new and the run was not forced."""

    TYPE: ClassVar[str] = "scheduler.run_skipped"

    reason: str


class RunFailed(Event):
    """A phase gave up on the run."""

    TYPE: ClassVar[str] = "pipeline.run_failed"

    phase: str
    error: str


EVENT_TYPES: dict[str, type[Event]] = {
    c.TYPE: c
    for c in (
        RunRequested,
        ProbeRequested,
        ProbeCompleted,
        RunStarted,
        PreprocessCompleted,
        MatchingCompleted,
        RunCompleted,
        RunSkipped,
        RunFailed,
    )
}

# (type, from_version) -> pure function turning that version's payload dict into the next one's.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}

E = TypeVar("E", bound=Event)


class Envelope(BaseModel, Generic[E]):
    """What travels on the bus: identity, provenance and a typed payload."""

    model_config = ConfigDict(frozen=True)

    message_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    type: str
    version: int = 1
    run_id: str | None = None
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    producer: str
    correlation_id: str | None = None
    payload: E


class MessageError(ValueError):
    """A body that cannot become a known, valid envelope: it goes to the dead-letter queue."""


def new_message(
    payload: Event, *, producer: str, run_id: str | None, correlation_id: str | None = None
) -> Envelope[Any]:
    """Wrap a payload in a fresh envelope."""
    return Envelope[Any](
        type=payload.TYPE,
        version=payload.VERSION,
        run_id=run_id,
        producer=producer,
        correlation_id=correlation_id or run_id,
        payload=payload,
    )


def encode(envelope: Envelope[Any]) -> bytes:
    """Serialize an envelope to JSON bytes."""
    return orjson.dumps(envelope.model_dump(mode="json"))


def upcast(type_: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply upcasters until the payload has the current version of its type."""
    current = EVENT_TYPES[type_].VERSION
    while version < current:
        step = UPCASTERS.get((type_, version))
        if step is None:
            raise MessageError(f"no upcaster for {type_} v{version}")
        payload, version = step(payload), version + 1
    return payload


def decode(body: bytes) -> Envelope[Any]:
    """Parse, upcast and validate a message body; raise MessageError if it cannot be."""
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MessageError(f"not JSON: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("type") not in EVENT_TYPES:
        raise MessageError(
            f"unknown message type: {raw.get('type') if isinstance(raw, dict) else raw!r}"
        )
    cls = EVENT_TYPES[raw["type"]]
    try:
        version = int(raw.get("version", 1))
        if version > cls.VERSION:
            raise MessageError(
                f"{raw['type']} v{version} is newer than this reader (v{cls.VERSION})"
            )
        raw["payload"] = cls.model_validate(
            upcast(raw["type"], version, dict(raw.get("payload") or {}))
        )
        raw["version"] = cls.VERSION
        return Envelope[cls].model_validate(raw)  # type: ignore[valid-type]
    except (ValidationError, TypeError, ValueError) as exc:
        if isinstance(exc, MessageError):
            raise
        raise MessageError(f"invalid {raw['type']}: {exc}") from exc


def peek_run_id(body: bytes) -> str | None:
    """Best effort: the run_id of a body that may not parse as a whole."""
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    run_id = raw.get("run_id") if isinstance(raw, dict) else None
    return run_id if isinstance(run_id, str) else None
