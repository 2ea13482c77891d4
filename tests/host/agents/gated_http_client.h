#pragma once
// An sdk::HttpClient whose calls wait at a gate the test opens, standing in for an endpoint that
// does not answer; it can also fail or throw instead of answering.

#include <chathost/sdk/http_client.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace chathost::testing {

class GatedHttpClient : public sdk::HttpClient {
 public:
  enum class Answer { kReply, kFail, kThrow };

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest&) override {
    std::unique_lock lock(mutex_);
    ++inFlight_;
    ++calls_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    --inFlight_;
    changed_.notify_all();
    if (answer_ == Answer::kThrow) throw std::runtime_error("client exploded");
    if (answer_ == Answer::kFail) return sdk::Status(sdk::ErrorCode::kTimeout, "timed out");
    return sdk::HttpResponse{200, {}, R"({"reply":"done"})"};
  }

  /// Lets every waiting and later call through with `answer`.
  void open(Answer answer = Answer::kReply) {
    std::lock_guard lock(mutex_);
    open_ = true;
    answer_ = answer;
    changed_.notify_all();
  }
  /// Makes later calls wait again.
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  /// Waits (deadline 10 s) until exactly `n` calls are inside send().
  bool waitInFlight(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return inFlight_ == n; });
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  Answer answer_ = Answer::kReply;
  int inFlight_ = 0;
  int calls_ = 0;
};

}  // namespace chathost::testing
