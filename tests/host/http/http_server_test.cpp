#include "http/http_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "capturing_logger.h"
#include "http/envelope.h"

namespace chathost::host {
namespace {

using namespace std::chrono_literals;

struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};

// Reads one HTTP/1.1 response (Content-Length framed) from a raw socket, skipping interim 1xx
// answers; `interim` counts them.
RawResponse readResponse(Poco::Net::StreamSocket& socket, int* interim = nullptr) {
  std::string data;
  char buf[4096];
  std::size_t headEnd;
  RawResponse r;
  while (true) {
    while ((headEnd = data.find("\r\n\r\n")) == std::string::npos) {
      const int n = socket.receiveBytes(buf, sizeof buf);
      if (n <= 0) return {};
      data.append(buf, static_cast<std::size_t>(n));
    }
    r.head = data.substr(0, headEnd);
    r.status = std::stoi(r.head.substr(9, 3));
    if (r.status >= 200) break;
    if (interim) ++*interim;
    data.erase(0, headEnd + 4);
  }
  const auto at = r.head.find("Content-Length: ");
  const std::size_t length = at == std::string::npos ? 0 : std::stoul(r.head.substr(at + 16));
  r.body = data.substr(headEnd + 4);
  while (r.body.size() < length) {
    const int n = socket.receiveBytes(buf, sizeof buf);
    if (n <= 0) break;
    r.body.append(buf, static_cast<std::size_t>(n));
  }
  return r;
}

template <typename Pred>
bool waitFor(Pred pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}, HttpServer::InlineHandler inlineHandler = {}) {
    options.port = 0;
    if (options.maxBodyBytes == 1048576) options.maxBodyBytes = 1024;
    server_ = std::make_unique<HttpServer>(
        options, [this](sdk::Request& r) { return handle(r); }, logger_, std::move(inlineHandler));
    const sdk::Status status = server_->start();
    ASSERT_TRUE(status.isOk()) << status.message();
    ASSERT_GT(server_->port(), 0);
  }

  // Echoes what it received; "/block" waits until released; "/throw" throws.
  sdk::Response handle(sdk::Request& r) {
    ++calls_;
    {
      std::lock_guard lock(mutex_);
      last_ = r;
    }
    if (r.path == "/throw") throw std::runtime_error("handler bug");
    if (r.path == "/block") {
      blocked_ = true;
      std::unique_lock lock(mutex_);
      released_.wait(lock, [this] { return release_; });
      return sdk::Response::text(200, "finished");
    }
    sdk::Response out;
    out.contentType = "application/octet-stream";
    out.body = r.body;
    out.headers.emplace_back("X-Path", r.path);
    out.headers.emplace_back("Content-Length", "999999");  // ignored: the server frames
    return out;
  }

  void releaseBlocked() {
    std::lock_guard lock(mutex_);
    release_ = true;
    released_.notify_all();
  }

  Poco::Net::StreamSocket connect() {
    return Poco::Net::StreamSocket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server_->port())));
  }

  RawResponse rawExchange(const std::string& bytes, int* interim = nullptr) {
    auto socket = connect();
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    return readResponse(socket, interim);
  }

  sdk::Request lastRequest() {
    std::lock_guard lock(mutex_);
    return last_;
  }

  void TearDown() override {
    releaseBlocked();
    if (server_) server_->stop(1s);
  }

  testing::CapturingLogger logger_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> calls_{0};
  std::atomic<bool> blocked_{false};
  std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  sdk::Request last_;
};

TEST_F(HttpServerTest, BuildsTheRequestAndKeepsTheConnectionAlive) {
  start();
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
  session.setKeepAlive(true);
  for (int i = 0; i < 2; ++i) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_PATCH,
                                   "/api/a%20b/c?limit=5&q=x%26y+z&flag",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("X-Custom", "v1");
    request.setContentLength(5);
    session.sendRequest(request) << "hello";
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), 200);
    EXPECT_EQ(body, "hello");
    EXPECT_EQ(response.getContentLength64(), 5);
    EXPECT_EQ(response.getContentType(), "application/octet-stream");
    EXPECT_TRUE(response.getKeepAlive());
    EXPECT_EQ(response.get("X-Path"), "/api/a%20b/c");
  }
  const sdk::Request seen = lastRequest();
  EXPECT_EQ(seen.method, sdk::Method::kPatch);
  EXPECT_EQ(seen.path, "/api/a%20b/c");
  EXPECT_EQ(seen.query, (std::vector<std::pair<std::string, std::string>>{
                            {"limit", "5"}, {"q", "x&y z"}, {"flag", ""}}));
  EXPECT_EQ(seen.header("x-custom"), "v1");
  EXPECT_TRUE(seen.remoteAddress.starts_with("127.0.0.1:")) << seen.remoteAddress;
  EXPECT_EQ(calls_, 2);
}

TEST_F(HttpServerTest, PreservesTheRawBodyByteForByte) {
  start();
  std::string body;
  for (int i = 0; i < 256; ++i) body.push_back(static_cast<char>(i));
  body += "{\"text\":\"caf\\u00e9 \xff\xfe \\ud83d\\ude00\"}\r\n";
  const auto r = rawExchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(lastRequest().body, body);
}

TEST_F(HttpServerTest, AssemblesChunkedBodiesUnderTheLimit) {
  start();
  const auto r = rawExchange(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
}

TEST_F(HttpServerTest, RejectsAnOversizedContentLengthWithoutReadingTheBody) {
  start();
  // Only the headers are sent: the answer must come without waiting for the body.
  const auto r = rawExchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("\"code\":\"PAYLOAD_TOO_LARGE\""), std::string::npos) << r.body;
  EXPECT_NE(r.head.find("Connection: close"), std::string::npos) << r.head;
  EXPECT_NE(r.head.find("X-Operation-Id: "), std::string::npos) << r.head;
  EXPECT_EQ(calls_, 0);
}

// The 413 follows the header without a "100 Continue" and without the body.
TEST_F(HttpServerTest, RejectsOversizedBodiesAfterExpectContinue) {
  start();
  const auto r = rawExchange(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, StopsReadingAChunkedBodyAtTheLimit) {
  start();
  std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "200\r\n" + std::string(512, 'x') + "\r\n";
  // No final chunk: the server must answer once it is past the limit.
  const auto r = rawExchange(request);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("PAYLOAD_TOO_LARGE"), std::string::npos);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, AcceptsABodyExactlyAtTheLimit) {
  start();
  const std::string body(1024, 'b');
  const auto r =
      rawExchange("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + body);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
}

TEST_F(HttpServerTest, UnsupportedMethodsAndBadQueriesGetEnvelopes) {
  start();
  auto r = rawExchange("OPTIONS /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"code\":\"NOT_FOUND\""), std::string::npos);
  EXPECT_NE(r.head.find("Content-Type: application/json"), std::string::npos);
  r = rawExchange("GET /echo?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"code\":\"VALIDATION_ERROR\""), std::string::npos);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, AHandlerExceptionIs500AndTheServerKeepsServing) {
  start();
  auto r = rawExchange("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("INTERNAL_ERROR"), std::string::npos);
  EXPECT_EQ(r.body.find("handler bug"), std::string::npos);
  const auto lines = logger_.lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().level, sdk::LogLevel::kError);
  EXPECT_NE(lines.back().field("error").find("handler bug"), std::string::npos);
  r = rawExchange("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 200);
}

TEST_F(HttpServerTest, ServesConcurrentClients) {
  start();
  constexpr int kClients = 8;
  constexpr int kRequests = 40;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = "client " + std::to_string(c) + " request " + std::to_string(i);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/echo",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string got;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), got);
        if (response.getStatus() == 200 && got == body) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, kClients * kRequests);
}

TEST_F(HttpServerTest, GracefulStopLetsTheRequestInFlightFinish) {
  start();
  const int port = server_->port();
  auto inFlight = std::async(
      std::launch::async, [this] { return rawExchange("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"); });
  ASSERT_TRUE(waitFor([this] { return blocked_.load(); }));

  auto stopped = std::async(std::launch::async, [this] { server_->stop(10s); });
  // Once stopping, no new connection is accepted.
  EXPECT_TRUE(waitFor([port] {
    try {
      Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", port));
      return false;
    } catch (const Poco::Exception&) {
      return true;
    }
  }));
  EXPECT_EQ(stopped.wait_for(0s), std::future_status::timeout);  // still waiting for the request
  releaseBlocked();
  const RawResponse r = inFlight.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_NE(r.head.find("Connection: close"), std::string::npos);
  EXPECT_EQ(stopped.wait_for(5s), std::future_status::ready);
}

TEST_F(HttpServerTest, StopAbortsRequestsThatOutliveTheGracePeriod) {
  start();
  auto inFlight = std::async(std::launch::async, [this] {
    try {
      return rawExchange("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
    } catch (const Poco::Exception&) {
      return RawResponse{};
    }
  });
  ASSERT_TRUE(waitFor([this] { return blocked_.load(); }));
  const auto before = std::chrono::steady_clock::now();
  std::thread stopper([this] { server_->stop(100ms); });
  // The connection is cut although the handler is still running.
  EXPECT_EQ(inFlight.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(inFlight.get().status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 4s);
  releaseBlocked();
  stopper.join();
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionsDoNotDelayStop) {
  start();
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/echo",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response).ignore(1 << 20);
  ASSERT_EQ(response.getStatus(), 200);
  const auto before = std::chrono::steady_clock::now();
  server_->stop(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
}

TEST_F(HttpServerTest, ReportsTheAddressWhenItCannotListen) {
  start();
  HttpServerOptions options;
  options.port = server_->port();
  HttpServer second(
      options, [](sdk::Request&) { return sdk::Response::text(200, "x"); }, logger_);
  const sdk::Status status = second.start();
  EXPECT_EQ(status.code(), sdk::ErrorCode::kUnavailable);
  EXPECT_NE(status.message().find("127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos)
      << status.message();

  options.port = 70000;
  HttpServer third(
      options, [](sdk::Request&) { return sdk::Response::text(200, "x"); }, logger_);
  EXPECT_EQ(third.start().code(), sdk::ErrorCode::kValidation);
}

// ---------------------------------------------------------------------------------------------
// Inline handlers: tried on the network thread before the handler pool.

class HttpServerInlineTest : public HttpServerTest {
 protected:
  // Takes "/inline" requests and keeps their answer function for the test; declines the rest.
  void startKeepingAnswers() {
    start({}, [this](sdk::Request& r, std::function<void(sdk::Response)> answer) {
      ++inlineCalls_;
      if (r.path != "/inline") return false;
      std::lock_guard lock(inlineMutex_);
      inlineBody_ = r.body;
      kept_ = std::move(answer);
      return true;
    });
  }
  bool hasKeptAnswer() {
    std::lock_guard lock(inlineMutex_);
    return static_cast<bool>(kept_);
  }
  std::function<void(sdk::Response)> takeKeptAnswer() {
    std::lock_guard lock(inlineMutex_);
    return std::exchange(kept_, nullptr);
  }

  void TearDown() override {
    takeKeptAnswer();  // it holds the connection; drop it before the server goes
    HttpServerTest::TearDown();
  }

  std::atomic<int> inlineCalls_{0};
  std::mutex inlineMutex_;
  std::function<void(sdk::Response)> kept_;
  std::string inlineBody_;
};

TEST_F(HttpServerInlineTest, AnAnswerGivenLaterFromAnotherThreadReachesTheClient) {
  startKeepingAnswers();
  auto socket = connect();
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  const std::string first = "POST /inline HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  socket.sendBytes(first.data(), static_cast<int>(first.size()));
  ASSERT_TRUE(waitFor([this] { return hasKeptAnswer(); }));
  {
    std::lock_guard lock(inlineMutex_);
    EXPECT_EQ(inlineBody_, "hello");
  }
  EXPECT_EQ(calls_, 0);  // the handler pool never saw it

  std::thread completer([answer = takeKeptAnswer()] {
    sdk::Response response = sdk::Response::text(200, "answered later");
    response.headers.emplace_back("X-Inline", "yes");
    answer(std::move(response));
  });
  completer.join();
  const RawResponse r = readResponse(socket);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "answered later");
  EXPECT_NE(r.head.find("X-Inline: yes"), std::string::npos) << r.head;
  EXPECT_EQ(r.head.find("Connection: close"), std::string::npos) << r.head;

  // The same connection serves the next request.
  const std::string second = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nagain";
  socket.sendBytes(second.data(), static_cast<int>(second.size()));
  const RawResponse next = readResponse(socket);
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "again");
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(inlineCalls_, 2);
}

TEST_F(HttpServerInlineTest, AnAnswerGivenAtOnceOnTheNetworkThreadIsWritten) {
  start({}, [this](sdk::Request& r, std::function<void(sdk::Response)> answer) {
    ++inlineCalls_;
    answer(sdk::Response::text(200, "inline " + r.body));
    return true;
  });
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
  session.setKeepAlive(true);
  for (int i = 0; i < 2; ++i) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/anything",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength(2);
    session.sendRequest(request) << "x" << i;
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), 200);
    EXPECT_EQ(body, "inline x" + std::to_string(i));
    EXPECT_TRUE(response.getKeepAlive());
  }
  EXPECT_EQ(inlineCalls_, 2);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerInlineTest, ADecliningInlineHandlerLeavesTheRequestToTheHandler) {
  startKeepingAnswers();
  const auto r = rawExchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_NE(r.head.find("X-Path: /echo"), std::string::npos) << r.head;
  EXPECT_EQ(inlineCalls_, 1);
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(lastRequest().body, "hello");  // the declined request reaches the handler whole
}

}  // namespace
}  // namespace chathost::host
