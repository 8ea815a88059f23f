"""The web UI in headless Chromium: after a run it shows the live status and the published stops."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest
from stopsync.localstack import LocalStack

from tests.e2e.test_pipeline_run import trigger, wait_for_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def rendered_dom(url: str) -> str:
    """The page's DOM after its scripts ran (virtual time lets polling and fetches settle)."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                "--window-size=1400,900",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium is not installed (CI installs it)"
)
def test_ui_shows_status_and_published_stops(stack: LocalStack) -> None:
    assert CHROMIUM is not None, "CI must install chromium"
    run_id = trigger(stack)
    assert wait_for_run(stack, run_id)["state"] == "idle"
    dom = rendered_dom(f"{stack.url}/#map=14/47.3769/8.5417")
    assert "published snap_" in dom  # the status bar shows the live snapshot
    assert ">idle<" in dom
    assert "official stops" in dom and "OSM elements" in dom  # the viewport counts rendered
