#include "outbound/poco_http_client.h"

#include "scripted_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;
using testing::ScriptedServer;

std::int64_t elapsedMs(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

template <typename F>
bool eventually(F condition, int timeoutMs = 5000) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

std::optional<std::string> header(const sdk::HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (sdk::equalsIgnoreCase(k, name)) return v;
  return std::nullopt;
}

// Lets /stall handlers go when the test ends, so the server can stop.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
  void waitOpen() {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return open; });
  }
};

// /echo answers with the request's body and describes the request in X- headers; ?status=N
// picks the status. /stall answers only when the gate opens.
class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Gate& gate) : gate_(gate) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    Poco::URI uri(request.getURI());
    if (uri.getPath() == "/stall") gate_.waitOpen();
    int status = 200;
    for (const auto& [k, v] : uri.getQueryParameters())
      if (k == "status") status = std::stoi(v);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.set("X-Method", request.getMethod());
    response.set("X-Content-Type", request.getContentType());
    response.set("X-User-Agent", request.get("User-Agent", ""));
    for (const auto& [k, v] : request)
      if (k.size() > 2 && (k[0] == 'X' || k[0] == 'x') && k[1] == '-')
        response.set("X-Got-" + k, v);
    response.setContentType("application/octet-stream");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  }

 private:
  Gate& gate_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Gate& gate) : gate_(gate) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(gate_);
  }

 private:
  Gate& gate_;
};

class TestServer {
 public:
  explicit TestServer(Poco::Timespan keepAliveTimeout = Poco::Timespan(15, 0))
      : threads_(2, 32), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(keepAliveTimeout);
    params->setMaxKeepAliveRequests(0);
    server_.emplace(new Factory(gate_), threads_, socket_, params);
    server_->start();
  }
  ~TestServer() {
    gate_.release();
    server_->stopAll(true);
    threads_.joinAll();
  }
  std::string url(const std::string& pathAndQuery) const {
    return "http://127.0.0.1:" + std::to_string(port()) + pathAndQuery;
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return socket_.address().port(); }
  int connections() const { return server_->totalConnections(); }
  int openConnections() const { return server_->currentConnections(); }

 private:
  Gate gate_;
  Poco::ThreadPool threads_;
  Poco::Net::ServerSocket socket_;
  std::optional<Poco::Net::HTTPServer> server_;
};

sdk::HttpRequest get(const std::string& url) {
  sdk::HttpRequest r;
  r.url = url;
  return r;
}

sdk::HttpRequest post(const std::string& url, std::string body, std::string type = "text/plain") {
  sdk::HttpRequest r;
  r.method = sdk::Method::kPost;
  r.url = url;
  r.body = std::move(body);
  r.contentType = std::move(type);
  return r;
}

int portWithNothingListening() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  int port = socket.address().port();
  socket.close();
  return port;
}

TEST(PocoHttpClient, PostRoundTripWithHeadersAndBinaryBody) {
  TestServer server;
  PocoHttpClient client;
  std::string body;
  for (int i = 0; i < 4 * 256; ++i) body.push_back(static_cast<char>(i % 256));
  auto request = post(server.url("/echo"), body, "application/octet-stream");
  request.headers = {{"X-Trace", "abc 123"}, {"Authorization", "Bearer t"}};
  auto r = client.send(request);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, body);
  EXPECT_EQ(header(*r, "X-Method"), "POST");
  EXPECT_EQ(header(*r, "X-Content-Type"), "application/octet-stream");
  EXPECT_EQ(header(*r, "X-Got-X-Trace"), "abc 123");
  EXPECT_EQ(header(*r, "X-User-Agent"), "chathost/0.1");
  EXPECT_EQ(header(*r, "Content-Type"), "application/octet-stream");
}

TEST(PocoHttpClient, GetAndOtherMethods) {
  TestServer server;
  PocoHttpClient client(HttpClientOptions{.userAgent = "tests/1"});
  auto r = client.send(get(server.url("/echo?x=1")));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(header(*r, "X-Method"), "GET");
  EXPECT_EQ(header(*r, "X-User-Agent"), "tests/1");
  EXPECT_EQ(r->body, "");

  for (auto [method, name] : {std::pair{sdk::Method::kPut, "PUT"},
                              {sdk::Method::kPatch, "PATCH"},
                              {sdk::Method::kDelete, "DELETE"}}) {
    auto request = get(server.url("/echo"));
    request.method = method;
    request.headers = {{"User-Agent", "caller/2"}};
    auto reply = client.send(request);
    ASSERT_TRUE(reply.isOk()) << name << ": " << reply.status().message();
    EXPECT_EQ(header(*reply, "X-Method"), name);
    EXPECT_EQ(header(*reply, "X-User-Agent"), "caller/2");
  }
}

TEST(PocoHttpClient, ErrorStatusesArePassedThrough) {
  TestServer server;
  PocoHttpClient client;
  for (int status : {201, 400, 404, 429, 500, 503}) {
    auto r = client.send(post(server.url("/echo?status=" + std::to_string(status)), "payload"));
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->body, "payload");
  }
}

TEST(PocoHttpClient, ReusesKeepAliveConnections) {
  TestServer server;
  PocoHttpClient client;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.send(get(server.url("/echo"))).isOk());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.send(post(server.url("/echo"), "b")).isOk());
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client.idleConnections(server.origin()), 1u);
}

TEST(PocoHttpClient, ConcurrentRequests) {
  TestServer server;
  PocoHttpClient client;
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string body = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = client.send(post(server.url("/echo"), body));
        if (r.isOk() && r->status == 200 && r->body == body) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), kThreads * kEach);
  EXPECT_LE(server.connections(), kThreads);  // connections were reused, not one per request
  EXPECT_LE(client.idleConnections(server.origin()), static_cast<std::size_t>(kThreads));
}

TEST(PocoHttpClient, StalledServerTimesOut) {
  TestServer server;
  PocoHttpClient client;
  auto request = get(server.url("/stall?access_token=SECRET"));
  request.timeoutMs = 300;
  auto start = Clock::now();
  auto r = client.send(request);
  auto tookMs = elapsedMs(start);
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kTimeout) << r.status().message();
  EXPECT_GE(tookMs, 250);
  EXPECT_LT(tookMs, 2000);
  EXPECT_EQ(r.status().message().find("SECRET"), std::string::npos) << r.status().message();
  // The timed-out connection is not pooled; the next request works on a new one.
  ASSERT_TRUE(client.send(get(server.url("/echo"))).isOk());
}

TEST(PocoHttpClient, ConnectionRefusedIsUnavailableWithoutSecrets) {
  PocoHttpClient client;
  auto request = post("http://127.0.0.1:" + std::to_string(portWithNothingListening()) +
                          "/v1/send?access_token=SECRET",
                      "{}", "application/json");
  request.headers = {{"Authorization", "Bearer TOKEN"}};
  auto start = Clock::now();
  auto r = client.send(request);
  EXPECT_LT(elapsedMs(start), 2000);
  ASSERT_EQ(r.status().code(), sdk::ErrorCode::kUnavailable);
  const std::string message = r.status().message();
  EXPECT_NE(message.find("POST http://127.0.0.1:"), std::string::npos) << message;
  EXPECT_NE(message.find("/v1/send"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
  EXPECT_EQ(message.find("TOKEN"), std::string::npos) << message;
}

TEST(PocoHttpClient, DeadlineCoversTheTlsHandshake) {
  // Accepts connections (from the kernel backlog) and never says a word: per-read socket timeouts
  // alone would let a TLS handshake wait several times the request's timeout.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  PocoHttpClient client;
  for (const char* scheme : {"https", "http"}) {
    auto request =
        get(std::string(scheme) + "://127.0.0.1:" + std::to_string(silent.address().port()) + "/x");
    request.timeoutMs = 300;
    auto start = Clock::now();
    auto r = client.send(request);
    auto tookMs = elapsedMs(start);
    EXPECT_EQ(r.status().code(), sdk::ErrorCode::kTimeout)
        << scheme << ": " << r.status().message();
    EXPECT_GE(tookMs, 250) << scheme;
    EXPECT_LT(tookMs, 700) << scheme;
  }
}

TEST(PocoHttpClient, HttpsToAPlainServerFails) {
  TestServer server;
  PocoHttpClient client;
  auto request = get("https://127.0.0.1:" + std::to_string(server.port()) + "/echo");
  request.timeoutMs = 500;
  auto start = Clock::now();
  auto r = client.send(request);
  EXPECT_LT(elapsedMs(start), 1000);
  EXPECT_FALSE(r.isOk());  // refused handshake or deadline, whichever the server causes first
}

TEST(PocoHttpClient, BadRequestsAreValidationErrors) {
  PocoHttpClient client;
  EXPECT_EQ(client.send(get("not a url")).status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(client.send(get("ftp://127.0.0.1/x")).status().code(), sdk::ErrorCode::kValidation);
  auto injected = get("http://127.0.0.1:1/");
  injected.headers = {{"X-A", "v\r\nX-B: w"}};
  EXPECT_EQ(client.send(injected).status().code(), sdk::ErrorCode::kValidation);
  auto noTime = get("http://127.0.0.1:1/");
  noTime.timeoutMs = 0;
  EXPECT_EQ(client.send(noTime).status().code(), sdk::ErrorCode::kValidation);
}

TEST(PocoHttpClient, IdleConnectionClosedByServerIsNotUsed) {
  TestServer server(Poco::Timespan(0, 100000));  // the server drops idle connections at 100 ms
  PocoHttpClient client;
  ASSERT_TRUE(client.send(post(server.url("/echo"), "one")).isOk());
  ASSERT_TRUE(eventually([&] { return server.openConnections() == 0; }));
  // A POST is never retried, so it must not be sent on the dead connection in the first place.
  auto r = client.send(post(server.url("/echo"), "two"));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->body, "two");
  EXPECT_EQ(server.connections(), 2);
}

TEST(PocoHttpClient, GetIsRetriedOnceWhenAReusedConnectionDies) {
  ScriptedServer server;
  PocoHttpClient client;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/x";
  ASSERT_TRUE(client.send(get(url)).isOk());
  auto r = client.send(get(url));  // reused connection: the server hangs up, then a fresh one
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(server.connections(), 2);
}

TEST(PocoHttpClient, PostIsNeverRetried) {
  ScriptedServer server;
  PocoHttpClient client;
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/x";
  ASSERT_TRUE(client.send(post(url, "first")).isOk());
  auto r = client.send(post(url, "second"));
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 1);
}

}  // namespace
}  // namespace chathost::host
