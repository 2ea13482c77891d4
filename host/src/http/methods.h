#pragma once
// HTTP method names <-> sdk::Method. Pure.

#include <chathost/sdk/http.h>

#include <optional>
#include <string_view>

namespace chathost::host {

constexpr int kMethodCount = 5;

/// "GET", "POST", "PUT", "PATCH", "DELETE".
inline const char* methodName(sdk::Method m) {
  switch (m) {
    case sdk::Method::kGet:
      return "GET";
    case sdk::Method::kPost:
      return "POST";
    case sdk::Method::kPut:
      return "PUT";
    case sdk::Method::kPatch:
      return "PATCH";
    case sdk::Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

/// Exact, case-sensitive (RFC 9110 method names are case-sensitive); nullopt for other methods.
inline std::optional<sdk::Method> parseMethod(std::string_view name) {
  for (int i = 0; i < kMethodCount; ++i) {
    const auto m = static_cast<sdk::Method>(i);
    if (name == methodName(m)) return m;
  }
  return std::nullopt;
}

}  // namespace chathost::host
