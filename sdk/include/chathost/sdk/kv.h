#pragma once
// Shared key/value store with expiry: dedup markers and small caches (memory or Redis).

#include <chathost/sdk/status.h>

#include <cstdint>
#include <optional>
#include <string>

namespace chathost::sdk {

/// The host's key/value store. Owned by the host; valid until stop() returns. Thread-safe.
/// With Redis it is shared by every host instance; callers must treat kUnavailable as "unknown"
/// and fall back to storage's unique constraints.
class KeyValue {
 public:
  virtual ~KeyValue() = default;
  /// Sets `key` only if absent; true when this call set it (the caller "owns" the key).
  virtual Result<bool> setIfAbsent(const std::string& key, const std::string& value,
                                   std::int64_t ttlMs) = 0;
  virtual Result<std::optional<std::string>> get(const std::string& key) = 0;
  virtual Status set(const std::string& key, const std::string& value, std::int64_t ttlMs) = 0;
  virtual Status remove(const std::string& key) = 0;
};

}  // namespace chathost::sdk
