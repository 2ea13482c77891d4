#pragma once
// The host's HTTP/1.1 server. Boost.Asio and Beast stay behind the pimpl, out of this header.

#include <chathost/sdk/http.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace chathost::host {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; see HttpServer::port()
  std::int64_t maxBodyBytes = 1048576;
  int threads = 32;      // handlers running at once (network threads never run one)
  int maxQueued = 1024;  // complete requests waiting for a handler thread; more get 503
  int ioThreads = 1;     // threads that accept, read and write for every connection
  std::int64_t requestTimeoutMs = 10000;   // a request must be complete within this, or dropped
  std::int64_t keepAliveTimeoutMs = 5000;  // an idle connection is closed after this
  int maxConnections = 10000;              // open sockets; more are answered 503 and closed
};

/// Reads each request fully (bounded by maxBodyBytes) on non-blocking sockets: a connection
/// waiting for bytes costs a socket and a buffer, never a thread, so slow or silent clients
/// cannot stall others. A complete request goes to `handler` on a handler thread as an
/// sdk::Request (raw path without the query, decoded query, headers, raw body, remote address);
/// the response is written with Content-Length and keep-alive. The handler must be thread-safe;
/// exceptions it throws become a 500 envelope. `request.path` is the path as sent (percent-escapes
/// intact): route matching decodes it segment by segment. Malformed requests (RFC 9112 framing,
/// oversized headers, bodies over the limit) are answered with the JSON envelope and closed.
class HttpServer {
 public:
  using Handler = std::function<sdk::Response(sdk::Request&)>;
  /// Tried first, on the network thread, for every complete request: true when it took the
  /// request and answers through the given function (once, now or later, from any thread);
  /// false sends the request to `handler` on a handler thread. Must not block nor throw.
  using InlineHandler = std::function<bool(sdk::Request&, std::function<void(sdk::Response)>)>;

  /// `logger` must outlive the server.
  HttpServer(HttpServerOptions options, Handler handler, sdk::Logger& logger,
             InlineHandler inlineHandler = {});
  /// Stops (no grace) if still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving. kValidation for bad options; kUnavailable naming the address when
  /// it cannot listen. Call once.
  sdk::Status start();
  /// The bound port (after start()); 0 before.
  int port() const;
  /// Stops accepting, lets requests in flight finish for up to `grace`, then closes every
  /// connection. Returns when no connection is served any more. Idempotent.
  void stop(std::chrono::milliseconds grace);

  struct Impl;  // implementation detail, defined in the .cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
