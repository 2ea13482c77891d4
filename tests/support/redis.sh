#!/usr/bin/env bash
# Starts or stops a throwaway redis-server on 127.0.0.1 for the tests.
#   redis.sh start DIR   picks a free port, writes DIR/redis.port once Redis answers PING
#   redis.sh stop DIR    sends TERM and waits until the pidfile is gone
# Both are idempotent. No persistence: the data lives only as long as the process.
set -euo pipefail

action=${1:-}
dir=${2:-}
if [[ -z "$action" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

pidfile="$dir/redis.pid"
portfile="$dir/redis.port"
logfile="$dir/redis.log"
workdir="$dir/redis"

alive() {
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null
}

answers_ping() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
}

port_in_use() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

start() {
  mkdir -p "$dir" "$workdir"
  if alive && [[ -f "$portfile" ]] && answers_ping "$(cat "$portfile")"; then
    echo "redis already running on port $(cat "$portfile")"
    return 0
  fi
  rm -f "$portfile"
  local attempt port deadline
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    rm -f "$pidfile"
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --pidfile "$pidfile" \
      --logfile "$logfile" --dir "$workdir" --save '' --appendonly no >/dev/null
    deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
      if answers_ping "$port"; then
        echo "$port" >"$portfile"
        echo "redis started on port $port"
        return 0
      fi
      # The daemon exits on its own when the port was taken between the check and the bind.
      if [[ -f "$pidfile" ]] && ! alive; then break; fi
      sleep 0.05
    done
    stop
  done
  echo "redis failed to start; see $logfile" >&2
  return 1
}

stop() {
  if [[ ! -f "$pidfile" ]]; then
    rm -f "$portfile"
    return 0
  fi
  local pid deadline
  pid=$(cat "$pidfile" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 20))
  while [[ -f "$pidfile" ]] && ((SECONDS < deadline)); do
    # A process that is already gone cannot remove its own pidfile.
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then rm -f "$pidfile"; fi
    sleep 0.05
  done
  if [[ -f "$pidfile" ]]; then
    echo "redis (pid $pid) did not stop in time" >&2
    return 1
  fi
  rm -f "$portfile"
  echo "redis stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
