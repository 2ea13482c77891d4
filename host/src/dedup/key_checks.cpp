#include "dedup/key_checks.h"

namespace chathost::host {

sdk::Status checkKey(const std::string& key) {
  if (key.empty()) return sdk::Status::validation("key/value: empty key");
  if (key.size() > kMaxKeyBytes) {
    return sdk::Status::validation("key/value: key longer than " + std::to_string(kMaxKeyBytes) +
                                   " bytes");
  }
  return sdk::Status::ok();
}

sdk::Status checkKeyAndTtl(const std::string& key, std::int64_t ttlMs) {
  if (ttlMs < 0) return sdk::Status::validation("key/value: negative ttl");
  return checkKey(key);
}

}  // namespace chathost::host
