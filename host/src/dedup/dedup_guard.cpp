#include "dedup/dedup_guard.h"

namespace chathost::host {

sdk::Result<bool> firstSeen(sdk::KeyValue& kv, const std::string& key, std::int64_t ttlMs,
                            sdk::Counter* unavailable) {
  auto result = kv.setIfAbsent(key, "1", ttlMs);
  if (result.isOk()) return result;
  if (result.status().code() != sdk::ErrorCode::kUnavailable) return result.status();
  if (unavailable) unavailable->inc();
  return true;
}

}  // namespace chathost::host
