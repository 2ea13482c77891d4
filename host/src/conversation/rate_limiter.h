#pragma once
// Per-account token bucket that keeps sends under a channel's rate.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace chathost::host {

/// Thread-safe. Each account gets a bucket of `ratePerSecond` tokens refilled continuously;
/// a rate of 0 (or less) means no limit.
class RateLimiter {
 public:
  explicit RateLimiter(double ratePerSecond) : rate_(ratePerSecond) {}

  /// Takes a token for `account` at time `nowMs` and returns 0, or returns how many ms to wait
  /// before one is available (no token taken).
  std::int64_t acquire(const std::string& account, std::int64_t nowMs);

 private:
  struct Bucket {
    double tokens;
    std::int64_t lastMs;
  };
  double rate_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace chathost::host
