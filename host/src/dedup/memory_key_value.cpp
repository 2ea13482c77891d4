#include "dedup/memory_key_value.h"

#include "dedup/key_checks.h"

#include <algorithm>
#include <chrono>
#include <list>
#include <mutex>
#include <unordered_map>

namespace chathost::host {

std::int64_t steadyNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {
constexpr std::int64_t kNever = INT64_MAX;
}  // namespace

struct MemoryKeyValue::Shard {
  struct Entry {
    std::string value;
    std::int64_t expiresAtMs;
    std::list<std::string>::iterator lruPos;  // front = most recently used
  };

  mutable std::mutex mutex;
  std::unordered_map<std::string, Entry> entries;
  std::list<std::string> lru;

  // The live entry for `key`, or nullptr; drops it when expired. Caller holds the lock.
  Entry* findLive(const std::string& key, std::int64_t now) {
    auto it = entries.find(key);
    if (it == entries.end()) return nullptr;
    if (it->second.expiresAtMs <= now) {
      lru.erase(it->second.lruPos);
      entries.erase(it);
      return nullptr;
    }
    lru.splice(lru.begin(), lru, it->second.lruPos);
    return &it->second;
  }

  void put(const std::string& key, const std::string& value, std::int64_t expiresAtMs,
           std::size_t capacity) {
    auto it = entries.find(key);
    if (it != entries.end()) {
      it->second.value = value;
      it->second.expiresAtMs = expiresAtMs;
      lru.splice(lru.begin(), lru, it->second.lruPos);
      return;
    }
    while (entries.size() >= capacity && !lru.empty()) {
      entries.erase(lru.back());
      lru.pop_back();
    }
    lru.push_front(key);
    entries.emplace(key, Entry{value, expiresAtMs, lru.begin()});
  }

  void erase(const std::string& key) {
    auto it = entries.find(key);
    if (it == entries.end()) return;
    lru.erase(it->second.lruPos);
    entries.erase(it);
  }
};

MemoryKeyValue::MemoryKeyValue(MemoryKeyValueOptions options)
    : clock_(options.clock ? std::move(options.clock) : MillisClock(steadyNowMs)) {
  std::size_t shardCount = std::max<std::size_t>(1, options.shards);
  std::size_t capacity = std::max<std::size_t>(1, options.capacity);
  shardCount = std::min(shardCount, capacity);
  capacityPerShard_ = (capacity + shardCount - 1) / shardCount;
  shards_.reserve(shardCount);
  for (std::size_t i = 0; i < shardCount; ++i) shards_.push_back(std::make_unique<Shard>());
}

MemoryKeyValue::~MemoryKeyValue() = default;

MemoryKeyValue::Shard& MemoryKeyValue::shardFor(const std::string& key) {
  return *shards_[std::hash<std::string>{}(key) % shards_.size()];
}

sdk::Result<bool> MemoryKeyValue::setIfAbsent(const std::string& key, const std::string& value,
                                              std::int64_t ttlMs) {
  if (auto bad = checkKeyAndTtl(key, ttlMs); !bad.isOk()) return bad;
  std::int64_t now = clock_();
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  if (shard.findLive(key, now)) return false;
  shard.put(key, value, ttlMs == 0 ? kNever : now + ttlMs, capacityPerShard_);
  return true;
}

sdk::Result<std::optional<std::string>> MemoryKeyValue::get(const std::string& key) {
  if (auto bad = checkKey(key); !bad.isOk()) return bad;
  std::int64_t now = clock_();
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  if (auto* entry = shard.findLive(key, now)) return std::optional<std::string>(entry->value);
  return std::optional<std::string>();
}

sdk::Status MemoryKeyValue::set(const std::string& key, const std::string& value,
                                std::int64_t ttlMs) {
  if (auto bad = checkKeyAndTtl(key, ttlMs); !bad.isOk()) return bad;
  std::int64_t now = clock_();
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  shard.put(key, value, ttlMs == 0 ? kNever : now + ttlMs, capacityPerShard_);
  return sdk::Status::ok();
}

sdk::Status MemoryKeyValue::remove(const std::string& key) {
  if (auto bad = checkKey(key); !bad.isOk()) return bad;
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  shard.erase(key);
  return sdk::Status::ok();
}

std::size_t MemoryKeyValue::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    total += shard->entries.size();
  }
  return total;
}

}  // namespace chathost::host
