#pragma once
// The send limit of a channel account: never more than `limit` sends in any window of one second
// (SPEC section 10), counted over the sends actually made.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace chathost::host {

/// Thread-safe; one process. A limit of 0 (or less) means no limit.
class SendWindow {
 public:
  explicit SendWindow(double perSecond);
  /// Records a send for `account` at `nowMs` and returns 0, or returns how many ms until one is
  /// allowed (nothing recorded).
  std::int64_t acquire(const std::string& account, std::int64_t nowMs);
  /// Sends allowed per second; 0 for none.
  std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::mutex mutex_;
  std::map<std::string, std::deque<std::int64_t>> sends_;  // times within the last second
};

}  // namespace chathost::host
