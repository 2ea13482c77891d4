# Shared by the drills (sourced, not run): a work directory, a Graph API stand-in that logs the
# recipient of every send, signed payloads, PostgreSQL and Redis, hosts on fixed ports that can be
# killed and started again on the same config and data directory, the load generator, draining
# and the verdict. Source it from the repository root with BUILD set.
#
# Environment: RATE (webhooks/s, default 200), RESEND (1: post unacknowledged deliveries again, as
# Meta does; default 1), DRAIN_SECONDS (default 90), WINDOW_MS (default 50), KEEP=1 (keep the
# work directory; it is kept anyway when a drill fails).

RATE=${RATE:-200}
RESEND=${RESEND:-1}
DRAIN_SECONDS=${DRAIN_SECONDS:-90}
WINDOW_MS=${WINDOW_MS:-50}
COUNT=${COUNT:-40000}  # more than a drill posts at RATE
DRILLS=$ROOT/bench/drills
ACCOUNT=17841400000000001
SECRET=bench-webhook-secret

WORK=$(mktemp -d /tmp/chathost-drill.XXXXXX)
chmod 755 "$WORK"  # PostgreSQL runs as its own user and must reach its data directory
EVENTS=$WORK/events.log
SENDS=$WORK/sends.log
: > "$EVENTS"
: > "$SENDS"

declare -A HOST_PID=() HOST_PORT=() HOST_RUN=()
GRAPH_PID=""
LOAD_PID=""
BACKEND=""
DSN=""
DRILL_FAILED=""

# Every process the drill started goes, whatever state the drill stopped in.
cleanup() {
  local name pid
  for pid in "$LOAD_PID" "$GRAPH_PID"; do
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  done
  for name in "${!HOST_PID[@]}"; do
    [ -z "${HOST_PID[$name]}" ] || kill -9 "${HOST_PID[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  bash tests/support/redis.sh stop "$WORK/services" >/dev/null 2>&1 || true
  bash tests/support/postgres.sh stop "$WORK/services" >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ] || [ -n "$DRILL_FAILED" ]; then
    echo "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# event KIND HOST [DETAIL]: one line of the drill's own timeline (kills, restarts, outages), timed
# by the shell's clock (no fork, so the time is within microseconds of the call).
event() { echo "${EPOCHREALTIME:0:-3} $*" >> "$EVENTS"; }

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

start_graph() {
  GRAPH_PORT=$(free_port)
  python3 "$DRILLS/graph_standin.py" "$GRAPH_PORT" "$SENDS" 2> "$WORK/graph.log" &
  GRAPH_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$GRAPH_PORT/" >/dev/null && return 0
    sleep 0.05
  done
  echo "the Graph stand-in did not start:"; cat "$WORK/graph.log"; exit 1
}

make_payloads() {
  "$BUILD/bin/make_webhook_payloads" "$COUNT" "$SECRET" "$ACCOUNT" "$WORK/payloads.tsv"
}

# use_sqlite / use_postgres: pick the storage and dedup every host config gets.
use_sqlite() {
  BACKEND=sqlite
  DEDUP_YAML="dedup:
  backend: memory"
}
use_postgres() {
  BACKEND=postgres
  bash tests/support/postgres.sh start "$WORK/services" > "$WORK/postgres.start.log"
  bash tests/support/redis.sh start "$WORK/services" > "$WORK/redis.start.log"
  DSN=$(cat "$WORK/services/postgres.dsn")
  REDIS_PORT=$(cat "$WORK/services/redis.port")
  DEDUP_YAML="dedup:
  backend: redis
  redis:
    host: 127.0.0.1
    port: $REDIS_PORT"
}

storage_yaml() {  # storage_yaml NAME
  if [ "$BACKEND" = sqlite ]; then
    printf 'storage:\n  backend: sqlite\n  sqlite:\n    path: %s\n' "$WORK/$1/chathost.db"
  else
    printf 'storage:\n  backend: postgresql\n  postgresql:\n    dsn: "%s"\n' "$DSN"
  fi
}

# add_host NAME: a config with a port of its own (kept across restarts, so the load finds the host
# again), its own data directory (instance lock, claim owner), and a Graph base URL whose first
# path segment names the host in the send log. Hosts share the JWT and secret keys, as hosts of
# one database must.
add_host() {
  local name=$1 dir=$WORK/$1
  mkdir -p "$dir"
  HOST_PORT[$name]=$(free_port)
  HOST_RUN[$name]=0
  HOST_PID[$name]=""
  cat > "$dir/chathost.yaml" <<YAML
server:
  listen: 127.0.0.1:${HOST_PORT[$name]}
auth:
  jwt_secret: drill-jwt-secret-0123456789abcdef0123456789
$(storage_yaml "$name")
$DEDUP_YAML
secrets:
  key_file: $WORK/secret.key
data_dir: $dir/var
logging:
  level: info
workers:
  threads: 16
plugins:
  - name: instagram
    config:
      graph_base_url: http://127.0.0.1:$GRAPH_PORT/$name
      graph_api_version: v21.0
      app_secret: $SECRET
      # One account answers every drill user: no per-account send limit.
      send_rate_per_second: 0
YAML
}

# start_host NAME: starts the host on its config; each run logs to NAME/host.<run>.log.
start_host() {
  local name=$1 dir=$WORK/$1
  HOST_RUN[$name]=$((HOST_RUN[$name] + 1))
  local log=$dir/host.${HOST_RUN[$name]}.log
  "$BUILD/bin/chathost" --config "$dir/chathost.yaml" > "$log" 2>&1 &
  HOST_PID[$name]=$!
  local deadline=$((SECONDS + 30))
  until grep -qs "listening on" "$log"; do
    if ! kill -0 "${HOST_PID[$name]}" 2>/dev/null || ((SECONDS > deadline)); then
      echo "host $name did not start:"; tail -n 20 "$log"; exit 1
    fi
    sleep 0.02
  done
  event start "$name" "${HOST_PID[$name]} run ${HOST_RUN[$name]}"
}

# kill_host NAME: kill -9, timed right after the signal was sent: sends answered before that time
# may be the dead process's, none after it.
kill_host() {
  local name=$1 pid=${HOST_PID[$1]}
  kill -9 "$pid"
  event kill "$name" "$pid"
  wait "$pid" 2>/dev/null || true
  HOST_PID[$name]=""
}

stop_host() {
  local name=$1 pid=${HOST_PID[$1]}
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  HOST_PID[$name]=""
  event stop "$name" "$pid"
}

# setup_agent NAME: the rules agent "shop" of subaccount "bench", connected to the bench account
# (stored once; hosts sharing the database find it there).
setup_agent() {
  local base=http://127.0.0.1:${HOST_PORT[$1]} token
  token=$("$BUILD/bin/chathost" token --config "$WORK/$1/chathost.yaml" --subaccount bench)
  curl -sf -X POST "$base/api/database/bench/chat-agents" -H "Authorization: Bearer $token" \
    -d '{"id":"shop","name":"Shop","type":"rules","config":{"rules":[{"match":"price","reply":"The blue one is 49 EUR."}],"fallback":"Thanks!"}}' >/dev/null
  curl -sf -X POST "$base/api/database/bench/chat-agents/shop/instagram/connect" -H "Authorization: Bearer $token" \
    -d "{\"accessToken\":\"bench-page-token\",\"instagramAccountId\":\"$ACCOUNT\",\"pageId\":\"$ACCOUNT\",\"webhookVerificationToken\":\"v\",\"webhookSecret\":\"$SECRET\"}" >/dev/null
}

# start_load NAME...: deliveries split over the named hosts.
start_load() {
  local targets="" name
  for name in "$@"; do targets+="${targets:+,}$name=127.0.0.1:${HOST_PORT[$name]}"; done
  local resend=()
  [ "$RESEND" = 1 ] && resend=(--resend)
  rm -f "$WORK/load.stop"
  python3 "$DRILLS/load.py" --payloads "$WORK/payloads.tsv" --targets "$targets" --rate "$RATE" \
    --log "$WORK/load.log" --stop-file "$WORK/load.stop" "${resend[@]}" > "$WORK/load.out" 2>&1 &
  LOAD_PID=$!
}

# stop_load: no new deliveries; waits for the resends of unacknowledged ones (bounded in load.py).
stop_load() {
  touch "$WORK/load.stop"
  wait "$LOAD_PID" || true
  LOAD_PID=""
  echo "load: $(cat "$WORK/load.out")"
}

db() {  # db SQL: one query on the drill's database, unaligned output
  if [ "$BACKEND" = sqlite ]; then
    sqlite3 -cmd '.timeout 5000' "$WORK/a/chathost.db" "$1"
  else
    psql "$DSN" -qtAX -F ' ' -c "$1"
  fi
}

# Inbox and outbox rows not finished yet, e.g. "0 0".
unfinished() {
  db "SELECT (SELECT count(*) FROM inbox WHERE status NOT IN ('done','failed')) || ' ' ||
             (SELECT count(*) FROM outbox WHERE status NOT IN ('done','failed'))" 2>/dev/null ||
    echo "? ?"
}

# drain: waits until the database has no unfinished inbox or outbox row and the send log has not
# grown for 3 s (late duplicates would show up then), or DRAIN_SECONDS pass.
drain() {
  local deadline=$((SECONDS + DRAIN_SECONDS)) last=-1 stable=0 sends open
  while ((SECONDS < deadline)); do
    sends=$(wc -l < "$SENDS")
    open=$(unfinished)
    if [ "$sends" = "$last" ] && [ "$open" = "0 0" ]; then
      stable=$((stable + 1))
      ((stable >= 3)) && { echo "drained: $sends sends, nothing unfinished"; return 0; }
    else
      stable=0
    fi
    last=$sends
    sleep 1
  done
  echo "drain: still unfinished (inbox outbox) after ${DRAIN_SECONDS}s: $open; sends $sends"
}

metric_sum() {  # metric_sum HOST REGEX: the sum of the host's samples matching REGEX
  curl -sf "http://127.0.0.1:${HOST_PORT[$1]}/metrics" | awk -v re="$2" '$0 ~ re {s += $NF} END {print s+0}'
}

# What each live host counted since its last start (the counters restart with the process).
host_metrics() {
  local name
  for name in "${!HOST_PID[@]}"; do
    [ -n "${HOST_PID[$name]}" ] || continue
    echo "host $name since run ${HOST_RUN[$name]}: accepted $(metric_sum "$name" '^chathost_instagram_webhook_events_total\{.*result="accepted"'), \
inbox appended $(metric_sum "$name" '^chathost_inbox_appended_total'), \
inbox done $(metric_sum "$name" '^chathost_inbox_events_total\{.*outcome="done"'), \
outbox appended $(metric_sum "$name" '^chathost_outbox_appended_total'), \
outbox done $(metric_sum "$name" '^chathost_outbox_events_total\{.*outcome="done"'), \
outbox retry $(metric_sum "$name" '^chathost_outbox_events_total\{.*outcome="retry"'), \
outbox failed $(metric_sum "$name" '^chathost_outbox_events_total\{.*outcome="failed"')"
  done
}

db_summary() {
  echo "database: inbox rows by status: $(db "SELECT status || '=' || count(*) FROM inbox GROUP BY status" | tr '\n' ' ')"
  echo "database: inbox rows $(db "SELECT count(*) FROM inbox"), distinct events $(db "SELECT count(DISTINCT dedup_key) FROM inbox") (more rows: redeliveries recorded again)"
  echo "database: outbox rows by status: $(db "SELECT status || '=' || count(*) FROM outbox GROUP BY status" | tr '\n' ' ')"
  echo "database: outbox rows claimed more than once: $(db "SELECT count(*) FROM outbox WHERE attempts > 1")"
  echo "database: outbound messages by status: $(db "SELECT status || '=' || count(*) FROM messages WHERE direction = 'outbound' GROUP BY status" | tr '\n' ' ')"
  local failed
  failed=$(db "SELECT 'inbox ' || reason FROM inbox WHERE status = 'failed' UNION ALL SELECT 'outbox ' || reason FROM outbox WHERE status = 'failed'" | sort | uniq -c | head -n 10)
  [ -z "$failed" ] || echo "database: failed rows (count reason): $failed"
}

# explain USER: what the database and the host logs hold about one user's reply.
explain() {
  local user=$1 local_id
  echo "  -- user $user"
  db "SELECT 'message ' || m.local_id || ' status=' || m.status || ' mid=' || m.mid || ' ts=' || m.ts
        FROM messages m JOIN chats c ON c.chat_id = m.chat_id
       WHERE c.channel_user_id = '$user' ORDER BY m.ts" | sed 's/^/     /'
  db "SELECT 'inbox id=' || id || ' status=' || status || ' attempts=' || attempts || ' by=' || claimed_by ||
             ' received=' || received_at || ' finished=' || finished_at || ' reason=' || reason
        FROM inbox WHERE payload LIKE '%$user%' ORDER BY id" | sed 's/^/     /'
  for local_id in $(db "SELECT m.local_id FROM messages m JOIN chats c ON c.chat_id = m.chat_id
                         WHERE c.channel_user_id = '$user' AND m.direction = 'outbound'"); do
    db "SELECT 'outbox id=' || id || ' status=' || status || ' attempts=' || attempts || ' by=' || claimed_by ||
               ' received=' || received_at || ' finished=' || finished_at || ' reason=' || reason
          FROM outbox WHERE dedup_key = '$local_id' ORDER BY id" | sed 's/^/     /'
    grep -H "$local_id" "$WORK"/*/host.*.log 2>/dev/null | head -n 10 | sed "s|$WORK/|     |"
  done
}

# export_db: the queue and message tables as TSV files in db/ (PostgreSQL's data directory goes
# with the drill; the SQLite file stays in the work directory anyway).
export_db() {
  [ "$BACKEND" = postgres ] || return 0
  mkdir -p "$WORK/db"
  local table
  for table in inbox outbox messages chats; do
    psql "$DSN" -qX -c "\\copy $table TO '$WORK/db/$table.tsv' WITH (FORMAT csv, DELIMITER E'\\t', HEADER)"
  done
}

# verdict: the numbers, then the database's own view; cases outside the window are explained.
verdict() {
  echo "== verdict"
  local rc=0 name
  # A host that exited on its own (not killed by the drill) is a finding by itself.
  for name in "${!HOST_PID[@]}"; do
    if [ -n "${HOST_PID[$name]}" ] && ! kill -0 "${HOST_PID[$name]}" 2>/dev/null; then
      echo "HOST $name EXITED on its own; the end of its log:"
      tail -n 20 "$WORK/$name/host.${HOST_RUN[$name]}.log"
      HOST_PID[$name]=""
      rc=1
    fi
  done
  python3 "$DRILLS/analyze.py" --load "$WORK/load.log" --sends "$SENDS" --events "$EVENTS" \
    --window-ms "$WINDOW_MS" > "$WORK/verdict.txt" || rc=1
  cat "$WORK/verdict.txt"
  host_metrics
  db_summary
  if [ -n "${KEEP:-}" ] || [ "$rc" -ne 0 ]; then export_db; fi
  if [ "$rc" -ne 0 ]; then
    DRILL_FAILED=1
    echo "== the database and host logs on the first suspicious cases"
    local user
    for user in $(awk '/OUTSIDE: recipient/ {print $3} /LOST: delivery/ {print $5}' "$WORK/verdict.txt" | head -n 10); do
      explain "$user"
    done
  fi
  return 0
}

# outage_drill SERVICE STOP_FUNCTION START_FUNCTION [CHECK_FUNCTION]: two hosts on PostgreSQL and
# Redis under load; after BEFORE seconds (default 5) SERVICE is stopped, DOWN_SECONDS later
# (default 3) started again on the same address and data, and the load goes on AFTER seconds
# (default 10), at the end of which CHECK_FUNCTION shows that the hosts use the service again.
outage_drill() {
  local service=$1 stop_fn=$2 start_fn=$3 check_fn=${4:-true} started=$SECONDS
  start_graph
  make_payloads
  use_postgres
  add_host a
  add_host b
  start_host a
  setup_agent a
  start_host b
  echo "== $service restart: ${RATE} webhooks/s over a b, down ${DOWN_SECONDS:-3}s, work dir $WORK"
  start_load a b
  sleep "${BEFORE:-5}"
  event down "$service"
  "$stop_fn"
  event stopped "$service"
  sleep "${DOWN_SECONDS:-3}"
  "$start_fn"
  event up "$service"
  sleep "${AFTER:-10}"
  "$check_fn"
  stop_load
  drain
  verdict
  echo "host log lines at warning or above: $(cat "$WORK"/[ab]/host.*.log | grep -cE ' (WARN|ERROR)' || true), by message:"
  grep -hE ' (WARN|ERROR)' "$WORK"/[ab]/host.*.log | sed -E 's/^[^ ]+ //; s/ [A-Za-z]+=.*//' | sort |
    uniq -c | sort -rn | head -n 10 || true
  echo "run time: $((SECONDS - started)) s"
  stop_host a
  stop_host b
}
