#include "common/periodic_task.h"

#include "common/thread_name.h"

namespace chathost::host {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> action,
                           std::string threadName)
    : interval_(interval),
      action_(std::move(action)),
      threadName_(std::move(threadName)),
      thread_([this] { loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
}

void PeriodicTask::loop() {
  nameThisThread(threadName_);
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    action_();
    lock.lock();
  }
}

}  // namespace chathost::host
