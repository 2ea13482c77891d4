// serializeResponse() with handler-controlled headers and body (handlers echo client input into
// headers: webhook challenges, request ids, redirects). Input: status (2 bytes) then fields
// content type NUL name NUL value NUL name NUL value ... with the body last.
// Invariant (wire_check.h): the header block holds no CR or LF inside a line the serializer did
// not write, exactly one Content-Length (the body's size) and one Connection header.

#include "fuzz_support.h"
#include "http/response_wire.h"
#include "wire_check.h"

using namespace chathost::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  chathost::sdk::Response response;
  response.status = static_cast<int>(static_cast<std::int16_t>((data[0] << 8) | data[1]));
  const bool keepAlive = data[2] & 1;
  const bool http10 = data[2] & 2;
  const auto f = chathost::fuzz::splitFields(data + 3, size - 3, 18);
  response.contentType = f[0];
  for (std::size_t i = 1; i + 2 < f.size(); i += 2) {
    if (f[i].empty() && f[i + 1].empty()) continue;
    response.headers.emplace_back(f[i], f[i + 1]);
  }
  response.body = f.back();
  const std::string wire = serializeResponse(response, {keepAlive, http10});
  chathost::fuzz::checkWire(wire, response, keepAlive);
  FUZZ_CHECK(wire.size() >= response.body.size());
  return 0;
}
