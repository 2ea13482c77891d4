#!/usr/bin/env bash
# Installs the build into a temporary prefix and runs the installed host on the installed example
# config from an empty directory: /healthz answers, the dashboard is served and both channel
# plugins are loaded. Nothing of the build tree is on any path the installed host uses.
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
# shellcheck source=served_host.sh
source "$(dirname "$0")/served_host.sh"

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

wait_for_listen "$pid" installed

check_served "$base"
grep -q 'instagram' "$work/host.log" || fail "the log does not mention the instagram plugin"
echo "install_test: the installed host serves /healthz, the dashboard and the instagram and" \
  "messenger plugins"
