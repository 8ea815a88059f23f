#!/usr/bin/env bash
# Start or stop the six services as separate local processes (logs and pids in .run/).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${STOPSYNC_RUN_DIR:-.run}
PY=.venv/bin/python
WORKERS=(scheduler preprocess matcher precompute api)
API_PORT=${API_PORT:-5001}

log() { printf '[stack] %s\n' "$*"; }

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

start() {
  mkdir -p "$RUN_DIR"
  log "migrating"
  $PY -m migrator > "$RUN_DIR/migrator.log" 2>&1 || { cat "$RUN_DIR/migrator.log" >&2; exit 1; }
  for svc in "${WORKERS[@]}"; do
    if alive "$svc"; then
      log "$svc already running (pid $(cat "$RUN_DIR/$svc.pid"))"
      continue
    fi
    nohup $PY -m "$svc" >> "$RUN_DIR/$svc.log" 2>&1 &
    echo $! > "$RUN_DIR/$svc.pid"
    log "started $svc (pid $!, log $RUN_DIR/$svc.log)"
  done
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1; then
      log "API ready on http://127.0.0.1:$API_PORT"
      return 0
    fi
    sleep 0.5
  done
  log "the API did not become ready; see $RUN_DIR/api.log" >&2
  exit 1
}

stop() {
  for svc in "${WORKERS[@]}"; do
    if alive "$svc"; then
      kill "$(cat "$RUN_DIR/$svc.pid")" 2>/dev/null || true
      log "stopped $svc"
    fi
    rm -f "$RUN_DIR/$svc.pid"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
