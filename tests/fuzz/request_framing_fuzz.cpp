// HTTP/1.1 requests as they arrive on a connection: frameRequest() (Beast's parser with the
// server's limits plus the RFC 9112 checks), then a response echoing the request's headers.
// Invariants: framing never reports consuming more bytes than given, nor a body over the limit;
// refusals are kValidation, kPayloadTooLarge or kNotFound; the consumed prefix alone frames to the
// same request, and so does it followed by any other bytes (a pipelined next request); header
// names and values the handlers see hold no CR, LF or NUL; echoing any of them into a response
// cannot add a header line the serializer did not write.

#include "fuzz_support.h"
#include "http/request_framing.h"
#include "http/response_wire.h"
#include "wire_check.h"

using namespace chathost::host;
using chathost::sdk::ErrorCode;

namespace {

bool sameRequest(const FramedRequest& a, const FramedRequest& b) {
  return a.request.method == b.request.method && a.request.path == b.request.path &&
         a.request.query == b.request.query && a.request.headers == b.request.headers &&
         a.request.body == b.request.body && a.keepAlive == b.keepAlive &&
         a.expectsContinue == b.expectsContinue && a.consumed == b.consumed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = chathost::fuzz::asView(data, size);
  FramingLimits limits;
  limits.maxHeaderBytes = 2048;
  limits.maxBodyBytes = 512;
  const auto framed = frameRequest(bytes, limits);
  if (!framed) {
    const auto code = framed.status().code();
    FUZZ_CHECK(code == ErrorCode::kValidation || code == ErrorCode::kPayloadTooLarge ||
               code == ErrorCode::kNotFound);
    return 0;
  }
  FUZZ_CHECK(framed->consumed <= size);
  FUZZ_CHECK(framed->consumed > 0);
  FUZZ_CHECK(framed->request.body.size() <= static_cast<std::size_t>(limits.maxBodyBytes));
  FUZZ_CHECK(framed->request.body.size() < framed->consumed);

  const std::string prefix(bytes.substr(0, framed->consumed));
  const auto alone = frameRequest(prefix, limits);
  FUZZ_CHECK(alone.isOk());
  FUZZ_CHECK(sameRequest(*framed, *alone));
  const auto pipelined = frameRequest(prefix + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n", limits);
  FUZZ_CHECK(pipelined.isOk());
  FUZZ_CHECK(sameRequest(*framed, *pipelined));

  chathost::sdk::Response echo;
  echo.status = 200;
  echo.body = framed->request.body;
  for (const auto& [name, value] : framed->request.headers) {
    for (unsigned char c : name) FUZZ_CHECK(c != '\r' && c != '\n' && c != 0);
    for (unsigned char c : value) FUZZ_CHECK(c != '\r' && c != '\n' && c != 0);
    echo.headers.emplace_back(name, value);
    echo.headers.emplace_back("X-Echo", value);
  }
  for (const auto& [k, v] : framed->request.query) echo.headers.emplace_back(k, v);
  echo.headers.emplace_back("X-Path", framed->request.path);
  if (auto ct = framed->request.header("content-type")) echo.contentType = std::string(*ct);
  chathost::fuzz::checkWire(serializeResponse(echo, {framed->keepAlive, false}), echo,
                            framed->keepAlive);
  return 0;
}
