#pragma once
// Fail-fast gate in front of a remote dependency: after a failure, calls are refused for a short
// window instead of each waiting for its own connect timeout; then one probe call is let through.

#include "dedup/memory_key_value.h"

#include <atomic>
#include <cstdint>
#include <mutex>

namespace chathost::host {

/// Thread-safe. Closed (every call allowed) until recordFailure(); then open for `openMs`; after
/// that one caller at a time is allowed as a probe until recordSuccess() closes it again or
/// recordFailure() reopens it. A probe that never reports is replaced after another `openMs`.
class CircuitBreaker {
 public:
  CircuitBreaker(std::int64_t openMs, MillisClock clock);

  /// True when the caller may contact the dependency now; it must then report the outcome.
  bool allow();
  void recordSuccess();
  void recordFailure();
  bool isOpen() const { return openUntilMs_.load(std::memory_order_acquire) != 0; }

 private:
  std::int64_t openMs_;
  MillisClock clock_;
  std::atomic<std::int64_t> openUntilMs_{0};  // 0 = closed: the lock-free fast path
  std::mutex mutex_;
  std::int64_t probeStartedMs_ = -1;  // -1 = no probe out
};

}  // namespace chathost::host
