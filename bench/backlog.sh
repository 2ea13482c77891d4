#!/usr/bin/env bash
# Does a backlog make acknowledging or processing dearer? Runs the webhook load of webhook.sh on
# SQLite twice: on an empty database, then with BACKLOG events (default 1,000,000) waiting in the
# inbox and BACKLOG/5 reply parts waiting in the outbox, all due tomorrow (a retry or a paced
# account's parts). Claiming, pacing and acknowledging must cost the same in both runs.
#
# Usage: bench/backlog.sh. Needs a build in ./build. Prints, per run: webhooks/s acknowledged and
# answered, ack latency p50/p99, CPU ms per webhook, and the inbox claimer's CPU per webhook.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${WRK_THREADS:-2}
COUNT=${COUNT:-200000}
BACKLOG=${BACKLOG:-1000000}

source bench/common.sh

storage_yaml() {
  printf 'storage:\n  backend: sqlite\n  sqlite:\n    path: %s/chathost.db' "$1"
}
dedup_yaml=$'dedup:\n  backend: memory'

# Fills the inbox and the outbox of the database at $1 with rows due in a day.
fill_backlog() {
  python3 - "$1" "$BACKLOG" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
now = int(time.time() * 1000)
later = now + 24 * 3600 * 1000
c = sqlite3.connect(db)
rows = lambda count, tag: ((
    "instagram", "bench", "shop", f"bench:shop:{tag}{i}", f"{tag}{i}", "message", now, "{}",
    "pending", 1, later, now) for i in range(count))
sql = ("INSERT INTO {} (channel, subaccount_id, agent_id, ordering_key, dedup_key, kind, event_ts,"
       " payload, status, attempts, available_at, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
c.executemany(sql.format("inbox"), rows(n, "backlog-"))
c.executemany(sql.format("outbox"), rows(n // 5, "backlog-reply-"))
c.commit()
print(f"backlog: {n} inbox rows and {n // 5} outbox rows due tomorrow")
PY
}

# run LABEL DIR: the load against the host on DIR, then its numbers.
run() {
  local label=$1 dir=$2
  : > "$WORK/sends.log"
  start_host "$dir" "$(storage_yaml "$dir")" "$dedup_yaml"
  local pid=$HOST_PID base=$HOST_BASE ticks
  ticks=$(getconf CLK_TCK)
  local cpu0 cpu1 claim0 claim1 started answered_at requests
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  claim0=$(switches_by_thread "$pid" | awk '$1=="inbox-claim" {print $3}')
  started=$(date +%s.%N)
  WEBHOOK_PATH=/api/database/bench/chat-agents/shop/instagram/webhook PAYLOADS="$WORK/payloads.tsv" \
    WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s bench/webhook.lua "$base" > "$dir/wrk.txt"
  requests=$(accepted_webhooks "$base")
  wait_for_replies "$requests"
  answered_at=$(date +%s.%N)
  cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  claim1=$(switches_by_thread "$pid" | awk '$1=="inbox-claim" {print $3}')
  echo "== $label"
  echo "webhooks/s acknowledged: $(awk '/Requests\/sec/ {print $2}' "$dir/wrk.txt")"
  echo "webhooks/s answered:     $(awk -v n="$requests" -v a="$started" -v b="$answered_at" 'BEGIN{printf "%.2f", n/(b-a)}')"
  echo "ack latency p50/p99:     $(awk '$1=="50%" {print $2}' "$dir/wrk.txt") / $(awk '$1=="99%" {print $2}' "$dir/wrk.txt")"
  echo "CPU ms per webhook:      $(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" -v n="$requests" 'BEGIN{printf "%.4f", (b-a)*1000/t/n}')"
  echo "claimer CPU ms/webhook:  $(awk -v a="$claim0" -v b="$claim1" -v t="$ticks" -v n="$requests" 'BEGIN{printf "%.4f", (b-a)*1000/t/n}')"
  echo "sends per webhook:       $(awk -v s="$(wc -l < "$WORK/sends.log")" -v n="$requests" 'BEGIN{printf "%.3f", s/n}')"
  kill -TERM "$pid"; wait "$pid" || true
}

mkdir -p "$WORK/empty" "$WORK/backlog"
run "empty inbox" "$WORK/empty"

# The schema comes from a first start; the backlog goes in while the host is down.
start_host "$WORK/backlog" "$(storage_yaml "$WORK/backlog")" "$dedup_yaml"
kill -TERM "$HOST_PID"; wait "$HOST_PID" || true
fill_backlog "$WORK/backlog/chathost.db"
run "$BACKLOG events waiting" "$WORK/backlog"
