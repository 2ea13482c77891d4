#include "workers/append_batcher.h"

#include "common/thread_name.h"

#include <algorithm>

namespace chathost::host {

namespace {
void report(const AppendBatcher::Done& done, const sdk::Status& status) {
  try {
    done(status);
  } catch (...) {
    // A caller's callback must not end the batcher's thread.
  }
}
}  // namespace

AppendBatcher::AppendBatcher(AppendAll appendAll, std::string threadName, std::size_t maxEvents,
                             std::size_t maxQueuedEvents)
    : appendAll_(std::move(appendAll)),
      threadName_(std::move(threadName)),
      maxEvents_(maxEvents == 0 ? 1 : maxEvents),
      maxQueuedEvents_(maxQueuedEvents) {}

AppendBatcher::~AppendBatcher() {
  stop();
}

void AppendBatcher::start() {
  std::lock_guard lock(mutex_);
  running_ = true;
  stopping_ = false;
}

// Called with mutex_ held. The thread starts with the first request: a queue nobody appends to
// asynchronously (the outbox) costs no thread.
void AppendBatcher::startThreadIfNeeded() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    nameThisThread(threadName_);
    run();
  });
}

void AppendBatcher::submit(std::vector<host::NewInboxEvent> events, Done done) {
  {
    std::unique_lock lock(mutex_);
    if (running_ && !stopping_) {
      if (queuedEvents_ + events.size() > maxQueuedEvents_ && !queue_.empty()) {
        lock.unlock();
        return report(done, sdk::Status::unavailable("too many events waiting to be recorded"));
      }
      startThreadIfNeeded();
      const std::size_t n = events.size();
      queue_.push_back({std::move(events), std::move(done)});
      queuedEvents_ += n;
      // The thread waits only with an empty queue: one wake-up per batch, not per request.
      if (queue_.size() == 1) ready_.notify_one();
      return;
    }
  }
  std::vector<Request> alone;
  alone.push_back({std::move(events), std::move(done)});
  appendTogether(alone);
}

void AppendBatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
  stopping_ = false;
}

std::size_t AppendBatcher::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

void AppendBatcher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued was recorded
    std::vector<Request> batch;
    std::size_t events = 0;
    try {
      while (!queue_.empty() &&
             (batch.empty() || events + queue_.front().events.size() <= maxEvents_)) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
        events += batch.back().events.size();
      }
    } catch (...) {
      // Out of memory: what was taken is appended now, the rest on the next round.
    }
    queuedEvents_ -= std::min(queuedEvents_, events);
    lock.unlock();
    appendTogether(batch);
    lock.lock();
  }
}

void AppendBatcher::appendTogether(std::vector<Request>& requests) {
  sdk::Status status;
  std::vector<host::NewInboxEvent> all;
  try {
    for (auto& r : requests)
      for (auto& e : r.events) all.push_back(std::move(e));
  } catch (...) {
    status = sdk::Status::internal("append failed: out of memory");
    all.clear();
  }
  if (!all.empty()) {
    try {
      status = appendAll_(all);
    } catch (const std::exception& e) {
      status = sdk::Status::internal(std::string("append failed: ") + e.what());
    } catch (...) {
      status = sdk::Status::internal("append failed");
    }
    std::lock_guard lock(mutex_);
    ++calls_;
  }
  for (auto& r : requests) report(r.done, status);
}

}  // namespace chathost::host
