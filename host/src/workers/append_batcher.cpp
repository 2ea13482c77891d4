#include "workers/append_batcher.h"

#include "common/thread_name.h"

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

AppendBatcher::AppendBatcher(AppendAll appendAll, std::string threadName, std::size_t maxEvents)
    : appendAll_(std::move(appendAll)),
      threadName_(std::move(threadName)),
      maxEvents_(maxEvents == 0 ? 1 : maxEvents) {}

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
    std::lock_guard lock(mutex_);
    if (running_ && !stopping_) {
      startThreadIfNeeded();
      queue_.push_back({std::move(events), std::move(done)});
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
    while (!queue_.empty() &&
           (batch.empty() || events + queue_.front().events.size() <= maxEvents_)) {
      events += queue_.front().events.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    appendTogether(batch);
    lock.lock();
  }
}

void AppendBatcher::appendTogether(std::vector<Request>& requests) {
  std::vector<host::NewInboxEvent> all;
  for (auto& r : requests)
    for (auto& e : r.events) all.push_back(std::move(e));
  sdk::Status status;
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
