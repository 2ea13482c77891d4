#!/usr/bin/env bash
# Drill: PostgreSQL restarts under load. Two hosts share one PostgreSQL database and one Redis;
# PostgreSQL is stopped (fast shutdown: sessions are cut) and started again DOWN_SECONDS later
# (default 3) on the same data directory and port. While it is down webhooks cannot be recorded
# and must be refused (503, Meta resends them), never acknowledged and lost; no reply may be sent
# twice. The drill counts the 503s, then resends, drains and compares acknowledged webhooks with
# sends as kill9.sh does.
#
# Usage: bench/drills/postgres_restart.sh   (PG_STOP_MODE=immediate: crash-stop instead of fast)
# See drill_common.sh for RATE, BEFORE, DOWN_SECONDS, AFTER, DRAIN_SECONDS, KEEP. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
source bench/drills/drill_common.sh

# tests/support/postgres.sh stop removes the data directory, so the restart drives pg_ctl itself
# on the directory and port postgres.sh chose, with the options postgres.sh starts it with.
pg_ctl_() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" "$@"; else "$pgbin/pg_ctl" "$@"; fi
}
pg_root() { cat "$WORK/services/postgres.root"; }
pg_stop() {
  pg_ctl_ -D "$(pg_root)/pgdata" -m "${PG_STOP_MODE:-fast}" -w -t 30 stop >> "$WORK/postgres.restart.log"
}
pg_start() {
  local port
  port=$(sed -E 's/.*port=([0-9]+).*/\1/' "$WORK/services/postgres.dsn")
  pg_ctl_ -D "$(pg_root)/pgdata" -l "$(pg_root)/pgdata/server.log" -w -t 30 \
    -o "-k $(pg_root)/pgsock -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start \
    >> "$WORK/postgres.restart.log"
}

# The hosts' pools must reconnect by themselves.
pg_check() {
  echo "postgres after the restart: sessions of the drill's database $(psql "$DSN" -qtAX -c \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")"
}

outage_drill postgres pg_stop pg_start pg_check
