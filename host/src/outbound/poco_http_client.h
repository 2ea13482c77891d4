#pragma once
// The host's outbound HTTP(S) client (sdk::HttpClient) over Poco::Net.

#include <chathost/sdk/http_client.h>

#include <cstddef>
#include <memory>
#include <string>

namespace chathost::host {

class EgressGuard;

struct HttpClientOptions {
  int maxIdlePerOrigin = 16;               // keep-alive connections kept per (scheme, host, port)
  int connectTimeoutMs = 3000;             // cap on connecting; the request's timeoutMs caps it too
  std::string userAgent = "chathost/0.1";  // sent unless the request sets its own
  std::size_t maxResponseBytes = 16 * 1024 * 1024;  // larger bodies fail with kUnavailable
  /// When set, each new connection goes to the address the guard picked for the URL's host
  /// (resolved once, every address checked); Host header, TLS SNI and certificate check keep
  /// the URL's host name. A refusal fails the request with the guard's kForbidden. Agent calls
  /// use one; the plugins' client (whose URLs the operator configures) does not.
  std::shared_ptr<const EgressGuard> egress = nullptr;
};

/// sdk::HttpClient over Poco HTTPClientSession / HTTPSClientSession. Thread-safe: each call
/// borrows its own connection. HTTPS verifies the server against the system CA store and the
/// host name. Requests reuse keep-alive connections per origin. HttpRequest::timeoutMs bounds the
/// whole exchange (connect, send, receive): past it the call returns kTimeout. Transport
/// failures return kUnavailable naming the method and scheme://host:port/path (never the query
/// or the headers). A GET that failed because the server had closed a reused keep-alive
/// connection is repeated once on a new connection; other methods never are. Redirects are never
/// followed: a 3xx comes back as the response.
class PocoHttpClient : public sdk::HttpClient {
 public:
  explicit PocoHttpClient(HttpClientOptions options = {});
  ~PocoHttpClient() override;
  PocoHttpClient(const PocoHttpClient&) = delete;
  PocoHttpClient& operator=(const PocoHttpClient&) = delete;

  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) override;

  /// Abandons every call in flight and refuses later ones: each returns kUnavailable ("abandoned:
  /// the host is shutting down") at once, however long its timeout. For shutdown, so workers
  /// blocked on an endpoint that never answers can be joined. Irreversible; thread-safe.
  void abortAll();

  /// Idle keep-alive connections held for `origin` ("http://host:port"); for tests and metrics.
  std::size_t idleConnections(const std::string& origin) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
