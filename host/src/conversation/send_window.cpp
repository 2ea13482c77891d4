#include "conversation/send_window.h"

#include <cmath>

namespace chathost::host {

namespace {
constexpr std::int64_t kWindowMs = 1000;
}

SendWindow::SendWindow(double perSecond)
    : limit_(perSecond > 0 ? static_cast<std::size_t>(std::max(1.0, std::floor(perSecond))) : 0) {}

std::int64_t SendWindow::acquire(const std::string& account, std::int64_t nowMs) {
  if (limit_ == 0) return 0;
  std::lock_guard lock(mutex_);
  auto& times = sends_[account];
  while (!times.empty() && times.front() <= nowMs - kWindowMs) times.pop_front();
  if (times.size() < limit_) {
    times.push_back(nowMs);
    return 0;
  }
  // The oldest send of the window leaves it at front + 1000: one more fits then.
  return std::max<std::int64_t>(1, times.front() + kWindowMs - nowMs);
}

}  // namespace chathost::host
