#pragma once
// The SDK header hash recorded in sdk/abi.lock (sdk/update-abi-lock.sh computes the same).

#include <optional>
#include <string>

namespace chathost::sdktest {

/// sha256 (lower-case hex) over every `*.h` below `includeDir`, sorted by relative path, each
/// fed as "=== <relative path>\n" then its bytes. Empty when the directory cannot be read.
std::string hashSdkHeaders(const std::string& includeDir);

/// One parsed abi.lock: "<major>.<minor> <hash>".
struct AbiLock {
  unsigned major = 0;
  unsigned minor = 0;
  std::string hash;
};
std::optional<AbiLock> parseAbiLock(const std::string& text);

/// Empty when the headers and the lock agree; otherwise what the developer must do.
std::string abiLockVerdict(const AbiLock& recorded, unsigned major, unsigned minor,
                           const std::string& currentHash);

}  // namespace chathost::sdktest
