"""Typed settings shared by every service, built at startup from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AnyUrl, Field, PostgresDsn
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "data" / "sample"


class CommonSettings(BaseSettings):
    """Connection strings and knobs every service reads (no prefix: they are shared)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    database_url: PostgresDsn = PostgresDsn("postgresql://postgres@127.0.0.1:5432/stopsync")
    amqp_url: AnyUrl = AnyUrl("amqp://guest:guest@127.0.0.1:5672/")
    redis_url: AnyUrl = AnyUrl("redis://127.0.0.1:6379/0")
    state_backend: Literal["redis", "file"] = "redis"
    state_dir: Path = REPO_ROOT / ".state"
    ratelimit_storage_uri: str = "memory://"
    # Prefixes every exchange, queue and Redis key, so that tests and instances never collide.
    namespace: str = "stopsync"
    log_level: str = "INFO"
    log_json: bool | None = None  # None: JSON when stderr is not a TTY
    heartbeat_seconds: float = 5.0
    max_attempts: int = 3
    retry_backoff_seconds: float = 0.5
    prefetch: int = 4
    lock_ttl_seconds: float = 60.0


class SourceSettings(BaseSettings):
    """Where the three public sources and the boundary live: URLs, file:// URLs or paths."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    atlas_url: str = str(SAMPLE_DIR / "atlas.csv")
    osm_url: str = str(SAMPLE_DIR / "osm.osm")
    gtfs_url: str = str(SAMPLE_DIR / "gtfs.zip")
    boundary_url: str = str(REPO_ROOT / "data" / "boundary" / "ch.geojson")
    cache_dir: Path = REPO_ROOT / ".state" / "cache"
    http_timeout_seconds: float = 60.0
    http_retries: int = 3


class SchedulerSettings(CommonSettings):
    """The scheduler's interval and time zone."""

    pipeline_schedule_interval_hours: float = 24.0
    pipeline_timezone: str = "Europe/Zurich"
    pipeline_run_on_start: bool = False


class ApiSettings(CommonSettings):
    """The API's bind address and admin token."""

    api_host: str = "127.0.0.1"
    api_port: int = 5001
    admin_token: str = Field(default="change-me")
    rabbitmq_management_url: str = "http://guest:guest@127.0.0.1:15672"


class WorkerSettings(CommonSettings):
    """What a phase worker needs beyond the common settings."""

    match_profile: Literal["swiss", "generic"] = "swiss"
    burst: bool = False  # drain the queue, then exit (tests)
