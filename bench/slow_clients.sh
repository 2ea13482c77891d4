#!/usr/bin/env bash
# Latency of /healthz and of signed webhooks while slow clients attack the host: COUNT_LIST
# attackers (default "0 300 2000") each trickle one byte every INTERVAL seconds (default 5) into
# a request they never finish (MODE=trickle) or send nothing (MODE=silent). For each count, wrk
# measures /healthz and then webhooks for DURATION seconds at CONNECTIONS connections.
#
# Usage: bench/slow_clients.sh. BUILD=dir picks another build (e.g. an older commit's) to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${WRK_THREADS:-1}
COUNT=${COUNT:-200000}
INTERVAL=${INTERVAL:-5}
MODE=${MODE:-trickle}
COUNT_LIST=${COUNT_LIST:-0 300 2000}

source bench/common.sh
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

dir="$WORK/sqlite"
mkdir -p "$dir"
start_host "$dir" "storage:
  backend: sqlite
  sqlite:
    path: $dir/chathost.db" "dedup:
  backend: memory"
port=${HOST_BASE##*:}

measure() {  # measure NAME WRK_ARGS...: prints p50 / p99 / max latency, requests/s, errors
  local name=$1
  shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 60s --latency "$@")
  printf '  %-9s p50 %-9s p99 %-9s max %-9s req/s %-9s errors: %s\n' "$name" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk '/Latency/ {print $4}' <<<"$out")" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '/Socket errors|Non-2xx/ {printf "%s ", $0}' <<<"$out")"
}

for attackers in $COUNT_LIST; do
  attack_time=$((DURATION * 2 + 15))
  if [ "$attackers" -gt 0 ]; then
    python3 bench/trickle.py 127.0.0.1 "$port" "$attackers" "$MODE" "$INTERVAL" "$attack_time" \
      > "$WORK/trickle.txt" &
    attacker_pid=$!
    sleep 5  # let every attacker connect and start trickling
  fi
  echo "== $attackers $MODE attackers (one byte every ${INTERVAL}s), $CONNECTIONS wrk connections"
  measure healthz "$HOST_BASE/healthz"
  WEBHOOK_PATH=/api/database/bench/chat-agents/shop/instagram/webhook PAYLOADS="$WORK/payloads.tsv" \
    WRK_THREADS=$THREADS measure webhook -s bench/webhook.lua "$HOST_BASE"
  if [ "$attackers" -gt 0 ]; then
    wait "$attacker_pid" || true
    echo "  $(cat "$WORK/trickle.txt")"
  fi
done
echo "host: peak RSS $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$HOST_PID/status), \
threads $(ls /proc/$HOST_PID/task | wc -l)"
kill -TERM "$HOST_PID"
wait "$HOST_PID" || true
