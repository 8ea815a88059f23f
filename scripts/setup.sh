#!/usr/bin/env bash
# Idempotent machine setup: venv, PostGIS, and the three backing services.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2 i
  for i in $(seq 1 60); do
    port_open "$port" && return 0
    sleep 1
  done
  log "$name did not open port $port within 60 s" >&2
  return 1
}

setup_venv() {
  local stamp=.venv/.stamp want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv"
    python3 -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the project into .venv"
    local out
    # Keep the log readable: this machine's pip config names index folders that may not exist.
    if ! out=$(.venv/bin/pip install -q --disable-pip-version-check -e '.[test]' 2>&1); then
      printf '%s\n' "$out" | grep -v 'is ignored: it is neither a file nor a directory' >&2
      return 1
    fi
    echo "$want" > "$stamp"
  fi
}

pg_major() {
  # The running cluster's major version; a Debian 13 image would ship 17, not 15.
  ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

setup_postgis() {
  local major
  major=$(pg_major)
  [ -n "$major" ] || { log "PostgreSQL is not installed" >&2; return 1; }
  if [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ]; then
    log "installing postgresql-$major-postgis-3"
    apt_install "postgresql-$major-postgis-3"
  fi
}

start_services() {
  local major
  major=$(pg_major)
  if ! port_open 5432; then
    log "starting PostgreSQL $major"
    pg_ctlcluster --skip-systemctl-redirect "$major" main start || true
    wait_port 5432 PostgreSQL
  fi
  if ! port_open 6379; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
    wait_port 6379 Redis
  fi
  if ! port_open 5672; then
    log "starting RabbitMQ"
    rabbitmq-server -detached
    wait_port 5672 RabbitMQ
  fi
  if [ "${STOPSYNC_RABBIT_MANAGEMENT:-1}" = 1 ] && ! port_open 15672; then
    log "enabling the RabbitMQ management API"
    rabbitmq-plugins enable --quiet rabbitmq_management >/dev/null || true
    wait_port 15672 "RabbitMQ management" || true
  fi
}

setup_postgis
start_services
setup_venv
log "ready"
