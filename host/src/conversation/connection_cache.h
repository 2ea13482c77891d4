#pragma once
// A short-lived cache of connection lookups, so the webhook path rarely touches storage.

#include "storage/connection_store.h"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace chathost::host {

/// Thread-safe. Entries (including "not connected") live `ttlMs`; errors are never cached.
/// Whatever changes a connection calls invalidateAll().
class ConnectionCache {
 public:
  using Clock = std::function<std::int64_t()>;  // ms since the epoch
  ConnectionCache(host::ConnectionStore& store, std::int64_t ttlMs, Clock clock)
      : store_(store), ttlMs_(ttlMs), clock_(std::move(clock)) {}

  /// The `channel` connection (also a disconnected one) of agent `agentId` of `subaccountId`.
  sdk::Result<std::optional<sdk::Connection>> byAgent(const std::string& subaccountId,
                                                      const std::string& agentId,
                                                      const std::string& channel);
  /// The connected agent's connection for `channel` account `accountId`.
  sdk::Result<std::optional<sdk::Connection>> byAccount(const std::string& channel,
                                                        const std::string& accountId);
  /// byAgent() and byAccount() from the cache alone, never waiting for storage: an empty optional
  /// when the answer is not cached.
  using Cached = std::optional<std::optional<sdk::Connection>>;
  Cached cachedByAgent(const std::string& subaccountId, const std::string& agentId,
                       const std::string& channel);
  Cached cachedByAccount(const std::string& channel, const std::string& accountId);
  void invalidateAll();

 private:
  struct Entry {
    std::optional<sdk::Connection> value;
    std::int64_t expiresAt;
  };
  sdk::Result<std::optional<sdk::Connection>> lookup(
      std::map<std::string, Entry>& cache, const std::string& key,
      const std::function<sdk::Result<std::optional<sdk::Connection>>()>& load);
  Cached cached(std::map<std::string, Entry>& cache, const std::string& key);

  host::ConnectionStore& store_;
  std::int64_t ttlMs_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> byAgent_;    // by "channel:subaccount:agent" (ids hold no ':')
  std::map<std::string, Entry> byAccount_;  // by "channel:account"
  std::uint64_t generation_ = 0;  // bumped by invalidateAll: loads begun before are not kept
};

}  // namespace chathost::host
