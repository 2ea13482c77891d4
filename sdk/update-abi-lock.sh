#!/usr/bin/env bash
# Records the SDK's ABI version and a hash of its headers in sdk/abi.lock. Run it after bumping
# kAbiMajor/kAbiMinor in include/chathost/sdk/version.h. The hash (tests/sdk/abi_hash.cpp computes
# the same): sha256 over every include/**/*.h sorted by relative path, each fed as
# "=== <relative path>\n" followed by the file's bytes.
set -euo pipefail
sdk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version_h="$sdk_dir/include/chathost/sdk/version.h"

read_constant() {
  sed -n "s/^inline constexpr unsigned $1 = \([0-9][0-9]*\);.*/\1/p" "$version_h"
}
major="$(read_constant kAbiMajor)"
minor="$(read_constant kAbiMinor)"
if [[ -z "$major" || -z "$minor" ]]; then
  echo "update-abi-lock.sh: cannot read kAbiMajor/kAbiMinor from $version_h" >&2
  exit 1
fi

hash="$(cd "$sdk_dir/include" &&
  find . -type f -name '*.h' | sed 's|^\./||' | LC_ALL=C sort |
  while IFS= read -r file; do
    printf '=== %s\n' "$file"
    cat -- "$file"
  done | sha256sum | cut -d' ' -f1)"

printf '%s.%s %s\n' "$major" "$minor" "$hash" > "$sdk_dir/abi.lock"
echo "sdk/abi.lock: $major.$minor $hash"
