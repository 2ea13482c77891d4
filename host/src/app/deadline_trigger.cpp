#include "app/deadline_trigger.h"

namespace chathost::host {

DeadlineTrigger::DeadlineTrigger(TimePoint deadline, std::function<void()> action)
    : action_(std::move(action)), thread_([this, deadline] { run(deadline); }) {}

DeadlineTrigger::~DeadlineTrigger() {
  {
    std::lock_guard lock(mutex_);
    cancelling_ = true;
  }
  cancelled_.notify_all();
  thread_.join();
}

bool DeadlineTrigger::fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

void DeadlineTrigger::run(TimePoint deadline) {
  {
    std::unique_lock lock(mutex_);
    if (cancelled_.wait_until(lock, deadline, [this] { return cancelling_; })) return;
    fired_ = true;
  }
  if (action_) action_();
}

}  // namespace chathost::host
