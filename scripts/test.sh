#!/usr/bin/env bash
# Run the whole suite; pytest's exit code 5 (no tests collected) counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
code=$?
if [ "$code" = 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$code"
