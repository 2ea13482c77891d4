// PocoHttpClient::abortAll(): at shutdown, calls blocked on an endpoint that never answers return
// at once, and later calls do not start.
#include "outbound/poco_http_client.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Accepts every connection and never reads or writes a byte, until destroyed.
class SilentServer {
 public:
  SilentServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    thread_ = std::thread([this] {
      while (!stop_) {
        try {
          if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
          auto connection = socket_.acceptConnection();
          std::lock_guard lock(mutex_);
          held_.push_back(connection);
        } catch (const Poco::Exception&) {
        }
      }
    });
  }
  ~SilentServer() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return socket_.address().port(); }
  int accepted() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(held_.size());
  }

 private:
  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Poco::Net::StreamSocket> held_;
  std::thread thread_;
};

template <typename F>
bool eventually(F condition) {
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

sdk::HttpRequest post(const std::string& url) {
  sdk::HttpRequest request;
  request.method = sdk::Method::kPost;
  request.url = url;
  request.contentType = "application/json";
  request.body = R"({"text":"hello"})";
  request.timeoutMs = 30000;  // the operator's cap: far longer than any test may wait
  return request;
}

TEST(AbortAll, CallsWaitingForAnAnswerReturnAtOnce) {
  for (const char* scheme : {"http", "https"}) {
    SilentServer server;
    PocoHttpClient client;
    const std::string url =
        std::string(scheme) + "://127.0.0.1:" + std::to_string(server.port()) + "/hook";
    constexpr int kCalls = 6;
    std::vector<std::future<sdk::Result<sdk::HttpResponse>>> calls;
    for (int i = 0; i < kCalls; ++i) {
      calls.push_back(std::async(std::launch::async, [&] { return client.send(post(url)); }));
    }
    ASSERT_TRUE(eventually([&] { return server.accepted() == kCalls; })) << scheme;

    const auto aborted = Clock::now();
    client.abortAll();
    for (auto& call : calls) {
      ASSERT_EQ(call.wait_for(2s), std::future_status::ready) << scheme << ": a call still waits";
      auto result = call.get();
      ASSERT_FALSE(result) << scheme;
      EXPECT_EQ(result.status().code(), sdk::ErrorCode::kUnavailable) << scheme;
      EXPECT_NE(result.status().message().find("abandoned: the host is shutting down"),
                std::string::npos)
          << result.status().message();
      EXPECT_NE(result.status().message().find("POST " + std::string(scheme) + "://127.0.0.1:"),
                std::string::npos)
          << result.status().message();
    }
    EXPECT_LT(Clock::now() - aborted, 1s) << scheme;
  }
}

TEST(AbortAll, LaterCallsFailWithoutConnecting) {
  SilentServer server;
  PocoHttpClient client;
  client.abortAll();
  const auto start = Clock::now();
  auto result = client.send(post("http://127.0.0.1:" + std::to_string(server.port()) + "/hook"));
  EXPECT_LT(Clock::now() - start, 500ms);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_NE(result.status().message().find("abandoned"), std::string::npos);
  // Nothing reached the server: give a connection that was made the time to show up first.
  auto probe = Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  ASSERT_TRUE(eventually([&] { return server.accepted() >= 1; }));
  EXPECT_EQ(server.accepted(), 1) << "only the probe connected";
}

TEST(AbortAll, TimeoutsStillReportTimeoutWithoutAnAbort) {
  SilentServer server;
  PocoHttpClient client;
  auto request = post("http://127.0.0.1:" + std::to_string(server.port()) + "/hook");
  request.timeoutMs = 200;
  auto result = client.send(request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), sdk::ErrorCode::kTimeout) << result.status().message();
}

}  // namespace
}  // namespace chathost::host
