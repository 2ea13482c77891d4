#pragma once
// In-process key/value store with expiry: the single-host dedup backend.

#include <chathost/sdk/kv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// Monotonic milliseconds; injectable so tests can move time by hand.
using MillisClock = std::function<std::int64_t()>;

/// The steady clock in milliseconds.
std::int64_t steadyNowMs();

struct MemoryKeyValueOptions {
  std::size_t capacity = 100000;  // live entries kept at most; the least recently used go first
  std::size_t shards = 16;        // independent locks, so concurrent callers rarely contend
  MillisClock clock;              // empty = steadyNowMs
};

/// sdk::KeyValue in memory. Thread-safe. Keys are spread over shards by hash, each with its own
/// lock, LRU list and share of the capacity (so eviction order is per shard). Expired entries
/// count as absent and are dropped when touched or evicted. A ttlMs of 0 means no expiry; a
/// negative ttlMs or an empty key is a validation error.
class MemoryKeyValue : public sdk::KeyValue {
 public:
  explicit MemoryKeyValue(MemoryKeyValueOptions options = {});
  ~MemoryKeyValue() override;
  MemoryKeyValue(const MemoryKeyValue&) = delete;
  MemoryKeyValue& operator=(const MemoryKeyValue&) = delete;

  sdk::Result<bool> setIfAbsent(const std::string& key, const std::string& value,
                                std::int64_t ttlMs) override;
  sdk::Result<std::optional<std::string>> get(const std::string& key) override;
  sdk::Status set(const std::string& key, const std::string& value, std::int64_t ttlMs) override;
  sdk::Status remove(const std::string& key) override;

  /// Entries currently held, expired ones not yet dropped included.
  std::size_t size() const;

 private:
  struct Shard;
  Shard& shardFor(const std::string& key);

  MillisClock clock_;
  std::size_t capacityPerShard_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace chathost::host
