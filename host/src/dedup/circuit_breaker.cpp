#include "dedup/circuit_breaker.h"

#include <algorithm>
#include <utility>

namespace chathost::host {

CircuitBreaker::CircuitBreaker(std::int64_t openMs, MillisClock clock)
    : openMs_(openMs), clock_(clock ? std::move(clock) : MillisClock(steadyNowMs)) {}

bool CircuitBreaker::allow() {
  if (openUntilMs_.load(std::memory_order_acquire) == 0) return true;
  std::lock_guard lock(mutex_);
  std::int64_t openUntil = openUntilMs_.load(std::memory_order_relaxed);
  if (openUntil == 0) return true;
  std::int64_t now = clock_();
  if (now < openUntil) return false;
  if (probeStartedMs_ >= 0 && now < probeStartedMs_ + openMs_) return false;
  probeStartedMs_ = now;
  return true;
}

void CircuitBreaker::recordSuccess() {
  if (openUntilMs_.load(std::memory_order_acquire) == 0) return;
  std::lock_guard lock(mutex_);
  openUntilMs_.store(0, std::memory_order_release);
  probeStartedMs_ = -1;
}

void CircuitBreaker::recordFailure() {
  std::lock_guard lock(mutex_);
  // Never 0, which means closed, even with a clock that starts at zero.
  openUntilMs_.store(std::max<std::int64_t>(1, clock_() + openMs_), std::memory_order_release);
  probeStartedMs_ = -1;
}

}  // namespace chathost::host
