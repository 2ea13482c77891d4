#pragma once
// Percent-decoding of URL paths and query strings. Pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chathost::host {

/// Decodes %XX escapes (and '+' as a space when `plusIsSpace`, as in query strings). nullopt when
/// an escape is malformed ("%4", "%zz").
std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace);

/// Splits "a=1&b=x%20y&flag" into decoded pairs in order ({"flag", ""} for a bare key; empty
/// pieces skipped). nullopt when any escape is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> parseQueryString(
    std::string_view query);

}  // namespace chathost::host
