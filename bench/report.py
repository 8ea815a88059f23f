"""How every benchmark reports: indented JSON on stdout and in bench/results/<name>.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def emit(result: dict[str, Any], path: Path) -> None:
    """Write the result to path (creating its folder) and print it."""
    text = json.dumps(result, indent=2, sort_keys=True, default=str) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    sys.stdout.write(text)
