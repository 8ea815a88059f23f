"""Wire contract: every message type and version has a golden JSON body that still decodes.

Regenerate after an intentional, version-bumping change with
`STOPSYNC_UPDATE_GOLDEN=1 pytest tests/contract` and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from common import messages as m

from tests.unit.test_messages import SAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden" / "messages"


def fixed_envelope(type_: str) -> m.Envelope:
    """A deterministic envelope of one type (fixed ids and time)."""
    return m.Envelope(
        message_id="00000000000000000000000000000001",
        type=type_,
        version=m.EVENT_TYPES[type_].VERSION,
        run_id="0123456789abcdef0123456789abcdef",
        occurred_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
        producer=type_.split(".")[0],
        correlation_id="0123456789abcdef0123456789abcdef",
        payload=SAMPLES[type_],
    )


@pytest.mark.parametrize("type_", sorted(m.EVENT_TYPES))
def test_golden_body_matches_and_decodes(type_: str) -> None:
    env = fixed_envelope(type_)
    path = GOLDEN / f"{type_}.v{env.version}.json"
    body = json.dumps(json.loads(m.encode(env)), indent=2, sort_keys=True) + "\n"
    if os.environ.get("STOPSYNC_UPDATE_GOLDEN") == "1":
        path.write_text(body)
    assert path.exists(), f"no golden file for {type_} v{env.version}: regenerate and review"
    assert path.read_text() == body, f"the wire format of {type_} changed: bump its version"
    assert m.decode(path.read_bytes()) == env


def test_every_golden_file_still_decodes() -> None:
    # Older versions stay here forever: readers must keep upcasting them.
    for path in sorted(GOLDEN.glob("*.json")):
        env = m.decode(path.read_bytes())
        assert env.type in m.EVENT_TYPES
