#include "outbound/deadline_watchdog.h"

#include "common/thread_name.h"

#include <Poco/Net/SocketImpl.h>

#include <sys/socket.h>

#include <algorithm>

namespace chathost::host {

DeadlineWatchdog::DeadlineWatchdog()
    : thread_([this] {
        nameThisThread("call-deadline");
        run();
      }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

DeadlineWatchdog::Guard DeadlineWatchdog::arm(const Poco::Net::Socket& socket, TimePoint deadline) {
  std::uint64_t id;
  bool sooner;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    if (firingAll_) deadline = TimePoint::min();
    entries_.emplace(id, Entry{deadline, socket, false});
    // Usually an earlier deadline already wakes the thread in time: waking it for every request
    // would cost a context switch per call.
    sooner = deadline < wakeAt_;
    if (sooner) wakeAt_ = deadline;
  }
  if (sooner) changed_.notify_all();
  return Guard(this, id);
}

void DeadlineWatchdog::fireAll() {
  {
    std::lock_guard lock(mutex_);
    firingAll_ = true;
    for (auto& [id, entry] : entries_) entry.deadline = TimePoint::min();
    wakeAt_ = TimePoint::min();
  }
  changed_.notify_all();
}

bool DeadlineWatchdog::Guard::disarm() {
  if (owner_) fired_ = std::exchange(owner_, nullptr)->release(id_);
  return fired_;
}

bool DeadlineWatchdog::release(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  bool fired = it->second.fired;
  entries_.erase(it);
  return fired;
}

void DeadlineWatchdog::run() {
  // Past its deadline an entry stays under watch until disarmed: Poco may close and reconnect the
  // socket after the first shutdown, so each new descriptor is shut down too.
  constexpr auto kRecheck = std::chrono::milliseconds(5);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = TimePoint::max();
    for (auto& [id, entry] : entries_) {
      if (entry.deadline <= now) {
        // Only the descriptor is touched (not the TLS state, which its owner thread is using);
        // the owner's blocked call returns with an error and its guard reports the deadline.
        poco_socket_t fd = entry.socket.impl()->sockfd();
        if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
        entry.fired = true;
        next = std::min(next, now + kRecheck);
      } else {
        next = std::min(next, entry.deadline);
      }
    }
    wakeAt_ = next;
    if (next == TimePoint::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

}  // namespace chathost::host
