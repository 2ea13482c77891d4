#pragma once
// An sdk::HttpClient that records requests and answers from a script.

#include <chathost/sdk/http_client.h>

#include <deque>
#include <mutex>
#include <vector>

namespace chathost::testing {

class ScriptedHttpClient : public sdk::HttpClient {
 public:
  void respond(int status, std::string body) {
    std::lock_guard lock(mutex_);
    answers_.push_back(sdk::HttpResponse{status, {}, std::move(body)});
  }
  void fail(sdk::ErrorCode code, std::string message) {
    std::lock_guard lock(mutex_);
    answers_.push_back(sdk::Status(code, std::move(message)));
  }

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (answers_.empty()) return sdk::Status(sdk::ErrorCode::kUnavailable, "no scripted answer");
    auto answer = answers_.front();
    answers_.pop_front();
    return answer;
  }

  std::vector<sdk::HttpRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  static std::string header(const sdk::HttpRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (sdk::equalsIgnoreCase(k, name)) return v;
    }
    return {};
  }

 private:
  std::mutex mutex_;
  std::deque<sdk::Result<sdk::HttpResponse>> answers_;
  std::vector<sdk::HttpRequest> requests_;
};

}  // namespace chathost::testing
