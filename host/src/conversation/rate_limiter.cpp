#include "conversation/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace chathost::host {

std::int64_t RateLimiter::acquire(const std::string& account, std::int64_t nowMs) {
  if (rate_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(account, Bucket{rate_, nowMs});
  Bucket& b = it->second;
  if (nowMs > b.lastMs) {
    b.tokens = std::min(rate_, b.tokens + (nowMs - b.lastMs) * rate_ / 1000.0);
    b.lastMs = nowMs;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil((1 - b.tokens) * 1000 / rate_)));
}

}  // namespace chathost::host
