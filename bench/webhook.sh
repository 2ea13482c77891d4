#!/usr/bin/env bash
# Webhook-to-reply benchmark: wrk posts pre-signed Instagram deliveries (each a distinct user and
# mid) to a running chathost whose rules agent answers every message through a Graph API stand-in
# (nginx answering POST .../messages with a $request_id-based message id).
#
# Usage: bench/webhook.sh [sqlite|postgres|postgres2|all] (default all; postgres2: two hosts). Needs a build in ./build
# (cmake -S . -B build && cmake --build build -j2). Prints, per backend: webhooks/s acknowledged,
# webhooks/s answered (acknowledged and replied to, up to the last reply), ack latency
# p50/p99, webhook-to-reply p50/p99 (the host's histogram), CPU ms per webhook, peak RSS and
# sends per webhook. Settings from the environment: DURATION, CONNECTIONS, WRK_THREADS, WORKERS
# (workers.threads), PG_POOL (storage.postgresql.pool_size), PROFILE=1, HOST_WRAPPER,
# BENCH_LOG_LEVEL (default warning; info adds the access log's line per request).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${WRK_THREADS:-2}
COUNT=${COUNT:-400000}
MODE=${1:-all}

source bench/common.sh

run_backend() {
  local backend=$1
  local dir="$WORK/$backend"
  mkdir -p "$dir"
  : > "$WORK/sends.log"
  local storage="storage:
  backend: sqlite
  sqlite:
    path: $dir/chathost.db"
  local dedup="dedup:
  backend: memory"
  if [ "$backend" = postgres ]; then
    bash tests/support/postgres.sh start "$WORK/services" >/dev/null
    bash tests/support/redis.sh start "$WORK/services" >/dev/null
    storage="storage:
  backend: postgresql
  postgresql:
    dsn: \"$(cat "$WORK/services/postgres.dsn")\"
    pool_size: ${PG_POOL:-8}"
    dedup="dedup:
  backend: redis
  redis:
    host: 127.0.0.1
    port: $(cat "$WORK/services/redis.port")"
  fi
  start_host "$dir" "$storage" "$dedup"
  local pid=$HOST_PID base=$HOST_BASE
  local ticks cpu0 cpu1
  ticks=$(getconf CLK_TCK)
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  local switches0 switches1
  switches0=$(context_switches "$pid")
  switches_by_thread "$pid" > "$dir/threads0.txt"
  # PROFILE=1: record a CPU profile of the host during the load (perf report -i $WORK/perf.data);
  # PERF_EVENTS="-e sched:sched_switch" records where threads block instead.
  if [ -n "${PROFILE:-}" ]; then
    perf record ${PERF_EVENTS:--F 499} --call-graph dwarf,16384 -p "$pid" -o "$WORK/perf.data" -- sleep "$DURATION" 2>/dev/null &
  fi
  local started answered_at
  started=$(date +%s.%N)
  WEBHOOK_PATH=/api/database/bench/chat-agents/shop/instagram/webhook PAYLOADS="$WORK/payloads.tsv" \
    WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s bench/webhook.lua "$base" > "$dir/wrk.txt"
  local requests
  requests=$(accepted_webhooks "$base")
  wait_for_replies "$requests"
  answered_at=$(date +%s.%N)
  sleep 1  # let late duplicates, if any, show up in the count
  cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  switches1=$(context_switches "$pid")
  switches_by_thread "$pid" > "$dir/threads1.txt"
  local metrics sends
  metrics=$(curl -sf "$base/metrics")
  sends=$(wc -l < "$WORK/sends.log")
  echo "== $backend: $CONNECTIONS connections, $THREADS wrk threads, ${DURATION}s"
  echo "webhooks/s:            $(awk '/Requests\/sec/ {print $2}' "$dir/wrk.txt")"
  echo "answered webhooks/s:   $(awk -v n="$requests" -v a="$started" -v b="$answered_at" 'BEGIN{printf "%.2f", n/(b-a)}') (acknowledged and replied to, from the first request to the last reply)"
  echo "acked webhooks:        $requests (wrk: $(awk '/requests in/ {print $1}' "$dir/wrk.txt"), non-2xx: $(awk '/Non-2xx/ {print $NF}' "$dir/wrk.txt"))"
  echo "ack latency p50/p99:   $(awk '$1=="50%" {print $2}' "$dir/wrk.txt") / $(awk '$1=="99%" {print $2}' "$dir/wrk.txt")"
  echo "webhook->reply p50/p99: $(quantile 0.50 chathost_webhook_to_done_seconds <<<"$metrics") / $(quantile 0.99 chathost_webhook_to_done_seconds <<<"$metrics")"
  echo "CPU ms per webhook:    $(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" -v n="$requests" 'BEGIN{printf "%.4f", (b-a)*1000/t/n}')"
  echo "context switches/webhook: $(awk -v a="$switches0" -v b="$switches1" -v n="$requests" 'BEGIN{printf "%.2f", (b-a)/n}')"
  echo "per thread role (switches/webhook, CPU ms/webhook):"
  join -a2 "$dir/threads0.txt" "$dir/threads1.txt" | awk -v n="$requests" -v t="$ticks" '
    NF == 5 {printf "  %-14s %6.2f %7.4f\n", $1, ($4 - $2) / n, ($5 - $3) * 1000 / t / n}
    NF == 3 {printf "  %-14s %6.2f %7.4f\n", $1, $2 / n, $3 * 1000 / t / n}'
  echo "peak RSS:              $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$pid/status)"
  echo "sends per webhook:     $(awk -v s="$sends" -v n="$requests" 'BEGIN{printf "%.3f", s/n}')"
  kill -TERM "$pid"; wait "$pid" || true
}

# Two hosts sharing PostgreSQL and Redis, each loaded by a wrk of half the connections (one
# thread each) on its own slice of the deliveries: compare with `postgres` at the same total.
run_two_hosts() {
  bash tests/support/postgres.sh start "$WORK/services" >/dev/null
  bash tests/support/redis.sh start "$WORK/services" >/dev/null
  local storage="storage:
  backend: postgresql
  postgresql:
    dsn: \"$(cat "$WORK/services/postgres.dsn")\"
    pool_size: ${PG_POOL:-8}"
  local dedup="dedup:
  backend: redis
  redis:
    host: 127.0.0.1
    port: $(cat "$WORK/services/redis.port")"
  : > "$WORK/sends.log"
  local pids=() bases=() host
  for host in a b; do
    mkdir -p "$WORK/two/$host"
    # Hosts of one database share the key that seals connection secrets.
    [ "$host" = b ] && cp "$WORK/two/a/secret.key" "$WORK/two/b/secret.key"
    start_host "$WORK/two/$host" "$storage" "$dedup"
    pids+=("$HOST_PID")
    bases+=("$HOST_BASE")
  done
  local ticks cpu0=0 cpu1=0 pid
  ticks=$(getconf CLK_TCK)
  for pid in "${pids[@]}"; do cpu0=$((cpu0 + $(awk '{print $14+$15}' /proc/$pid/stat))); done
  local started answered_at half=$((CONNECTIONS / 2)) i loads=()
  started=$(date +%s.%N)
  for i in 0 1; do
    SLICE_OFFSET=$i SLICE_STRIDE=2 WRK_THREADS=1 \
      WEBHOOK_PATH=/api/database/bench/chat-agents/shop/instagram/webhook \
      PAYLOADS="$WORK/payloads.tsv" wrk -t1 -c"$half" -d"${DURATION}s" --latency \
      -s bench/webhook.lua "${bases[$i]}" > "$WORK/two/wrk$i.txt" &
    loads+=($!)
  done
  wait "${loads[@]}"
  local requests=0
  for i in 0 1; do requests=$((requests + $(accepted_webhooks "${bases[$i]}"))); done
  wait_for_replies "$requests"
  answered_at=$(date +%s.%N)
  sleep 1
  for pid in "${pids[@]}"; do cpu1=$((cpu1 + $(awk '{print $14+$15}' /proc/$pid/stat))); done
  echo "== postgres, two hosts: $CONNECTIONS connections in all, ${DURATION}s"
  echo "webhooks/s:            $(cat "$WORK"/two/wrk*.txt | awk '/Requests\/sec/ {s += $2} END {print s}')"
  echo "answered webhooks/s:   $(awk -v n="$requests" -v a="$started" -v b="$answered_at" 'BEGIN{printf "%.2f", n/(b-a)}')"
  echo "acked webhooks:        $requests"
  echo "CPU ms per webhook:    $(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" -v n="$requests" 'BEGIN{printf "%.4f", (b-a)*1000/t/n}') (both hosts)"
  echo "sends per webhook:     $(awk -v s="$(wc -l < "$WORK/sends.log")" -v n="$requests" 'BEGIN{printf "%.3f", s/n}')"
  for pid in "${pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
}

case "$MODE" in
  sqlite) run_backend sqlite ;;
  postgres) run_backend postgres ;;
  postgres2) run_two_hosts ;;
  all) run_backend sqlite; run_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|postgres2|all]"; exit 2 ;;
esac
