#pragma once
// Dates each reply of a channel account so that sending them when due keeps within the account's
// rate: a busy account's replies wait in the outbox until their time instead of being claimed
// and put back again and again.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace chathost::host {

/// Thread-safe; one process (hosts sharing a database each pace their own replies; the send-time
/// window is what holds across them). A rate of 0 (or less) means every reply is due at once.
class SendPacer {
 public:
  explicit SendPacer(double perSecond) : spacingMs_(perSecond > 0 ? 1000.0 / perSecond : 0) {}
  /// When the next reply for `account` may go: `nowMs` while the account is idle, later ones
  /// spaced 1000 / rate ms apart.
  std::int64_t nextSlot(const std::string& account, std::int64_t nowMs);

 private:
  double spacingMs_;
  std::mutex mutex_;
  std::map<std::string, double> next_;  // the first free slot per account
};

}  // namespace chathost::host
