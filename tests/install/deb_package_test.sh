#!/usr/bin/env bash
# Builds the Debian packages with CPack into a temporary directory and checks them: lintian
# (when installed), the control fields and file lists, the maintainer scripts' syntax, the
# systemd unit (systemd-analyze, when installed). Then unpacks the chathost package into a
# temporary root and runs that host on the packaged /etc/chathost/chathost.yaml, its data
# directory moved by CHATHOST_DATA_DIR: /healthz, the dashboard and both channel plugins answer.
# Exits 77 (ctest: skipped) when the tools of CPack's DEB generator are missing. Run it after the
# build, as ctest is: cpack first builds the `preinstall` target, i.e. whatever is out of date.
# Usage: deb_package_test.sh BUILD_DIR
set -euo pipefail
build=$1

# lintian warnings accepted, each for a reason; any other warning or error fails the test.
lintian_allowed=(
  # The packages are built by the project, not uploaded to Debian: there is no "intent to
  # package" bug for the first changelog entry to close.
  initial-upload-closes-no-bugs
)

skip() { echo "deb_package_test: skipped: $*"; exit 77; }
for tool in cpack dpkg-deb dpkg-shlibdeps file curl; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip "$tool is not installed (bash .ci/install-deps installs it)"
done

work=$(mktemp -d /tmp/chathost-deb.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deb_package_test: $*" >&2; [ -f "$work/host.log" ] && tail -20 "$work/host.log" >&2; exit 1; }
# shellcheck source=served_host.sh
source "$(dirname "$0")/served_host.sh"

# --- build: everything CPack writes stays in $work/out -------------------------------------
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake is missing: configure first"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
debs=("$work"/out/chathost_*.deb)
devs=("$work"/out/chathost-dev_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no chathost_*.deb: $(ls "$work/out")"
[ -f "${devs[0]}" ] || fail "cpack made no chathost-dev_*.deb: $(ls "$work/out")"
deb=${debs[0]}
dev=${devs[0]}

# --- lintian ---------------------------------------------------------------------------------
if command -v lintian >/dev/null 2>&1; then
  allowed=$(IFS=,; echo "${lintian_allowed[*]}")
  lintian --fail-on error,warning --suppress-tags "$allowed" "$deb" "$dev" > "$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log" >&2; fail "lintian found errors or warnings not allowed"; }
  echo "deb_package_test: lintian: no errors, no warnings but: $allowed"
  grep -v '^running with root privileges' "$work/lintian.log" || true
else
  echo "deb_package_test: lintian is not installed, not run"
fi

# --- control fields --------------------------------------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$deb" Package)" = chathost ] || fail "the runtime package is not named chathost"
[ "$(field "$dev" Package)" = chathost-dev ] || fail "the SDK package is not named chathost-dev"
depends=$(field "$deb" Depends)
echo "deb_package_test: Depends: $depends"
# libc6 and Poco come from dpkg-shlibdeps, adduser from the maintainer scripts' needs.
for pkg in libc6 libpoco adduser; do
  [[ "$depends" == *"$pkg"* ]] || fail "Depends lacks $pkg: '$depends'"
done
[ "$(field "$deb" Section)" = net ] || fail "Section is not net"
dpkg-deb -I "$deb" conffiles > "$work/conffiles" || fail "the package has no conffiles"
for f in /etc/chathost/chathost.yaml /etc/default/chathost; do
  grep -qx "$f" "$work/conffiles" || fail "$f is not a conffile"
done

# --- file lists ------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' > "$work/files"
for f in /usr/bin/chathost /usr/lib/chathost/plugins/libchathost_instagram.so \
         /usr/lib/chathost/plugins/libchathost_messenger.so /usr/share/chathost/chathost.schema.json \
         /usr/share/chathost/web/index.html /usr/share/chathost/configs/chathost.yaml \
         /etc/chathost/chathost.yaml /etc/default/chathost \
         /usr/share/doc/chathost/copyright /usr/share/doc/chathost/changelog.Debian.gz \
         /usr/share/man/man1/chathost.1.gz; do
  grep -qx "$f" "$work/files" || fail "$f is not in the package"
done
unit=$(grep -Ex '(/usr)?/lib/systemd/system/chathost\.service' "$work/files") ||
  fail "the package has no chathost.service unit"
if grep -E '^/usr/include/|\.h$|\.hpp$|/cmake/' "$work/files"; then
  fail "the runtime package carries SDK files (above): they belong in chathost-dev"
fi
dpkg-deb -c "$dev" > "$work/dev-files"
grep -q '/usr/include/chathost/sdk/channel.h$' "$work/dev-files" ||
  fail "chathost-dev lacks the SDK headers"
grep -q '/chathost-sdkConfig.cmake$' "$work/dev-files" || fail "chathost-dev lacks the CMake package"

# --- maintainer scripts: POSIX sh, executable ------------------------------------------------
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "$script is missing or not executable"
  sh -n "$work/control/$script" || fail "$script is not valid sh"
done

# --- unpack; the unit names files the package has --------------------------------------------
root=$work/root
dpkg-deb -x "$deb" "$root"
unit_file=$root$unit
exec_start=$(sed -n 's/^ExecStart=//p' "$unit_file")
read -r exe _ config <<< "$exec_start"
[ -x "$root$exe" ] || fail "ExecStart runs $exe, which the package does not have"
[ -f "$root$config" ] || fail "ExecStart reads $config, which the package does not have"
grep -qx 'ReadWritePaths=/var/lib/chathost' "$unit_file" || fail "the unit may not write /var/lib/chathost"
grep -q 'CHATHOST_DATA_DIR:-/var/lib/chathost' "$root$config" ||
  fail "the packaged config does not keep its data in /var/lib/chathost"
if command -v systemd-analyze >/dev/null 2>&1; then
  # Verified inside a copy of the unpacked package (--root: ExecStart= must exist there), with
  # the system's targets the unit's default dependencies name. Unknown keys are only warned
  # about: any output fails too.
  vroot=$work/verify-root
  cp -a "$root" "$vroot"
  mkdir -p "$vroot/usr/lib/systemd/system"
  cp /usr/lib/systemd/system/*.target "$vroot/usr/lib/systemd/system/" 2>/dev/null ||
    fail "systemd-analyze is installed but /usr/lib/systemd/system has no targets"
  if ! systemd-analyze verify --root="$vroot" "$vroot$unit" > "$work/verify.log" 2>&1 ||
     [ -s "$work/verify.log" ]; then
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify does not accept the unit"
  fi
  echo "deb_package_test: systemd-analyze verify accepts $unit"
else
  echo "deb_package_test: systemd-analyze is not installed, the unit is not verified"
fi

# --- run the unpacked host on the packaged config --------------------------------------------
[ "$("$root/usr/bin/chathost" --version)" = "chathost $(field "$deb" Version | cut -d- -f1)" ] ||
  fail "the package's version is not the host's ($("$root/usr/bin/chathost" --version))"
mkdir "$work/run" "$work/data"
cd "$work/run"
host_env=(env -u CHATHOST_PLUGIN_PATH -u CHATHOST_WEB_ROOT -u CHATHOST_JWT_SECRET
  CHATHOST_DATA_DIR="$work/data" CHATHOST_LISTEN=127.0.0.1:0)
"${host_env[@]}" "$root/usr/bin/chathost" --check-config "$root/etc/chathost/chathost.yaml" ||
  fail "chathost --check-config rejects the packaged config"
"${host_env[@]}" "$root/usr/bin/chathost" --config "$root/etc/chathost/chathost.yaml" \
  > "$work/host.log" 2>&1 &
pid=$!

wait_for_listen "$pid" unpacked

check_served "$base"
# Everything the host writes goes to the data directory, nothing to the working directory.
for f in chathost.db secret.key jwt.secret; do
  [ -e "$work/data/$f" ] || fail "$f was not created in CHATHOST_DATA_DIR"
done
[ -z "$(ls -A "$work/run")" ] || fail "the host wrote into its working directory: $(ls -A "$work/run")"
echo "deb_package_test: $(basename "$deb") and $(basename "$dev") pass; the unpacked host serves" \
  "/healthz, the dashboard and the instagram and messenger plugins"
