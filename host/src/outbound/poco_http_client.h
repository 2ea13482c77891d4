#pragma once
// The host's outbound HTTP(S) client (sdk::HttpClient) over Poco::Net.

#include <chathost/sdk/http_client.h>

#include <cstddef>
#include <memory>
#include <string>

namespace chathost::host {

struct HttpClientOptions {
  int maxIdlePerOrigin = 16;               // keep-alive connections kept per (scheme, host, port)
  int connectTimeoutMs = 3000;             // cap on connecting; the request's timeoutMs caps it too
  std::string userAgent = "chathost/0.1";  // sent unless the request sets its own
  std::size_t maxResponseBytes = 16 * 1024 * 1024;  // larger bodies fail with kUnavailable
};

/// sdk::HttpClient over Poco HTTPClientSession / HTTPSClientSession. Thread-safe: each call
/// borrows its own connection. HTTPS verifies the server against the system CA store and the
/// host name. Requests reuse keep-alive connections per origin. HttpRequest::timeoutMs bounds the
/// whole exchange (connect, send, receive): past it the call returns kTimeout. Transport
/// failures return kUnavailable naming the method and scheme://host:port/path (never the query
/// or the headers). A GET that failed because the server had closed a reused keep-alive
/// connection is repeated once on a new connection; other methods never are.
class PocoHttpClient : public sdk::HttpClient {
 public:
  explicit PocoHttpClient(HttpClientOptions options = {});
  ~PocoHttpClient() override;
  PocoHttpClient(const PocoHttpClient&) = delete;
  PocoHttpClient& operator=(const PocoHttpClient&) = delete;

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) override;

  /// Idle keep-alive connections held for `origin` ("http://host:port"); for tests and metrics.
  std::size_t idleConnections(const std::string& origin) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
