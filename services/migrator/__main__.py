"""`python -m migrator`: create the database, PostGIS and the schemas, then exit 0."""

from __future__ import annotations

import logging
import sys

from common.db import asyncpg_dsn
from common.logs import configure_logging, get_logger
from common.settings import CommonSettings


def main() -> int:
    """Upgrade the database to head; exit non-zero with a clear log line on failure."""
    settings = CommonSettings()
    configure_logging("migrator", settings.log_level, settings.log_json)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    log = get_logger("migrator")
    from migrator.migrate import ensure_database, head, upgrade

    try:
        ensure_database(str(settings.database_url))
        upgrade(str(settings.database_url))
    except Exception as exc:  # noqa: BLE001 - report any failure as the exit status
        log.error("migration_failed", error=repr(exc), database=_safe(str(settings.database_url)))
        return 1
    log.info("migration_done", revision=head())
    return 0


def _safe(url: str) -> str:
    return asyncpg_dsn(url).split("@")[-1]


if __name__ == "__main__":
    sys.exit(main())
