#pragma once
// Appends without a waiting caller: requests queue up, a thread of the batcher's own records all
// those waiting at that moment in one call (one commit), then calls each request's callback with
// the outcome. A network thread can so acknowledge a webhook once it is durable without blocking
// on the commit, and many webhooks share one.

#include <chathost/sdk/status.h>
#include "storage/inbox.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chathost::host {

class AppendBatcher {
 public:
  /// Records `events` durably (one commit); the batcher's thread calls it.
  using AppendAll = std::function<sdk::Status(const std::vector<host::NewInboxEvent>&)>;
  using Done = std::function<void(sdk::Status)>;

  /// At most `maxEvents` events go into one call (a request is never split); past
  /// `maxQueuedEvents` waiting, a request is refused at once (kUnavailable), so a stalled
  /// storage sheds load instead of queueing without bound.
  AppendBatcher(AppendAll appendAll, std::string threadName, std::size_t maxEvents = 1024,
                std::size_t maxQueuedEvents = 20000);
  /// stop().
  ~AppendBatcher();
  AppendBatcher(const AppendBatcher&) = delete;
  AppendBatcher& operator=(const AppendBatcher&) = delete;

  /// From now on submit() queues (its thread starts with the first request). Idempotent.
  void start();
  /// Queues the request; `done` runs on the batcher's thread once the events are recorded (or
  /// not). While the batcher is not running, appends at once and calls `done` on this thread;
  /// with too many events waiting, calls it at once with kUnavailable. An exception `done`
  /// throws is swallowed.
  void submit(std::vector<host::NewInboxEvent> events, Done done);
  /// Records every queued request and calls its callback, then joins the thread. Idempotent.
  void stop();

  /// Calls of AppendAll made so far (for tests: fewer than requests when they were merged).
  std::size_t calls() const;

 private:
  struct Request {
    std::vector<host::NewInboxEvent> events;
    Done done;
  };
  void run();
  void startThreadIfNeeded();
  // Appends `requests` in one call and reports to each.
  void appendTogether(std::vector<Request>& requests);

  AppendAll appendAll_;
  std::string threadName_;
  std::size_t maxEvents_;
  std::size_t maxQueuedEvents_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Request> queue_;
  std::size_t queuedEvents_ = 0;
  bool running_ = false;
  bool stopping_ = false;
  std::size_t calls_ = 0;
  std::thread thread_;
};

}  // namespace chathost::host
