#include "http/handler_pool.h"

#include "common/thread_name.h"

namespace chathost::host {

HandlerPool::HandlerPool(int threads, std::size_t capacity) : capacity_(capacity) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this] {
      nameThisThread("http-handler");
      run();
    });
}

HandlerPool::~HandlerPool() {
  shutdown();
}

bool HandlerPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (closing_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void HandlerPool::shutdown() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (closing_ && threads_.empty()) return;
    closing_ = true;
    dropped.swap(queue_);
  }
  dropped.clear();
  ready_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  std::lock_guard lock(mutex_);
  threads_.clear();
}

void HandlerPool::run() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace chathost::host
