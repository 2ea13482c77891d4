#include "http/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <istream>
#include <mutex>
#include <thread>

#include "http/envelope.h"
#include "http/methods.h"
#include "http/url_decode.h"

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr const char* kServerOperation = "http";

// Headers the server sets itself; a handler's copies would contradict the framing.
bool isFramingHeader(const std::string& name) {
  return sdk::equalsIgnoreCase(name, "Content-Length") ||
         sdk::equalsIgnoreCase(name, "Transfer-Encoding") ||
         sdk::equalsIgnoreCase(name, "Connection");
}

// "http://host:8080/p?q" (absolute form) -> "/p?q"; origin form is returned unchanged.
std::string_view originForm(std::string_view uri) {
  if (!uri.empty() && uri.front() == '/') return uri;
  const std::size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::size_t slash = uri.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view("/") : uri.substr(slash);
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  sdk::Logger& logger;

  std::unique_ptr<Poco::ThreadPool> pool;  // declared before server: outlives it
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;

  std::atomic<bool> stopping{false};
  std::mutex flightMutex;
  std::condition_variable flightDone;
  int inFlight = 0;
  std::mutex stopMutex;
  bool stopped = false;

  Impl(HttpServerOptions o, Handler h, sdk::Logger& l)
      : options(std::move(o)), handler(std::move(h)), logger(l) {}

  // A request the server itself refuses (before or around the handler), logged like the router's.
  sdk::Response refuse(const sdk::Status& status, const std::string& method,
                       const std::string& path, Clock::time_point start) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    const std::string operationId = newOperationId();
    sdk::Response r = renderError(status, kServerOperation, operationId, ms);
    r.headers.emplace_back("X-Operation-Id", operationId);
    const auto level = r.status >= 500 ? sdk::LogLevel::kError : sdk::LogLevel::kWarning;
    if (logger.enabled(level))
      logger.log(level, "request failed",
                 {{"operationId", operationId},
                  {"operation", kServerOperation},
                  {"method", method},
                  {"path", path},
                  {"status", std::to_string(r.status)},
                  {"code", sdk::errorCodeName(status.code())},
                  {"durationMs", std::to_string(ms)},
                  {"error", status.message()}});
    return r;
  }

  // Reads the body into `body`. Returns an error status when the body is too large or cut short;
  // `unread` tells whether request bytes may still be waiting on the connection.
  // (Poco answers "Expect: 100-continue" itself before the handler runs.)
  sdk::Status readBody(Poco::Net::HTTPServerRequest& in, std::string& body, bool& unread) {
    const bool chunked = in.getChunkedTransferEncoding();
    const bool sized = !chunked && in.hasContentLength();
    if (!chunked && !sized) return sdk::Status::ok();  // HTTP/1.1: no framing, no body
    const std::int64_t limit = options.maxBodyBytes;
    const std::string tooLarge =
        "Request body exceeds the limit of " + std::to_string(limit) + " bytes";
    if (sized) {
      const std::int64_t length = in.getContentLength64();
      if (length > limit) {
        unread = length > 0;
        return {sdk::ErrorCode::kPayloadTooLarge, tooLarge};
      }
      if (length <= 0) return sdk::Status::ok();
      body.resize(static_cast<std::size_t>(length));
      in.stream().read(body.data(), length);
      if (in.stream().gcount() != length) {
        body.clear();
        unread = true;
        return sdk::Status::validation("Request body ended before its Content-Length");
      }
      return sdk::Status::ok();
    }
    std::istream& stream = in.stream();
    while (true) {
      // Never ask for more than one byte past the limit: read() blocks until it has it all.
      const std::size_t had = body.size();
      const auto want =
          std::min<std::size_t>(kReadChunk, static_cast<std::size_t>(limit) + 1 - had);
      body.resize(had + want);
      stream.read(body.data() + had, static_cast<std::streamsize>(want));
      body.resize(had + static_cast<std::size_t>(stream.gcount()));
      if (static_cast<std::int64_t>(body.size()) > limit) {
        body.clear();
        unread = true;
        return {sdk::ErrorCode::kPayloadTooLarge, tooLarge};
      }
      if (!stream) break;
    }
    if (stream.bad()) {
      unread = true;
      return sdk::Status::validation("Request body could not be read");
    }
    return sdk::Status::ok();
  }

  sdk::Response serve(Poco::Net::HTTPServerRequest& in, bool& unread) {
    const auto start = Clock::now();
    const std::string_view target = originForm(in.getURI());
    const std::size_t q = target.find('?');
    sdk::Request request;
    request.path = std::string(target.substr(0, q));
    const auto method = parseMethod(in.getMethod());
    if (!method) {
      // Nothing of the body is read: close the connection after answering.
      unread = true;
      return refuse(sdk::Status::notFound("Method " + in.getMethod() + " is not supported"),
                    in.getMethod(), request.path, start);
    }
    request.method = *method;
    if (request.path.empty()) {
      unread = true;
      return refuse(sdk::Status::validation("Malformed request target"), in.getMethod(), "-",
                    start);
    }
    if (q != std::string_view::npos) {
      auto query = parseQueryString(target.substr(q + 1));
      if (!query) {
        unread = true;
        return refuse(sdk::Status::validation("Malformed percent-encoding in the query string"),
                      in.getMethod(), request.path, start);
      }
      request.query = std::move(*query);
    }
    sdk::Status bodyStatus = readBody(in, request.body, unread);
    if (!bodyStatus) return refuse(bodyStatus, in.getMethod(), request.path, start);
    request.headers.reserve(in.size());
    for (const auto& [name, value] : in) request.headers.emplace_back(name, value);
    request.remoteAddress = in.clientAddress().toString();
    try {
      return handler(request);
    } catch (const std::exception& e) {
      return refuse(sdk::Status::internal(std::string("request handler threw: ") + e.what()),
                    in.getMethod(), request.path, start);
    } catch (...) {
      return refuse(sdk::Status::internal("request handler threw"), in.getMethod(), request.path,
                    start);
    }
  }

  // After an early answer, the client may still be sending: stop writing, then read and drop
  // what arrives for a short while so closing does not reset the connection under the answer.
  static void lingerClose(Poco::Net::HTTPServerRequest& in) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&in);
    if (!impl) return;
    try {
      Poco::Net::StreamSocket& socket = impl->socket();
      socket.shutdownSend();
      socket.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
      char sink[8192];
      const auto deadline = Clock::now() + std::chrono::milliseconds(500);
      std::size_t total = 0;
      while (Clock::now() < deadline && total < 4 * 1024 * 1024) {
        const int n = socket.receiveBytes(sink, sizeof sink);
        if (n <= 0) break;
        total += static_cast<std::size_t>(n);
      }
    } catch (...) {
      // The peer went away: nothing left to protect.
    }
  }

  void handle(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
    {
      std::lock_guard lock(flightMutex);
      ++inFlight;
    }
    bool unread = false;
    try {
      sdk::Response response;
      try {
        response = serve(in, unread);
      } catch (const std::exception& e) {
        unread = true;
        response = refuse(sdk::Status::internal(std::string("request failed: ") + e.what()),
                          in.getMethod(), "-", Clock::now());
      }
      out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
      if (!response.contentType.empty()) out.setContentType(response.contentType);
      for (const auto& [name, value] : response.headers)
        if (!isFramingHeader(name)) out.add(name, value);
      out.setKeepAlive(!unread && !stopping.load(std::memory_order_relaxed));
      out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
      // Headers and body go out in one buffer, flushed now: the request only counts as done
      // (for a graceful stop) once its answer has left.
      std::ostream& stream = out.send();
      stream.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
      stream.flush();
      if (unread) lingerClose(in);
    } catch (...) {
      // The client vanished while we answered; Poco closes the connection.
    }
    std::lock_guard lock(flightMutex);
    if (--inFlight == 0) flightDone.notify_all();
  }
};

namespace {

// Small answers must not wait for the client's delayed ACK (Nagle): TCP_NODELAY, once per
// connection.
class NoDelayFilter final : public Poco::Net::TCPServerConnectionFilter {
 public:
  bool accept(const Poco::Net::StreamSocket& socket) override {
    try {
      Poco::Net::StreamSocket(socket).setNoDelay(true);
    } catch (...) {
    }
    return true;
  }
};

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(HttpServer::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    impl_.handle(in, out);
  }

 private:
  HttpServer::Impl& impl_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(HttpServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(impl_);
  }

 private:
  HttpServer::Impl& impl_;
};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, Handler handler, sdk::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), logger)) {}

HttpServer::~HttpServer() {
  stop(std::chrono::milliseconds(0));
  impl_->server.reset();
  if (impl_->pool) impl_->pool->joinAll();
}

sdk::Status HttpServer::start() {
  Impl& d = *impl_;
  const HttpServerOptions& o = d.options;
  const std::string address = o.host + ":" + std::to_string(o.port);
  if (d.server) return sdk::Status::internal("HTTP server already started");
  if (!d.handler) return sdk::Status::validation("HTTP server has no request handler");
  if (o.port < 0 || o.port > 65535)
    return sdk::Status::validation("server port out of range: " + std::to_string(o.port));
  if (o.threads < 1 || o.maxQueued < 1 || o.maxBodyBytes < 0)
    return sdk::Status::validation("server threads and queue must be >= 1, body limit >= 0");
  try {
    auto socket = std::make_unique<Poco::Net::ServerSocket>();
    // SO_REUSEADDR (restart without waiting for TIME_WAIT), never SO_REUSEPORT (two servers
    // sharing one port would silently split the traffic).
    socket->bind(Poco::Net::SocketAddress(o.host, static_cast<Poco::UInt16>(o.port)), true, false);
    socket->listen(1024);
    auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(o.threads);
    params->setMaxQueued(o.maxQueued);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);                 // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));  // an idle connection frees its thread
    params->setTimeout(Poco::Timespan(30, 0));
    d.pool = std::make_unique<Poco::ThreadPool>("http", 1, o.threads);
    d.server =
        std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(d), *d.pool, *socket, params);
    d.server->setConnectionFilter(new NoDelayFilter);
    d.server->start();
    d.port = socket->address().port();
    d.socket = std::move(socket);
  } catch (const Poco::Exception& e) {
    d.server.reset();
    return sdk::Status::unavailable("cannot listen on " + address + ": " + e.displayText());
  } catch (const std::exception& e) {
    d.server.reset();
    return sdk::Status::unavailable("cannot listen on " + address + ": " + e.what());
  }
  return sdk::Status::ok();
}

int HttpServer::port() const {
  return impl_->port;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  Impl& d = *impl_;
  std::lock_guard stopLock(d.stopMutex);
  if (!d.server || d.stopped) return;
  d.stopped = true;
  d.stopping.store(true);
  d.server->stop();  // no new connections; queued ones are dropped
  try {
    d.socket->close();
  } catch (...) {
  }
  {
    std::unique_lock lock(d.flightMutex);
    d.flightDone.wait_for(lock, grace, [&] { return d.inFlight == 0; });
  }
  // Closes idle keep-alive connections and aborts requests that outlived the grace period.
  d.server->stopAll(true);
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  while (d.server->currentConnections() > 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

}  // namespace chathost::host
