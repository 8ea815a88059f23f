"""`python -m preprocess`: the probe and preprocessing phase worker."""

from __future__ import annotations

import asyncio

from common.logs import configure_logging
from common.runtime import serve_consumer
from common.settings import WorkerSettings

from preprocess.handlers import build_handlers


def main() -> None:
    """Run the preprocess worker until SIGTERM."""
    settings = WorkerSettings()
    configure_logging("preprocess", settings.log_level, settings.log_json)
    asyncio.run(serve_consumer("preprocess", settings, build_handlers))


if __name__ == "__main__":
    main()
