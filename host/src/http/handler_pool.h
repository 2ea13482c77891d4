#pragma once
// A fixed set of threads that run request handlers, fed by a bounded queue. The network threads
// never run a handler (a handler may wait on storage or a remote call); a full queue is refused
// at once instead of letting work pile up without limit.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace chathost::host {

class HandlerPool {
 public:
  /// `threads` >= 1, `capacity` >= 1 tasks waiting (running ones not counted).
  HandlerPool(int threads, std::size_t capacity);
  /// shutdown().
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  /// Queues `task`; false (task dropped) when the queue is full or the pool is shutting down.
  bool post(std::function<void()> task);
  /// Refuses new tasks, drops the queued ones (destroyed on the calling thread), lets the running
  /// ones finish and joins the threads. Idempotent.
  void shutdown();

 private:
  void run();

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace chathost::host
