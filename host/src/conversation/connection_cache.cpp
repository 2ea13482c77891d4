#include "conversation/connection_cache.h"

namespace chathost::host {

sdk::Result<std::optional<sdk::Connection>> ConnectionCache::lookup(
    std::map<std::string, Entry>& cache, const std::string& key,
    const std::function<sdk::Result<std::optional<sdk::Connection>>()>& load) {
  std::int64_t now = clock_();
  std::uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    auto it = cache.find(key);
    if (it != cache.end() && it->second.expiresAt > now) return it->second.value;
    generation = generation_;
  }
  auto loaded = load();  // outside the lock: storage may be slow
  if (!loaded) return loaded;
  std::lock_guard lock(mutex_);
  if (generation != generation_) return loaded;  // invalidated meanwhile: may be stale already
  if (cache.size() > 10000) cache.clear();       // bound memory against id floods
  cache[key] = Entry{*loaded, now + ttlMs_};
  return loaded;
}

sdk::Result<std::optional<sdk::Connection>> ConnectionCache::byAgent(
    const std::string& subaccountId, const std::string& agentId, const std::string& channel) {
  return lookup(byAgent_, channel + ":" + subaccountId + ":" + agentId,
                [&] { return store_.get(subaccountId, agentId, channel); });
}

sdk::Result<std::optional<sdk::Connection>> ConnectionCache::byAccount(
    const std::string& channel, const std::string& accountId) {
  return lookup(byAccount_, channel + ":" + accountId,
                [&] { return store_.findByAccount(channel, accountId); });
}

ConnectionCache::Cached ConnectionCache::cached(std::map<std::string, Entry>& cache,
                                                const std::string& key) {
  const std::int64_t now = clock_();
  std::lock_guard lock(mutex_);
  auto it = cache.find(key);
  if (it == cache.end() || it->second.expiresAt <= now) return std::nullopt;
  return it->second.value;
}

ConnectionCache::Cached ConnectionCache::cachedByAgent(const std::string& subaccountId,
                                                       const std::string& agentId,
                                                       const std::string& channel) {
  return cached(byAgent_, channel + ":" + subaccountId + ":" + agentId);
}

ConnectionCache::Cached ConnectionCache::cachedByAccount(const std::string& channel,
                                                         const std::string& accountId) {
  return cached(byAccount_, channel + ":" + accountId);
}

void ConnectionCache::invalidateAll() {
  std::lock_guard lock(mutex_);
  ++generation_;
  byAgent_.clear();
  byAccount_.clear();
}

}  // namespace chathost::host
