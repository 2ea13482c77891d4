# Shared by the benchmarks: a work directory cleaned up on exit, a Graph API stand-in (nginx),
# signed webhook payloads, a host started on a given storage with one rules agent connected to the
# bench account, and quantiles from the host's histograms. Source it from a bench script after
# setting ROOT, BUILD and COUNT; start_host sets HOST_PID and HOST_BASE.

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
    location ~ /subscribed_apps\$ {
      default_type application/json;
      # connect reads the subscription (GET), then subscribes (POST)
      if (\$request_method = GET) {
        return 200 '{"data":[]}';
      }
      return 200 '{"success":true}';
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

# context_switches PID: voluntary + involuntary switches of all the process's threads so far
# (threads that already ended are not counted).
context_switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null |
    awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s+0}'
}

# switches_by_thread PID: "<thread name> <switches> <cpu ticks>" per thread name (threads are
# named by role: http-io, http-handler, inbox-append, inbox-claim, inbox-work, outbox-claim,
# outbox-work...).
switches_by_thread() {
  local task
  for task in /proc/"$1"/task/*; do
    local name switches ticks
    name=$(cat "$task/comm" 2>/dev/null) || continue
    switches=$(awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s+0}' \
      "$task/status" 2>/dev/null) || continue
    ticks=$(awk '{print $14+$15}' "$task/stat" 2>/dev/null) || continue
    echo "$name $switches $ticks"
  done | awk '{s[$1] += $2; t[$1] += $3} END {for (n in s) print n, s[n], t[n]}' | sort
}

# accepted_webhooks BASE: the host's own count of accepted events (wrk does not count requests
# still in flight when it stops, but the host answered those too).
accepted_webhooks() {
  curl -sf "$1/metrics" |
    awk '/^chathost_instagram_webhook_events_total\{.*result="accepted"/ {s += $NF} END {print s+0}'
}

# wait_for_replies N: waits (bounded, 120 s) until the Graph stand-in has logged N sends.
wait_for_replies() {
  for _ in $(seq 1 1200); do
    [ "$(wc -l < "$WORK/sends.log")" -ge "$1" ] && return
    sleep 0.1
  done
}

# start_host DIR STORAGE_YAML DEDUP_YAML: writes DIR/chathost.yaml, starts the host, creates the
# rules agent "shop" of subaccount "bench" and connects it to the bench account.
start_host() {
  local dir=$1 storage=$2 dedup=$3
  cat > "$dir/chathost.yaml" <<YAML
server:
  listen: 127.0.0.1:0
${EXTRA_SERVER_CONFIG:-}
auth:
  jwt_secret: bench-jwt-secret-0123456789abcdef0123456789
$storage
$dedup
secrets:
  key_file: $dir/secret.key
data_dir: $dir/var
logging:
  level: ${BENCH_LOG_LEVEL:-warning}
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
  ${HOST_WRAPPER:-} "$BUILD/bin/chathost" --config "$dir/chathost.yaml" 2> "$dir/host.log" &
  HOST_PID=$!
  PIDS+=("$HOST_PID")
  local port=""
  for _ in $(seq 1 200); do
    port=$(grep -o 'listening on http://[^ ]*' "$dir/host.log" | sed 's/.*://' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "host did not start:"; cat "$dir/host.log"; exit 1; }
  HOST_BASE="http://127.0.0.1:$port"
  local token
  token=$("$BUILD/bin/chathost" token --config "$dir/chathost.yaml" --subaccount bench)
  # 201, or 409 when the host runs again on a data directory that already has the agent.
  local created
  created=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$HOST_BASE/api/database/bench/chat-agents" \
    -H "Authorization: Bearer $token" \
    -d '{"id":"shop","name":"Shop","type":"rules","config":{"rules":[{"match":"price","reply":"The blue one is 49 EUR."}],"fallback":"Thanks!"}}')
  case "$created" in 201|409) ;; *) echo "creating the bench agent answered $created"; exit 1 ;; esac
  curl -sf -X POST "$HOST_BASE/api/database/bench/chat-agents/shop/instagram/connect" -H "Authorization: Bearer $token" \
    -d "{\"accessToken\":\"bench-page-token\",\"instagramAccountId\":\"$ACCOUNT\",\"pageId\":\"$ACCOUNT\",\"webhookVerificationToken\":\"v\",\"webhookSecret\":\"$SECRET\"}" >/dev/null

}
