#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 for the integration tests.
#   postgres.sh start DIR   initdb (as user postgres) into a data root the postgres user can reach,
#                           listen on 127.0.0.1 at a free port, create database chathost_test,
#                           write DIR/postgres.dsn
#   postgres.sh stop DIR    fast shutdown, wait until postmaster.pid is gone, remove the data root
# The data root is DIR/pg when user postgres can reach DIR, else a private directory under /tmp
# (a checkout under /root, mode 700 on Debian, is not searchable by postgres); DIR/postgres.root
# names it either way. Idempotent: start reuses a server that already runs; stopping a stopped
# server is ok.
set -euo pipefail

action=${1:-}
dir=${2:-}
if [[ -z "$action" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pgbin" ]]; then
  echo "postgres.sh: no PostgreSQL server found under /usr/lib/postgresql" >&2
  exit 1
fi
rootfile="$dir/postgres.root"
dsnfile="$dir/postgres.dsn"

# Where the data root is (set by choose_root at start, read back from $rootfile otherwise).
set_root() {
  pgroot=$1
  pgdata="$pgroot/pgdata"
  pgsock="$pgroot/pgsock"
  pidfile="$pgdata/postmaster.pid"
}
if [[ -f "$rootfile" ]]; then set_root "$(cat "$rootfile")"; else set_root "$dir/pg"; fi

# Runs a command as the postgres user (the server refuses to run as root).
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

server_running() {
  [[ -f "$pidfile" ]] && kill -0 "$(head -n 1 "$pidfile")" 2>/dev/null
}

free_port() {
  python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# Picks the data root: DIR/pg when user postgres can reach DIR, else a fresh directory in /tmp.
choose_root() {
  if [[ $(id -u) -ne 0 ]] || runuser -u postgres -- test -x "$dir" 2>/dev/null; then
    set_root "$dir/pg"
  else
    set_root "$(mktemp -d /tmp/chathost-test-pg.XXXXXXXX)"
    chmod 755 "$pgroot"
  fi
  echo "$pgroot" >"$rootfile"
}

# Removes the data root (and $rootfile); refuses anything that is not a root this script made.
remove_root() {
  case "$pgroot" in
    "$dir/pg" | /tmp/chathost-test-pg.*) rm -rf -- "$pgroot" ;;
    *) echo "postgres.sh: not removing unexpected data root $pgroot" >&2 ;;
  esac
  rm -f "$rootfile"
}

start() {
  mkdir -p "$dir"
  if server_running && [[ -f "$dsnfile" ]]; then
    echo "postgres.sh: reusing the server in $pgdata ($(cat "$dsnfile"))"
    return 0
  fi
  [[ -f "$rootfile" ]] && remove_root  # left by a run that did not stop its server
  choose_root
  if [[ $(id -u) -eq 0 ]]; then
    install -d -o postgres -g postgres -m 700 "$pgdata"
    install -d -o postgres -g postgres -m 755 "$pgsock"
    if ! runuser -u postgres -- test -w "$pgdata"; then
      echo "postgres.sh: user postgres cannot write $pgdata" >&2
      exit 1
    fi
  else
    install -d -m 700 "$pgdata"
    install -d -m 755 "$pgsock"
  fi
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    as_postgres "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  rm -f "$pidfile"  # stale after a crash
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_postgres "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 30 \
      -o "-k $pgsock -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
      break
    fi
    port=""
  done
  if [[ -z "$port" ]]; then
    echo "postgres.sh: the server did not start; log:" >&2
    tail -n 30 "$pgdata/server.log" >&2 || true
    exit 1
  fi
  if ! as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'chathost_test'" | grep -q 1; then
    as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres chathost_test
  fi
  echo "host=127.0.0.1 port=$port dbname=chathost_test user=postgres" >"$dsnfile"
  echo "postgres.sh: started ($(cat "$dsnfile"))"
}

stop() {
  if [[ -f "$pidfile" ]]; then
    local pid
    pid=$(head -n 1 "$pidfile")
    kill -INT "$pid" 2>/dev/null || true  # fast shutdown
    local deadline=$((SECONDS + 30))
    while [[ -f "$pidfile" ]] && kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS > deadline)); then
        echo "postgres.sh: the server $pid did not stop within 30 s" >&2
        exit 1
      fi
      sleep 0.1
    done
  fi
  rm -f "$dsnfile"
  [[ -f "$rootfile" ]] && remove_root
  echo "postgres.sh: stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
