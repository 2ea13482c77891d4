#!/usr/bin/env bash
# Installs the build into a temporary prefix and runs the installed host on the installed example
# config from an empty directory: /healthz answers, the dashboard is served and the Instagram
# plugin is loaded. Nothing of the build tree is on any path the installed host uses.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/chathost-install.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "install_test: $*" >&2; [ -f "$work/host.log" ] && tail -20 "$work/host.log" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install failed"
for f in bin/chathost lib/chathost/plugins/libchathost_instagram.so share/chathost/web/index.html \
         share/chathost/configs/chathost.yaml share/chathost/configs/postgres-redis.yaml \
         share/chathost/chathost.schema.json include/chathost/sdk/channel.h; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
# The installed config schema is the one the installed host prints.
"$prefix/bin/chathost" --print-config-schema | cmp -s - "$prefix/share/chathost/chathost.schema.json" ||
  fail "share/chathost/chathost.schema.json differs from chathost --print-config-schema"

mkdir "$work/run"
cd "$work/run"
env -u CHATHOST_PLUGIN_PATH -u CHATHOST_WEB_ROOT CHATHOST_LISTEN=127.0.0.1:0 \
  "$prefix/bin/chathost" --config "$prefix/share/chathost/configs/chathost.yaml" \
  > "$work/host.log" 2>&1 &
pid=$!

# The host logs its address once it listens (port 0 picks a free one): poll with a deadline.
base=
deadline=$((SECONDS + 30))
while [ -z "$base" ]; do
  base=$(grep -o 'listening on http://[0-9.:]*' "$work/host.log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the installed host exited"
  [ "$SECONDS" -lt "$deadline" ] || fail "the installed host did not listen within 30 s"
  sleep 0.1
done

curl -sf "$base/healthz" | grep -q '"status":"ok"' || fail "/healthz did not answer ok"
curl -sf "$base/" | grep -q '<div id="app">' || fail "the dashboard is not served"
# The plugin's channel-wide webhook route exists only when the plugin loaded (404 otherwise); a
# wrong verify token is refused with 403.
code=$(curl -s -o /dev/null -w '%{http_code}' \
  "$base/webhooks/instagram?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")
[ "$code" = 403 ] || fail "GET /webhooks/instagram answered $code, not 403: is the plugin loaded?"
grep -q 'instagram' "$work/host.log" || fail "the log does not mention the instagram plugin"
code=$(curl -s -o /dev/null -w '%{http_code}' \
  "$base/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")
[ "$code" = 403 ] || fail "GET /webhooks/messenger answered $code, not 403: is the plugin loaded?"
echo "install_test: the installed host serves /healthz, the dashboard and the instagram and" \
  "messenger plugins"
