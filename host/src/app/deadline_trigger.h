#pragma once
// Runs an action once at a deadline on a thread of its own, unless it is destroyed first.
// Shutdown uses it to abandon the agent calls still running when the grace period ends while
// the main thread waits for the workers that are blocked in them.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace chathost::host {

class DeadlineTrigger {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// Starts waiting at once; a deadline already past runs `action` at once.
  DeadlineTrigger(TimePoint deadline, std::function<void()> action);
  /// Cancels the action if it has not started and waits for it if it has: it never runs after
  /// this returns, so it may use objects destroyed right after.
  ~DeadlineTrigger();
  DeadlineTrigger(const DeadlineTrigger&) = delete;
  DeadlineTrigger& operator=(const DeadlineTrigger&) = delete;

  /// Whether the action has run (or is running).
  bool fired() const;

 private:
  void run(TimePoint deadline);

  std::function<void()> action_;
  mutable std::mutex mutex_;
  std::condition_variable cancelled_;
  bool cancelling_ = false;
  bool fired_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace chathost::host
