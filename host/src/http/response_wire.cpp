#include "http/response_wire.h"

#include <array>
#include <string_view>

namespace chathost::host {
namespace {

// Headers the server sets itself; a handler's copies would contradict the framing.
bool isFramingHeader(std::string_view name) {
  return sdk::equalsIgnoreCase(name, "Content-Length") ||
         sdk::equalsIgnoreCase(name, "Transfer-Encoding") ||
         sdk::equalsIgnoreCase(name, "Connection") || sdk::equalsIgnoreCase(name, "Content-Type");
}

// A name must be a token and a value must not end the header block: a handler that echoes
// client input into a header cannot split the response.
bool isSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (const unsigned char c : name)
    if (c <= 32 || c >= 127 || c == ':') return false;
  for (const unsigned char c : value)
    if (c == '\r' || c == '\n' || c == 0) return false;
  return true;
}

// RFC 9110 reason phrases for the statuses the host answers; others get a generic one.
std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      break;
  }
  if (status >= 200 && status < 300) return "Success";
  if (status >= 400 && status < 500) return "Client Error";
  return "Server Error";
}

struct DefaultHeader {
  std::string_view name;
  std::string_view value;
};

constexpr std::array<DefaultHeader, 4> kSecurityDefaults{{
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    // API answers are data, never documents: nothing may load or frame them. The dashboard's
    // pages set their own policy.
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
}};

bool hasHeader(const sdk::Response& response, std::string_view name) {
  for (const auto& [k, v] : response.headers)
    if (sdk::equalsIgnoreCase(k, name)) return true;
  return false;
}

}  // namespace

std::string serializeResponse(const sdk::Response& response, const WireOptions& options) {
  std::string out;
  out.reserve(256 + response.body.size());
  // A status outside 100-599 would make an invalid status line.
  const int status = response.status >= 100 && response.status <= 599 ? response.status : 500;
  const std::string_view reason = reasonPhrase(status);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  if (!response.contentType.empty() && isSafeHeader("Content-Type", response.contentType)) {
    out += "Content-Type: ";
    out += response.contentType;
    out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    if (isFramingHeader(name) || !isSafeHeader(name, value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  for (const auto& d : kSecurityDefaults) {
    if (hasHeader(response, d.name)) continue;
    out.append(d.name.data(), d.name.size());
    out += ": ";
    out.append(d.value.data(), d.value.size());
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(response.body.size());
  out += "\r\n";
  // Said either way: some clients (and HTTP/1.0 ones always) assume close when it is absent.
  out += options.keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

const std::string& continueLine() {
  static const std::string line = "HTTP/1.1 100 Continue\r\n\r\n";
  return line;
}

}  // namespace chathost::host
