"""The API's OpenAPI document matches the committed snapshot (regenerate on purpose only).

`STOPSYNC_UPDATE_GOLDEN=1 pytest tests/contract` rewrites it; review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from api.app import create_app
from common.settings import ApiSettings

SNAPSHOT = Path(__file__).resolve().parent / "golden" / "openapi.json"


def test_openapi_matches_snapshot() -> None:
    document = create_app(ApiSettings()).openapi()  # no lifespan: nothing is connected
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if os.environ.get("STOPSYNC_UPDATE_GOLDEN") == "1":
        SNAPSHOT.write_text(text)
    assert SNAPSHOT.read_text() == text, "the API contract changed: regenerate and review"


def test_every_route_is_documented() -> None:
    paths = create_app(ApiSettings()).openapi()["paths"]
    for route in ("/api/status", "/api/runs", "/healthz", "/readyz", "/api/stats", "/api/stops"):
        assert route in paths
    assert "409" in paths["/api/runs"]["post"]["responses"]
