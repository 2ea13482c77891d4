// The server against clients that try to stall it or confuse its framing: every attempt from the
// security review, kept as a test. Raw sockets, a real server on port 0.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "capturing_logger.h"
#include "http/http_server.h"

namespace chathost::host {
namespace {

using namespace std::chrono_literals;

struct Answer {
  int status = 0;
  std::string head;
  std::string body;
  bool closed = false;  // the server closed the connection after the answer
};

// Reads one Content-Length framed answer, then whether the server closes within `closeWait`.
Answer readAnswer(Poco::Net::StreamSocket& socket,
                  std::chrono::milliseconds closeWait = std::chrono::milliseconds(0)) {
  Answer a;
  std::string data;
  char buf[4096];
  std::size_t headEnd;
  while ((headEnd = data.find("\r\n\r\n")) == std::string::npos) {
    const int n = socket.receiveBytes(buf, sizeof buf);
    if (n <= 0) {
      a.closed = true;
      return a;
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
  a.head = data.substr(0, headEnd);
  a.status = std::stoi(a.head.substr(9, 3));
  const auto at = a.head.find("Content-Length: ");
  const std::size_t length = at == std::string::npos ? 0 : std::stoul(a.head.substr(at + 16));
  a.body = data.substr(headEnd + 4);
  while (a.body.size() < length) {
    const int n = socket.receiveBytes(buf, sizeof buf);
    if (n <= 0) break;
    a.body.append(buf, static_cast<std::size_t>(n));
  }
  if (closeWait.count() > 0) {
    socket.setReceiveTimeout(Poco::Timespan(closeWait.count() * 1000));
    try {
      a.closed = socket.receiveBytes(buf, sizeof buf) <= 0;
    } catch (const Poco::Exception&) {
      a.closed = false;  // still open when the wait ran out
    }
  }
  return a;
}

// True once the server has closed `socket` (reads end), polling until `timeout`.
bool closedByServer(Poco::Net::StreamSocket& socket, std::chrono::milliseconds timeout) {
  socket.setReceiveTimeout(Poco::Timespan(timeout.count() * 1000));
  char buf[256];
  try {
    while (true) {
      const int n = socket.receiveBytes(buf, sizeof buf);
      if (n <= 0) return true;
    }
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Exception&) {
    return true;  // reset
  }
}

class HostileClientsTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(
        options,
        [this](sdk::Request& r) {
          ++calls_;
          if (r.path == "/block") {
            std::unique_lock lock(mutex_);
            ++blocked_;
            released_.wait(lock, [this] { return release_; });
          }
          sdk::Response out = sdk::Response::okJson("{\"path\":" + sdk::jsonQuote(r.path) + "}");
          if (r.path == "/big") out.body.assign(8 * 1024 * 1024, 'b');
          if (r.path == "/inject") out.headers.emplace_back("X-Echo", "a\r\nSet-Cookie: x=1");
          if (r.path == "/page")
            out.headers.emplace_back("Content-Security-Policy", "default-src 'self'");
          return out;
        },
        logger_);
    ASSERT_TRUE(server_->start().isOk());
  }

  void TearDown() override {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
    if (server_) server_->stop(1s);
  }

  Poco::Net::StreamSocket connect() {
    Poco::Net::StreamSocket s(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server_->port())));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    return s;
  }

  Answer exchange(const std::string& bytes, std::chrono::milliseconds closeWait = 1s) {
    auto s = connect();
    s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    return readAnswer(s, closeWait);
  }

  int blockedCount() {
    std::lock_guard lock(mutex_);
    return blocked_;
  }

  testing::CapturingLogger logger_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> calls_{0};
  std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  int blocked_ = 0;
};

void expectEnvelope(const Answer& a, int status, const std::string& code) {
  EXPECT_EQ(a.status, status) << a.head;
  EXPECT_NE(a.head.find("Content-Type: application/json"), std::string::npos) << a.head;
  EXPECT_NE(a.body.find("\"success\":false"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("\"code\":\"" + code + "\""), std::string::npos) << a.body;
  EXPECT_TRUE(a.closed) << "the connection stays open after " << a.status;
}

TEST_F(HostileClientsTest, TricklingConnectionsDoNotStallOtherClients) {
  HttpServerOptions options;
  options.threads = 2;  // far fewer handler threads than attackers
  start(options);
  std::vector<Poco::Net::StreamSocket> attackers;
  for (int i = 0; i < 200; ++i) {
    attackers.push_back(connect());
    const std::string partial = "POST /webhook HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    attackers.back().sendBytes(partial.data(), static_cast<int>(partial.size()));
  }
  for (int i = 0; i < 100; ++i) attackers.push_back(connect());  // silent connections
  const Answer a = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(calls_, 1);
}

TEST_F(HostileClientsTest, DropsRequestsNotCompleteWithinTheRequestTimeout) {
  HttpServerOptions options;
  options.requestTimeoutMs = 200;
  start(options);
  auto slow = connect();
  // One byte at a time, never finishing: the deadline counts from the first byte, not the last.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool closed = false;
  for (const char c : std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaa")) {
    try {
      slow.sendBytes(&c, 1);
    } catch (const Poco::Exception&) {
      closed = true;
      break;
    }
    if (closedByServer(slow, 50ms)) {
      closed = true;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) break;
  }
  EXPECT_TRUE(closed);
  EXPECT_EQ(calls_, 0);
  auto silent = connect();
  EXPECT_TRUE(closedByServer(silent, 5s));
}

TEST_F(HostileClientsTest, ClosesIdleKeepAliveConnections) {
  HttpServerOptions options;
  options.keepAliveTimeoutMs = 100;
  start(options);
  auto s = connect();
  const std::string request = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  s.sendBytes(request.data(), static_cast<int>(request.size()));
  const Answer a = readAnswer(s);
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.head.find("Connection: keep-alive"), std::string::npos);
  EXPECT_TRUE(closedByServer(s, 5s));
}

TEST_F(HostileClientsTest, AnswersConnectionsAboveTheLimitWith503) {
  HttpServerOptions options;
  options.maxConnections = 3;
  start(options);
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 3; ++i) held.push_back(connect());
  const Answer refused = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  expectEnvelope(refused, 503, "SERVICE_UNAVAILABLE");
  held.clear();
  // Once they are gone, new clients are served again (the server notices closes asynchronously).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  Answer served;
  while (std::chrono::steady_clock::now() < deadline) {
    served = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
    if (served.status == 200) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(served.status, 200);
}

TEST_F(HostileClientsTest, RefusesBothContentLengthAndTransferEncodingWithoutServingTheRest) {
  start();
  // The smuggled request after the chunked body must never be served.
  const std::string smuggle =
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  expectEnvelope(exchange(smuggle), 400, "VALIDATION_ERROR");
  const std::string reversed =
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  expectEnvelope(exchange(reversed), 400, "VALIDATION_ERROR");
  EXPECT_EQ(calls_, 0);
}

TEST_F(HostileClientsTest, RefusesMalformedFraming) {
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"conflicting lengths",
       "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"},
      {"length list that disagrees",
       "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd"},
      {"negative length", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"space before the colon",
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"},
      {"transfer coding other than chunked",
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc"},
      {"chunked twice",
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
       "chunked\r\n\r\n0\r\n\r\n"},
      {"bad request line", "GET /a HTTP/9.x\r\nHost: x\r\n\r\n"},
      {"control character in a header", std::string("GET /a HTTP/1.1\r\nX-A: b\x01\r\n\r\n")},
      {"bad chunk size", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
      {"oversized header",
       "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n"},
      {"oversized target", "GET /" + std::string(40000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    expectEnvelope(exchange(bytes), 400, "VALIDATION_ERROR");
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(HostileClientsTest, ServesPipelinedRequestsInOrder) {
  start();
  auto s = connect();
  const std::string two =
      "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n";
  s.sendBytes(two.data(), static_cast<int>(two.size()));
  // Both answers may arrive in one read: collect the stream until both are there.
  std::string stream;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (stream.find("/second") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    const int n = s.receiveBytes(buf, sizeof buf);
    if (n <= 0) break;
    stream.append(buf, static_cast<std::size_t>(n));
  }
  const auto first = stream.find("\"/first\"");
  const auto second = stream.find("\"/second\"");
  ASSERT_NE(first, std::string::npos) << stream;
  ASSERT_NE(second, std::string::npos) << stream;
  EXPECT_LT(first, second);
  EXPECT_EQ(calls_, 2);
}

TEST_F(HostileClientsTest, AFullHandlerQueueIsRefusedWith503) {
  HttpServerOptions options;
  options.threads = 1;
  options.maxQueued = 1;
  start(options);
  auto busy = connect();
  const std::string block = "GET /block HTTP/1.1\r\nHost: x\r\n\r\n";
  busy.sendBytes(block.data(), static_cast<int>(block.size()));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (blockedCount() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(blockedCount(), 1);
  auto queued = connect();  // waits in the queue
  queued.sendBytes(block.data(), static_cast<int>(block.size()));
  // The queue holds one; the next is refused at once rather than waiting without limit.
  Answer refused;
  for (int attempt = 0; attempt < 100 && refused.status != 503; ++attempt)
    refused = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  expectEnvelope(refused, 503, "SERVICE_UNAVAILABLE");
}

TEST_F(HostileClientsTest, AClientThatDoesNotReadItsAnswerHoldsNoHandlerThread) {
  HttpServerOptions options;
  options.threads = 1;
  start(options);
  auto slowReader = connect();
  const std::string big = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  slowReader.sendBytes(big.data(), static_cast<int>(big.size()));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (calls_ == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  // The 8 MiB answer does not fit the socket buffers: the rest waits for the reader, not the
  // only handler thread.
  const Answer other = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  EXPECT_EQ(other.status, 200);
  const Answer answer = readAnswer(slowReader);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body.size(), 8u * 1024 * 1024);
}

TEST_F(HostileClientsTest, SetsSecurityHeadersAndDropsInjectedOnes) {
  start();
  const Answer api = exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  EXPECT_NE(api.head.find("X-Content-Type-Options: nosniff"), std::string::npos) << api.head;
  EXPECT_NE(api.head.find("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'"),
            std::string::npos)
      << api.head;
  EXPECT_NE(api.head.find("Referrer-Policy: no-referrer"), std::string::npos);
  const Answer page = exchange("GET /page HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  EXPECT_NE(page.head.find("Content-Security-Policy: default-src 'self'"), std::string::npos);
  EXPECT_EQ(page.head.find("default-src 'none'"), std::string::npos) << "two policies";
  const Answer injected = exchange("GET /inject HTTP/1.1\r\nHost: x\r\n\r\n", 0ms);
  EXPECT_EQ(injected.status, 200);
  EXPECT_EQ(injected.head.find("Set-Cookie"), std::string::npos) << injected.head;
}

}  // namespace
}  // namespace chathost::host
