#pragma once
// An sdk::Response as HTTP/1.1 bytes: status line, the handler's headers (framing headers and
// anything that could split the header block are dropped), the server's security defaults where
// the handler set none, Content-Length and Connection. Pure.

#include <chathost/sdk/http.h>

#include <string>

namespace chathost::host {

struct WireOptions {
  bool keepAlive = true;
  bool http10 = false;  // an HTTP/1.0 client keeps the connection only when told so
};

/// The headers every response gets unless the handler set its own: no MIME sniffing, no framing
/// by other sites, no referrer, and for non-HTML answers a CSP that allows nothing.
std::string serializeResponse(const sdk::Response& response, const WireOptions& options);

/// "HTTP/1.1 100 Continue\r\n\r\n".
const std::string& continueLine();

}  // namespace chathost::host
