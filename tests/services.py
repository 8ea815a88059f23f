"""Where the tests find PostGIS, RabbitMQ and Redis: testcontainers with Docker, else env URLs."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest


@dataclass(frozen=True)
class ServiceUrls:
    """Admin URLs of the three backing services."""

    postgres: str
    amqp: str
    redis: str


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # noqa: BLE001 - no engine, no client, no permission: all mean "no Docker"
        return False


def _from_containers(stack: list[object]) -> ServiceUrls:
    from testcontainers.postgres import PostgresContainer  # noqa: PLC0415 - only with Docker
    from testcontainers.rabbitmq import RabbitMqContainer
    from testcontainers.redis import RedisContainer

    pg = PostgresContainer("postgis/postgis:15-3.4", driver=None).start()
    mq = RabbitMqContainer("rabbitmq:3.13").start()
    rd = RedisContainer("redis:7-alpine").start()
    stack.extend([pg, mq, rd])
    amqp = f"amqp://guest:guest@{mq.get_container_host_ip()}:{mq.get_exposed_port(5672)}/"
    redis = f"redis://{rd.get_container_host_ip()}:{rd.get_exposed_port(6379)}/0"
    return ServiceUrls(pg.get_connection_url(), amqp, redis)


def resolve_services(stack: list[object]) -> ServiceUrls:
    """Prefer testcontainers; fall back to the env URLs (the machine's own services)."""
    if os.environ.get("STOPSYNC_TEST_CONTAINERS", "auto") != "off" and _docker_available():
        return _from_containers(stack)
    urls = ServiceUrls(
        postgres=os.environ.get(
            "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        amqp=os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        redis=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    )
    missing = [
        name
        for name, url, port in (
            ("PostgreSQL", urls.postgres, 5432),
            ("RabbitMQ", urls.amqp, 5672),
            ("Redis", urls.redis, 6379),
        )
        if not _reachable(url, port)
    ]
    if missing:
        message = f"backing services unreachable: {', '.join(missing)} (run `make setup`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # under CI an integration test never passes by skipping
        pytest.skip(message)
    return urls


def unique(prefix: str) -> str:
    """A short unique name for a database, namespace or key prefix."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{name}").geturl()
