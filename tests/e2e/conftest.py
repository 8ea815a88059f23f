"""A whole stack as subprocesses, on its own database, namespace, port and state folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from common.settings import SAMPLE_DIR
from stopsync.localstack import LocalStack

from tests.services import ServiceUrls, unique, with_database


@pytest.fixture
def stack(services: ServiceUrls, tmp_path: Path) -> Iterator[LocalStack]:
    """Migrated and started; stopped and cleaned up afterwards."""
    db = unique("stopsync_e2e_")
    namespace = unique("e2e")
    sample = tmp_path / "sample"
    shutil.copytree(
        os.environ.get("STOPSYNC_SAMPLE_DIR", SAMPLE_DIR), sample
    )  # the stack probes and caches its own copy
    env = {
        "DATABASE_URL": with_database(services.postgres, db),
        "AMQP_URL": services.amqp,
        "REDIS_URL": services.redis,
        "NAMESPACE": namespace,
        "STATE_DIR": str(tmp_path / "state"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "ATLAS_URL": str(sample / "atlas.csv"),
        "OSM_URL": str(sample / "osm.osm"),
        "GTFS_URL": str(sample / "gtfs.zip"),
        "ADMIN_TOKEN": "e2e-token",
        "HEARTBEAT_SECONDS": "1",
    }
    local = LocalStack(env=env, log_dir=tmp_path / "logs")
    local.migrate()
    try:
        local.start()
        yield local
    finally:
        local.stop()
        local.destroy(services.postgres)
