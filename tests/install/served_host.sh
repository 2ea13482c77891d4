# Sourced by the install tests: waits for a host started from an installed tree and checks what
# it serves. Callers define fail() and start the host with its log in $work/host.log.

# wait_for_listen PID WHAT: sets $base once the host logs its address (port 0 picks a free one),
# polling with a deadline; fails when the host exits or takes more than 30 s.
wait_for_listen() {
  local pid=$1 what=$2 deadline=$((SECONDS + 30))
  base=
  while [ -z "$base" ]; do
    base=$(grep -o 'listening on http://[0-9.:]*' "$work/host.log" | head -1 | cut -d' ' -f3 || true)
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the $what host exited"
    [ "$SECONDS" -lt "$deadline" ] || fail "the $what host did not listen within 30 s"
    sleep 0.1
  done
}

# check_served BASE: /healthz answers ok, the dashboard is served, and both channel plugins are
# loaded (their channel-wide webhook routes exist only then, 404 otherwise; a wrong verify token
# is refused with 403).
check_served() {
  local base=$1 channel code
  grep -q '"status":"ok"' <<< "$(curl -sf "$base/healthz")" || fail "/healthz did not answer ok"
  grep -q '<div id="app">' <<< "$(curl -sf "$base/")" || fail "the dashboard is not served"
  for channel in instagram messenger; do
    code=$(curl -s -o /dev/null -w '%{http_code}' \
      "$base/webhooks/$channel?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")
    [ "$code" = 403 ] ||
      fail "GET /webhooks/$channel answered $code, not 403: is the $channel plugin loaded?"
  done
}
