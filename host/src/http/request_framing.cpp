#include "http/request_framing.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include "http/methods.h"
#include "http/url_decode.h"

namespace chathost::host {
namespace {

namespace http = boost::beast::http;

// "http://host:8080/p?q" (absolute form) -> "/p?q"; origin form is returned unchanged; anything
// else (authority or asterisk form) -> empty.
std::string_view originForm(std::string_view uri) {
  if (!uri.empty() && uri.front() == '/') return uri;
  const std::size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::size_t slash = uri.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view("/") : uri.substr(slash);
}

std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

// The last transfer coding of a Transfer-Encoding list ("gzip, chunked" -> "chunked").
std::string_view lastCoding(std::string_view value) {
  const std::size_t comma = value.rfind(',');
  std::string_view last = comma == std::string_view::npos ? value : value.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  return last;
}

}  // namespace

void applyLimits(RequestParser& parser, const FramingLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.maxHeaderBytes));
  parser.body_limit(static_cast<std::uint64_t>(limits.maxBodyBytes));
}

sdk::Status framingError(const boost::beast::error_code& ec, const FramingLimits& limits) {
  if (ec == http::error::body_limit)
    return {sdk::ErrorCode::kPayloadTooLarge,
            "Request body exceeds the limit of " + std::to_string(limits.maxBodyBytes) + " bytes"};
  if (ec == http::error::header_limit)
    return sdk::Status::validation("Request line and headers exceed the limit of " +
                                   std::to_string(limits.maxHeaderBytes) + " bytes");
  if (ec == http::error::bad_transfer_encoding)
    return sdk::Status::validation(
        "Malformed request: Transfer-Encoding conflicts with Content-Length or is repeated");
  if (ec == http::error::bad_content_length)
    return sdk::Status::validation(
        "Malformed request: invalid or conflicting Content-Length, or Content-Length with "
        "Transfer-Encoding");
  if (ec == http::error::bad_field || ec == http::error::bad_value)
    return sdk::Status::validation("Malformed request: invalid header field");
  if (ec == http::error::bad_method || ec == http::error::bad_target ||
      ec == http::error::bad_version)
    return sdk::Status::validation("Malformed request line");
  if (ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension)
    return sdk::Status::validation("Malformed chunked body");
  if (ec == http::error::partial_message || ec == http::error::need_more)
    return sdk::Status::validation("Request ended before it was complete");
  return sdk::Status::validation("Malformed request");
}

sdk::Status checkHeader(const RequestParser& parser) {
  const auto& message = parser.get();
  if (const auto te = message.find(http::field::transfer_encoding); te != message.end()) {
    // Beast ignores a Transfer-Encoding that does not end in chunked; a request like that has no
    // knowable length (RFC 9112 6.3), and a proxy in front may frame it differently.
    if (!sdk::equalsIgnoreCase(lastCoding(view(te->value())), "chunked"))
      return sdk::Status::validation("Malformed request: Transfer-Encoding must end with chunked");
  }
  if (!parseMethod(view(message.method_string())))
    return sdk::Status::notFound("Method " + std::string(view(message.method_string())) +
                                 " is not supported");
  if (originForm(view(message.target())).empty())
    return sdk::Status::validation("Malformed request target");
  return sdk::Status::ok();
}

sdk::Result<sdk::Request> toSdkRequest(RequestParser& parser, std::string remoteAddress) {
  auto& message = parser.get();
  sdk::Request request;
  const auto method = parseMethod(view(message.method_string()));
  if (!method)
    return sdk::Status::notFound("Method " + std::string(view(message.method_string())) +
                                 " is not supported");
  request.method = *method;
  const std::string_view target = originForm(view(message.target()));
  if (target.empty()) return sdk::Status::validation("Malformed request target");
  const std::size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    auto query = parseQueryString(target.substr(q + 1));
    if (!query) return sdk::Status::validation("Malformed percent-encoding in the query string");
    request.query = std::move(*query);
  }
  request.headers.reserve(16);
  for (const auto& field : message)
    request.headers.emplace_back(std::string(view(field.name_string())),
                                 std::string(view(field.value())));
  request.body = std::move(message.body());
  request.remoteAddress = std::move(remoteAddress);
  return request;
}

sdk::Result<FramedRequest> frameRequest(std::string_view bytes, const FramingLimits& limits) {
  RequestParser parser;
  applyLimits(parser, limits);
  parser.eager(false);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_header_done()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec) return framingError(ec, limits);
    if (n == 0) return framingError(http::error::partial_message, limits);
  }
  if (auto s = checkHeader(parser); !s) return s;
  FramedRequest framed;
  const auto expect = parser.get().find(http::field::expect);
  framed.expectsContinue =
      expect != parser.get().end() && sdk::equalsIgnoreCase(view(expect->value()), "100-continue");
  parser.eager(true);
  while (!parser.is_done()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more || (!ec && n == 0)) {
      // The buffer ends here: a body without a length ends with the data (never for requests).
      parser.put_eof(ec);
      if (ec) return framingError(ec, limits);
      break;
    }
    if (ec) return framingError(ec, limits);
  }
  framed.keepAlive = parser.get().keep_alive();
  framed.consumed = used;
  auto request = toSdkRequest(parser, "");
  if (!request) return request.status();
  framed.request = std::move(request).value();
  return framed;
}

}  // namespace chathost::host
