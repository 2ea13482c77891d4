#!/usr/bin/env bash
# Proves the README's test command on a fresh Debian 12, as a new user runs it: makes a throwaway
# bookworm root with debootstrap (minbase), copies the checkout to /root/chathost in it (git
# archive of HEAD, as a fresh clone has it; WORKTREE=1 adds the uncommitted changes), runs the README's
# install-build-test command there as root and prints its summary. Package registries are reached
# the way this machine reaches them: its apt sources, CA certificates and npm settings are copied in.
# Run by hand as root (it takes many minutes; CI does not run it):
#   tools/fresh-debian.sh            build and test in a new root under /var/tmp, then remove it
#   KEEP=1 tools/fresh-debian.sh     keep the root afterwards (its path is printed)
#   WORKTREE=1 tools/fresh-debian.sh test the work tree's uncommitted changes too
# Exit status: that of the test command.
set -euo pipefail

[[ $(id -u) -eq 0 ]] || { echo "fresh-debian.sh: run as root (debootstrap, chroot, mounts)" >&2; exit 2; }
src=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# The README's second command: install, build and run every test.
test_command=$(grep -m1 -E '^bash \.ci/install-deps .*ctest ' "$src/README.md") || {
  echo "fresh-debian.sh: README.md has no install-build-test command" >&2; exit 2; }

work=$(mktemp -d /var/tmp/chathost-fresh.XXXXXXXX)
root=$work/root
log=$work/test.log

# Ends what still runs inside the root, unmounts it and (unless KEEP=1) removes it.
cleanup() {
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill -9 "$pid" 2>/dev/null
  done
  local m
  for m in dev/pts dev/shm dev proc sys; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "fresh-debian.sh: kept $root (log: $log)"
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

command -v debootstrap >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

echo "fresh-debian.sh: debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

# Registries as this machine reaches them: apt sources, extra CA certificates, npm settings.
rm -f "$root/etc/apt/sources.list"
cp -a /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
mkdir -p "$root/etc/apt/sources.list.d" "$root/usr/local/share/ca-certificates" "$root/etc/ssl/certs"
cp -a /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
[[ -f /etc/npmrc ]] && cp /etc/npmrc "$root/etc/npmrc"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# No service starts inside the root (postgresql's and redis's packages would start theirs).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mountpoint -q /dev/shm && mount --bind /dev/shm "$root/dev/shm"

# The checkout, as a fresh clone has it (with WORKTREE=1: plus the uncommitted changes).
mkdir -p "$root/root/chathost"
ref=""
[[ "${WORKTREE:-0}" == 1 ]] && ref=$(git -C "$src" stash create)
git -C "$src" archive "${ref:-HEAD}" | tar -x -C "$root/root/chathost"
echo "fresh-debian.sh: /root/chathost from $(git -C "$src" rev-parse --short HEAD)${ref:+ + uncommitted changes}"
echo "fresh-debian.sh: running: $test_command"

set +e
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  /bin/bash -c "cd /root/chathost && $test_command" >"$log" 2>&1
status=$?
set -e

echo "fresh-debian.sh: exit status $status; Node.js $(chroot "$root" node --version 2>/dev/null ||
  echo absent), $(chroot "$root" sh -c '. /etc/os-release; echo "$PRETTY_NAME"'); last lines of $log:"
tail -n 25 "$log"
exit "$status"
