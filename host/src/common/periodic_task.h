#pragma once
// Runs an action every interval on a thread of its own until destroyed (background checks that
// must not hold any request or worker thread).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace chathost::host {

class PeriodicTask {
 public:
  /// First run one interval after construction, then one interval after each run ends.
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> action,
               std::string threadName);
  /// Waits for a run in progress; the action never runs after this returns.
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void loop();

  const std::chrono::milliseconds interval_;
  std::function<void()> action_;
  const std::string threadName_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace chathost::host
