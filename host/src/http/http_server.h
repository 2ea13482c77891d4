#pragma once
// The host's HTTP/1.1 server. Poco stays behind the pimpl, out of this header.

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
  int threads = 64;      // requests served at once (one thread per live connection)
  int maxQueued = 1024;  // accepted connections waiting for a thread
};

/// Reads each request fully (bounded by maxBodyBytes), hands it to `handler` as an sdk::Request
/// (raw path without the query, decoded query, headers, raw body, remote address) and writes the
/// response with Content-Length and keep-alive. The handler runs on server threads concurrently
/// and must be thread-safe; exceptions it throws become a 500 envelope. `request.path` is the
/// path as sent (percent-escapes intact): route matching decodes it segment by segment.
class HttpServer {
 public:
  using Handler = std::function<sdk::Response(sdk::Request&)>;

  /// `logger` must outlive the server.
  HttpServer(HttpServerOptions options, Handler handler, sdk::Logger& logger);
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
