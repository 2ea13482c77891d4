#pragma once
// Reading one HTTP/1.1 request off the wire: Boost.Beast's parser with the server's limits, plus
// the RFC 9112 checks it leaves to its user, and the conversion to sdk::Request. Included only by
// the server, its tests and the fuzz target: Beast stays out of widely included headers.

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chathost::host {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

struct FramingLimits {
  std::size_t maxHeaderBytes = 32 * 1024;  // request line and every header field together
  std::int64_t maxBodyBytes = 1048576;
};

/// Sets the parser's header and body limits (call on a fresh parser).
void applyLimits(RequestParser& parser, const FramingLimits& limits);

/// What the client is told for a parse error: body over the limit -> kPayloadTooLarge, anything
/// else -> kValidation naming the problem. Never echoes the request's bytes.
sdk::Status framingError(const boost::beast::error_code& ec, const FramingLimits& limits);

/// Checks on a complete header that the parser accepts but the server refuses: a
/// Transfer-Encoding whose final coding is not chunked (RFC 9112 6.3: length unknown), an
/// unsupported method (kNotFound), a target that is neither origin nor absolute form.
sdk::Status checkHeader(const RequestParser& parser);

/// The parsed message as the handlers see it: method, raw path, decoded query, headers, body.
/// kValidation for malformed percent-encoding in the query.
sdk::Result<sdk::Request> toSdkRequest(RequestParser& parser, std::string remoteAddress);

/// One request parsed from a complete buffer, the way the server reads it from a connection:
/// for tests and fuzzing. `consumed` is how many bytes of `bytes` belonged to the request.
struct FramedRequest {
  sdk::Request request;
  bool keepAlive = false;
  bool expectsContinue = false;
  std::size_t consumed = 0;
};
sdk::Result<FramedRequest> frameRequest(std::string_view bytes, const FramingLimits& limits);

}  // namespace chathost::host
