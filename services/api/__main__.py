"""`python -m api`: serve the REST API and the web UI with uvicorn."""

from __future__ import annotations

import uvicorn
from common.logs import configure_logging
from common.settings import ApiSettings

from api.app import create_app


def main() -> None:
    """Run the API until SIGTERM."""
    settings = ApiSettings()
    configure_logging("api", settings.log_level, settings.log_json)
    uvicorn.run(
        create_app(settings),
        host=settings.api_host,
        port=settings.api_port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


if __name__ == "__main__":
    main()
