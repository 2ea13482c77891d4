#pragma once
// Request and response value types for plugin routes. No server types cross the boundary.

#include <chathost/sdk/json.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chathost::sdk {

enum class Method { kGet, kPost, kPut, kPatch, kDelete };

/// Case-insensitive ASCII comparison for header names. Pure; any thread.
inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

/// An incoming HTTP request, fully read. `body` holds the raw bytes exactly as received (webhook
/// signatures are computed over them). Owned by the host for the duration of the handler call;
/// handlers may read it from the calling thread only and must copy what they keep.
struct Request {
  Method method = Method::kGet;
  std::string path;                                          // without the query string
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::map<std::string, std::string> pathParams;             // ":name" segments of the route
  std::string body;                                          // raw bytes
  std::string remoteAddress;

  /// First header with that name (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (equalsIgnoreCase(k, name)) return std::string_view(v);
    return std::nullopt;
  }
  /// First query parameter with that exact name, if any.
  std::optional<std::string_view> queryParam(std::string_view name) const {
    for (const auto& [k, v] : query)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  }
  /// A path parameter; empty when the route has none of that name.
  std::string param(const std::string& name) const {
    auto it = pathParams.find(name);
    return it == pathParams.end() ? std::string() : it->second;
  }
};

/// A response. Value type, moved to the host when the handler returns.
struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// The success envelope `{"success":true,"data":<dataJson>[,"message":...]}`. `dataJson` must
  /// be a valid JSON value.
  static Response okJson(const std::string& dataJson, int status = 200,
                         const std::string& message = {}) {
    Response r;
    r.status = status;
    r.body = "{\"success\":true,";
    if (!message.empty()) r.body += "\"message\":" + jsonQuote(message) + ",";
    r.body += "\"data\":" + dataJson + "}";
    return r;
  }
  /// A plain-text response (webhook challenge and acknowledgement).
  static Response text(int status, std::string body) {
    Response r;
    r.status = status;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
  }
};

}  // namespace chathost::sdk
