#!/usr/bin/env bash
# Webhook-to-reply benchmark: wrk posts pre-signed Instagram deliveries (each a distinct user and
# mid) to a running chathost whose rules agent answers every message through a Graph API stand-in
# (nginx answering POST .../messages with a $request_id-based message id).
#
# Usage: bench/webhook.sh [sqlite|postgres|all] (default all). Needs a build in ./build
# (cmake -S . -B build && cmake --build build -j2). Prints, per backend: webhooks/s, ack latency
# p50/p99, webhook-to-reply p50/p99 (the host's histogram), CPU ms per webhook, peak RSS and
# sends per webhook.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${WRK_THREADS:-2}
COUNT=${COUNT:-400000}
MODE=${1:-all}

for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "installing $tool"; apt-get install -y -qq wrk nginx-light >/dev/null; }
done

WORK=$(mktemp -d /tmp/chathost-bench.XXXXXX)
chmod 755 "$WORK"  # PostgreSQL runs as its own user and must reach its data directory
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  bash tests/support/redis.sh stop "$WORK/services" >/dev/null 2>&1 || true
  bash tests/support/postgres.sh stop "$WORK/services" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null ||
  perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1:0")->sockport'; }

ACCOUNT=17841400000000001
SECRET=bench-webhook-secret
GRAPH_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$GRAPH_PORT;
    location ~ /messages\$ {
      access_log $WORK/sends.log;
      default_type application/json;
      return 200 '{"recipient_id":"1","message_id":"m_\$request_id"}';
    }
    location / {
      default_type application/json;
      return 200 '{"id":"$ACCOUNT","username":"bench_shop","name":"Bench Shop","account_type":"BUSINESS"}';
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf"

"$BUILD/bin/make_webhook_payloads" "$COUNT" "$SECRET" "$ACCOUNT" "$WORK/payloads.tsv"

quantile() {  # quantile Q METRIC_NAME < metrics text  (linear interpolation inside the bucket)
  awk -v q="$1" -v name="$2" '
    $0 ~ "^"name"_bucket" { match($0, /le="[^"]+"/); le = substr($0, RSTART+4, RLENGTH-5);
      n++; les[n] = (le == "+Inf") ? 1e9 : le; cnt[n] = $NF }
    END { total = cnt[n]; if (total == 0) { print "n/a"; exit }
      target = q * total; prev = 0; prevle = 0
      for (i = 1; i <= n; i++) { if (cnt[i] >= target) {
          frac = (cnt[i] == prev) ? 0 : (target - prev) / (cnt[i] - prev)
          printf "%.2f ms", (prevle + (les[i] - prevle) * frac) * 1000; exit }
        prev = cnt[i]; prevle = les[i] } }'
}

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
    dsn: \"$(cat "$WORK/services/postgres.dsn")\""
    dedup="dedup:
  backend: redis
  redis:
    host: 127.0.0.1
    port: $(cat "$WORK/services/redis.port")"
  fi
  cat > "$dir/chathost.yaml" <<YAML
server:
  listen: 127.0.0.1:0
auth:
  jwt_secret: bench-jwt-secret-0123456789abcdef0123456789
$storage
$dedup
secrets:
  key_file: $dir/secret.key
data_dir: $dir/var
logging:
  level: warning
workers:
  threads: ${WORKERS:-32}
plugins:
  - name: instagram
    config:
      graph_base_url: http://127.0.0.1:$GRAPH_PORT
      graph_api_version: v21.0
      app_secret: $SECRET
      # One account answers every bench user: lift the 100/s per-account send limit that
      # protects real accounts (the stand-in Graph API has none).
      send_rate_per_second: 0
${EXTRA_PLUGIN_CONFIG:-}
YAML
  "$BUILD/bin/chathost" --config "$dir/chathost.yaml" 2> "$dir/host.log" &
  local pid=$!
  PIDS+=("$pid")
  local port=""
  for _ in $(seq 1 200); do
    port=$(grep -o 'listening on http://[^ ]*' "$dir/host.log" | sed 's/.*://' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "host did not start:"; cat "$dir/host.log"; exit 1; }
  local base="http://127.0.0.1:$port"
  local token
  token=$("$BUILD/bin/chathost" token --config "$dir/chathost.yaml" --subaccount bench)
  curl -sf -X POST "$base/api/database/bench/chat-agents" -H "Authorization: Bearer $token" \
    -d '{"id":"shop","name":"Shop","type":"rules","config":{"rules":[{"match":"price","reply":"The blue one is 49 EUR."}],"fallback":"Thanks!"}}' >/dev/null
  curl -sf -X POST "$base/api/database/bench/chat-agents/shop/instagram/connect" -H "Authorization: Bearer $token" \
    -d "{\"accessToken\":\"bench-page-token\",\"instagramAccountId\":\"$ACCOUNT\",\"pageId\":\"$ACCOUNT\",\"webhookVerificationToken\":\"v\",\"webhookSecret\":\"$SECRET\"}" >/dev/null

  local ticks cpu0 cpu1
  ticks=$(getconf CLK_TCK)
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  # PROFILE=1: record a CPU profile of the host during the load (perf report -i $WORK/perf.data).
  if [ -n "${PROFILE:-}" ]; then
    perf record -F 499 --call-graph dwarf,16384 -p "$pid" -o "$WORK/perf.data" -- sleep "$DURATION" 2>/dev/null &
  fi
  WEBHOOK_PATH=/api/database/bench/chat-agents/shop/instagram/webhook PAYLOADS="$WORK/payloads.tsv" \
    WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s bench/webhook.lua "$base" > "$dir/wrk.txt"
  # The host's own count of accepted events: wrk does not count requests still in flight when
  # it stops, but the host answered those too.
  local requests
  accepted() {
    curl -sf "$base/metrics" |
      awk '/^chathost_instagram_webhook_events_total\{.*result="accepted"/ {s += $NF} END {print s+0}'
  }
  requests=$(accepted)
  # Wait (bounded) until every acknowledged webhook has been answered.
  for _ in $(seq 1 1200); do
    [ "$(wc -l < "$WORK/sends.log")" -ge "$requests" ] && break
    sleep 0.1
  done
  sleep 1  # let late duplicates, if any, show up in the count
  cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  local metrics sends
  metrics=$(curl -sf "$base/metrics")
  sends=$(wc -l < "$WORK/sends.log")
  echo "== $backend: $CONNECTIONS connections, $THREADS wrk threads, ${DURATION}s"
  echo "webhooks/s:            $(awk '/Requests\/sec/ {print $2}' "$dir/wrk.txt")"
  echo "acked webhooks:        $requests (wrk: $(awk '/requests in/ {print $1}' "$dir/wrk.txt"), non-2xx: $(awk '/Non-2xx/ {print $NF}' "$dir/wrk.txt"))"
  echo "ack latency p50/p99:   $(awk '$1=="50%" {print $2}' "$dir/wrk.txt") / $(awk '$1=="99%" {print $2}' "$dir/wrk.txt")"
  echo "webhook->reply p50/p99: $(quantile 0.50 chathost_webhook_to_done_seconds <<<"$metrics") / $(quantile 0.99 chathost_webhook_to_done_seconds <<<"$metrics")"
  echo "CPU ms per webhook:    $(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" -v n="$requests" 'BEGIN{printf "%.4f", (b-a)*1000/t/n}')"
  echo "peak RSS:              $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$pid/status)"
  echo "sends per webhook:     $(awk -v s="$sends" -v n="$requests" 'BEGIN{printf "%.3f", s/n}')"
  kill -TERM "$pid"; wait "$pid" || true
}

case "$MODE" in
  sqlite) run_backend sqlite ;;
  postgres) run_backend postgres ;;
  all) run_backend sqlite; run_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|all]"; exit 2 ;;
esac
