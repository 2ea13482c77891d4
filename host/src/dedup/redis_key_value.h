#pragma once
// Key/value store in Redis, shared by every host instance: the multi-host dedup backend.

#include <chathost/sdk/kv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace chathost::host {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // empty = no AUTH; never logged nor put in an error message
  int db = 0;
  int poolSize =
      8;  // connections open at most; callers beyond wait up to ioTimeoutMs, then kTimeout
  int connectTimeoutMs = 300;
  int ioTimeoutMs = 500;
  int breakerOpenMs = 1000;  // after a connect failure or timeout, calls fail fast this long
  /// Told when Redis stops answering (false, with why) and when it answers again (true), once
  /// per change: an outage is visible in the log, not only as slower dedup.
  std::function<void(bool reachable, const std::string& why)> onReachability;
};

/// sdk::KeyValue over a pool of Redis connections. Thread-safe. Connections are opened lazily
/// (use ping() to check at start-up). Every key is stored as "chathost:" + key. A ttlMs of 0 means
/// no expiry; a negative ttlMs or an empty key is a validation error.
///
/// Failures: an unreachable or silent Redis gives kUnavailable, and for the next breakerOpenMs
/// every call gives kUnavailable at once; it recovers by itself. A call that fails on a pooled
/// connection the server dropped discards the pool; get/set/remove/ping then retry once on a new
/// connection, setIfAbsent does not (it may have been applied) and returns kUnavailable.
class RedisKeyValue : public sdk::KeyValue {
 public:
  explicit RedisKeyValue(RedisOptions options);
  ~RedisKeyValue() override;
  RedisKeyValue(const RedisKeyValue&) = delete;
  RedisKeyValue& operator=(const RedisKeyValue&) = delete;

  sdk::Result<bool> setIfAbsent(const std::string& key, const std::string& value,
                                std::int64_t ttlMs) override;
  sdk::Result<std::optional<std::string>> get(const std::string& key) override;
  sdk::Status set(const std::string& key, const std::string& value, std::int64_t ttlMs) override;
  sdk::Status remove(const std::string& key) override;

  /// Ok when Redis answers PING (readiness checks).
  sdk::Status ping();

  /// A sliding window shared by every host using this Redis: records one use of `key` and
  /// returns 0 when fewer than `limit` were recorded in the last `windowMs`, else how many ms
  /// until the oldest of them leaves the window (nothing recorded). Atomic (one script) and timed
  /// by Redis's clock, so hosts whose clocks differ still share one window. `member` must be
  /// unique per use.
  sdk::Result<std::int64_t> takeWindowSlot(const std::string& key, int limit, std::int64_t windowMs,
                                           const std::string& member);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
