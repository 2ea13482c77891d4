#include "auth/bearer.h"

#include <algorithm>
#include <cctype>

namespace chathost::host {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

sdk::Status unauthorized(const char* message) {
  return {sdk::ErrorCode::kUnauthorized, message};
}

}  // namespace

sdk::Result<std::string_view> extractBearerToken(std::string_view authorizationHeader) {
  const std::string_view header = trimBlanks(authorizationHeader);
  if (header.empty()) return unauthorized("missing bearer token");
  const std::size_t blank = std::min(header.find(' '), header.find('\t'));
  const std::string_view scheme = header.substr(0, blank);
  if (!equalsIgnoreCase(scheme, "bearer")) {
    return unauthorized("authorization scheme must be Bearer");
  }
  if (blank == std::string_view::npos) return unauthorized("missing bearer token");
  const std::string_view token = trimBlanks(header.substr(blank));
  if (token.empty()) return unauthorized("missing bearer token");
  const bool printable = std::all_of(token.begin(), token.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (!printable) return unauthorized("malformed token");
  return token;
}

}  // namespace chathost::host
