#pragma once
// The invariant of serialized responses, shared by the framing and response targets: the header
// block holds only lines the serializer wrote on purpose (a status line, then "Name: value" lines
// with a token name and a value free of CR, LF and NUL), exactly one Content-Length equal to the
// body's size, one Connection, and the body follows the blank line unchanged.

#include "fuzz_support.h"

#include <chathost/sdk/http.h>

#include <string>
#include <string_view>

namespace chathost::fuzz {

inline bool isTokenChar(unsigned char c) {
  return c > 32 && c < 127 && c != ':';
}

inline void checkWire(const std::string& wire, const sdk::Response& response, bool keepAlive) {
  const auto end = wire.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string::npos);
  const std::string_view head(wire.data(), end + 2);  // every line with its CRLF
  FUZZ_CHECK(std::string_view(wire).substr(end + 4) == response.body);
  FUZZ_CHECK(head.substr(0, 9) == "HTTP/1.1 ");

  int contentLength = 0;
  int connection = 0;
  int contentType = 0;
  std::size_t pos = 0;
  bool first = true;
  while (pos < head.size()) {
    const auto eol = head.find("\r\n", pos);
    FUZZ_CHECK(eol != std::string_view::npos);
    const std::string_view line = head.substr(pos, eol - pos);
    pos = eol + 2;
    for (unsigned char c : line) FUZZ_CHECK(c != '\r' && c != '\n' && c != 0);
    if (first) {
      first = false;
      FUZZ_CHECK(line.size() > 13);
      const int status = std::stoi(std::string(line.substr(9, 3)));
      FUZZ_CHECK(status >= 100 && status <= 599);
      if (response.status >= 100 && response.status <= 599) FUZZ_CHECK(status == response.status);
      continue;
    }
    const auto colon = line.find(": ");
    FUZZ_CHECK(colon != std::string_view::npos && colon > 0);
    const std::string_view name = line.substr(0, colon);
    for (unsigned char c : name) FUZZ_CHECK(isTokenChar(c));
    const std::string_view value = line.substr(colon + 2);
    if (sdk::equalsIgnoreCase(name, "Content-Length")) {
      ++contentLength;
      FUZZ_CHECK(value == std::to_string(response.body.size()));
    } else if (sdk::equalsIgnoreCase(name, "Connection")) {
      ++connection;
      FUZZ_CHECK(value == (keepAlive ? "keep-alive" : "close"));
    } else if (sdk::equalsIgnoreCase(name, "Content-Type")) {
      ++contentType;
      FUZZ_CHECK(value == response.contentType);
    } else {
      FUZZ_CHECK(!sdk::equalsIgnoreCase(name, "Transfer-Encoding"));
    }
  }
  FUZZ_CHECK(contentLength == 1);
  FUZZ_CHECK(connection == 1);
  FUZZ_CHECK(contentType <= 1);
}

}  // namespace chathost::fuzz
