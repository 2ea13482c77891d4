#pragma once
// Pure pieces of the outbound client: where a URL goes, what may be sent, when to retry.

#include "http/methods.h"

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <string>
#include <utility>
#include <vector>

namespace chathost::host {

/// Where an absolute http(s) URL points. Value type.
struct HttpTarget {
  std::string scheme;  // "http" | "https"
  std::string host;
  int port = 0;
  std::string pathAndQuery;  // never empty: at least "/"
  std::string path;          // without the query

  /// Key of the connection pool: scheme, host and port.
  std::string origin() const;
  /// For error messages: scheme://host:port/path, without query (it may carry tokens).
  std::string describe() const;
};

/// Parses an absolute http:// or https:// URL; a validation error for anything else.
sdk::Result<HttpTarget> parseHttpTarget(const std::string& url);

/// Ok when every header name is a token and no value holds CR, LF or NUL (header injection).
sdk::Status checkRequestHeaders(const std::vector<std::pair<std::string, std::string>>& headers);

/// Headers the client computes itself; a caller's copy is ignored.
bool isManagedHeader(const std::string& name);

/// May a failed attempt be repeated on a fresh connection? Only when it failed on a reused
/// keep-alive connection that the server had closed before any byte of the response arrived,
/// and only for GET: any other request may have been delivered and acted upon.
bool mayRetryOnFreshConnection(sdk::Method method, bool reusedConnection, bool serverClosedEarly);

}  // namespace chathost::host
