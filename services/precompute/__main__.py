"""`python -m precompute`: problems, stats and the snapshot swap."""

from __future__ import annotations

import asyncio

from common.logs import configure_logging
from common.runtime import serve_consumer
from common.settings import WorkerSettings

from precompute.handlers import build_handlers


def main() -> None:
    """Run the precompute worker until SIGTERM."""
    settings = WorkerSettings()
    configure_logging("precompute", settings.log_level, settings.log_json)
    asyncio.run(serve_consumer("precompute", settings, build_handlers))


if __name__ == "__main__":
    main()
