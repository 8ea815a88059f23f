"""The status store: run state, progress, heartbeats and export jobs, in Redis or in files."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis

# Every field of the run status, with its value before the first run.
RUN_DEFAULTS: dict[str, Any] = {
    "state": "idle",  # idle | running | failed
    "run_id": None,
    "run_type": None,
    "phase": None,
    "message": "",
    "progress_done": 0,
    "progress_total": 0,
    "started_at": None,
    "phase_started_at": None,
    "next_run_at": None,
    "last_success_at": None,
    "last_run_id": None,
    "last_error": None,
    "blocking": False,
    "phase_log": [],  # this run's phases: {phase, started_at, finished_at}
}


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string."""
    return datetime.now(UTC).isoformat()


class StatusStore(Protocol):
    """One interface, two backends."""

    async def get(self) -> dict[str, Any]: ...

    async def update(self, **fields: Any) -> None: ...

    async def heartbeat(self, service: str, instance: str, info: dict[str, Any]) -> None: ...

    async def heartbeats(self) -> dict[str, dict[str, Any]]: ...

    async def put_job(self, job_id: str, job: dict[str, Any]) -> None: ...

    async def get_job(self, job_id: str) -> dict[str, Any] | None: ...

    async def close(self) -> None: ...


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(RUN_DEFAULTS)
    if unknown:
        raise KeyError(f"unknown status fields: {sorted(unknown)}")


class RedisStatusStore:
    """Run fields live in one hash, one JSON value per field, so writers never clobber each other."""

    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self._run = f"{namespace}:status:run"
        self._beats = f"{namespace}:status:heartbeats"
        self._jobs = f"{namespace}:status:jobs"

    async def get(self) -> dict[str, Any]:
        """The run status with defaults filled in."""
        raw = await self._redis.hgetall(self._run)
        stored = {_s(k): json.loads(v) for k, v in raw.items()}
        return {**RUN_DEFAULTS, **{k: v for k, v in stored.items() if k in RUN_DEFAULTS}}

    async def update(self, **fields: Any) -> None:
        """Set some run fields atomically."""
        _check_fields(fields)
        if fields:
            await self._redis.hset(self._run, mapping={k: json.dumps(v) for k, v in fields.items()})

    async def heartbeat(self, service: str, instance: str, info: dict[str, Any]) -> None:
        """Record that an instance of a service is alive."""
        beat = {"service": service, "instance": instance, "at": now_iso(), **info}
        await self._redis.hset(self._beats, f"{service}:{instance}", json.dumps(beat))

    async def heartbeats(self) -> dict[str, dict[str, Any]]:
        """Every instance's last heartbeat, keyed service:instance."""
        raw = await self._redis.hgetall(self._beats)
        return {_s(k): json.loads(v) for k, v in raw.items()}

    async def put_job(self, job_id: str, job: dict[str, Any]) -> None:
        """Store an async-export job's state."""
        await self._redis.hset(self._jobs, job_id, json.dumps(job))

    async def get_job(self, job_id: str) -> dict[str, Any] | None:
        """An export job's state, or None."""
        raw = await self._redis.hget(self._jobs, job_id)
        return json.loads(raw) if raw else None

    async def close(self) -> None:
        """Close the Redis connection."""
        await self._redis.aclose()


class FileStatusStore:
    """JSON files replaced atomically (write, fsync, rename) under an flock for read-modify-write."""

    def __init__(self, directory: Path) -> None:
        self._dir = Path(directory)
        self._dir.mkdir(parents=True, exist_ok=True)

    async def get(self) -> dict[str, Any]:
        """The run status with defaults filled in."""
        stored = await asyncio.to_thread(self._read, "run.json")
        return {**RUN_DEFAULTS, **{k: v for k, v in stored.items() if k in RUN_DEFAULTS}}

    async def update(self, **fields: Any) -> None:
        """Set some run fields atomically."""
        _check_fields(fields)
        await asyncio.to_thread(self._merge, "run.json", fields)

    async def heartbeat(self, service: str, instance: str, info: dict[str, Any]) -> None:
        """Record that an instance of a service is alive."""
        beat = {"service": service, "instance": instance, "at": now_iso(), **info}
        await asyncio.to_thread(self._merge, "heartbeats.json", {f"{service}:{instance}": beat})

    async def heartbeats(self) -> dict[str, dict[str, Any]]:
        """Every instance's last heartbeat, keyed service:instance."""
        return await asyncio.to_thread(self._read, "heartbeats.json")

    async def put_job(self, job_id: str, job: dict[str, Any]) -> None:
        """Store an async-export job's state."""
        await asyncio.to_thread(self._merge, "jobs.json", {job_id: job})

    async def get_job(self, job_id: str) -> dict[str, Any] | None:
        """An export job's state, or None."""
        return (await asyncio.to_thread(self._read, "jobs.json")).get(job_id)

    async def close(self) -> None:
        """Nothing to close."""

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self._dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self, name: str) -> dict[str, Any]:
        try:
            return json.loads((self._dir / name).read_text())
        except FileNotFoundError:
            return {}

    def _merge(self, name: str, fields: dict[str, Any]) -> None:
        with self._locked():
            data = {**self._read(name), **fields}
            fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=f".{name}.")
            with os.fdopen(fd, "w") as out:
                json.dump(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self._dir / name)


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
