"""`python -m scheduler`: interval ticks, manual triggers, run lock."""

from __future__ import annotations

import asyncio

from common.logs import configure_logging
from common.runtime import serve_consumer
from common.settings import SchedulerSettings

from scheduler.handlers import build_handlers
from scheduler.ticks import renew_loop, tick_loop


def main() -> None:
    """Run the scheduler until SIGTERM."""
    settings = SchedulerSettings()
    configure_logging("scheduler", settings.log_level, settings.log_json)
    asyncio.run(
        serve_consumer(
            "scheduler",
            settings,
            build_handlers,
            background=lambda rt: [tick_loop(rt, settings), renew_loop(rt)],
        )
    )


if __name__ == "__main__":
    main()
