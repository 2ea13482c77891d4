#include "conversation/send_pacer.h"

#include <algorithm>
#include <cmath>

namespace chathost::host {

std::int64_t SendPacer::nextSlot(const std::string& account, std::int64_t nowMs) {
  if (spacingMs_ <= 0) return nowMs;
  std::lock_guard lock(mutex_);
  if (next_.size() > 100000) {  // bound memory: slots of idle accounts are in the past anyway
    for (auto it = next_.begin(); it != next_.end();)
      it = it->second <= static_cast<double>(nowMs) ? next_.erase(it) : std::next(it);
  }
  double& next = next_[account];
  const double slot = std::max(next, static_cast<double>(nowMs));
  next = slot + spacingMs_;
  return static_cast<std::int64_t>(std::ceil(slot));
}

}  // namespace chathost::host
