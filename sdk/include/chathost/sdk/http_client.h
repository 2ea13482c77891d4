#pragma once
// Outbound HTTP(S) through the host's client: timeouts, keep-alive pools, TLS.

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <string>
#include <utility>
#include <vector>

namespace chathost::sdk {

/// An outbound request. Value type.
struct HttpRequest {
  Method method = Method::kGet;
  std::string url;  // absolute http:// or https:// URL, query included
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string contentType;  // empty = no Content-Type header
  int timeoutMs = 10000;    // whole exchange
};

/// A response that arrived, whatever its status code. Value type.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// The host's HTTP client. Owned by the host; valid until stop() returns. Thread-safe; each call
/// blocks the calling thread. Transport failures come back as kUnavailable, time-outs as
/// kTimeout; an HTTP error status is a successful HttpResponse.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace chathost::sdk
