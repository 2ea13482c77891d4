#pragma once
// Pure conversions of config scalars, each with a message that says what was expected.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// Decimal integer with an optional sign, nothing else (no spaces, exponents or separators).
std::optional<std::int64_t> parseInteger(std::string_view text);

/// The text parseInteger() accepts, as a regular expression (its 64-bit range aside).
inline constexpr const char* kIntegerPattern = "^[+-]?[0-9]+$";

/// true|false|yes|no|on|off, also capitalised or upper-case.
std::optional<bool> parseBoolean(std::string_view text);

/// Every spelling parseBoolean() accepts, the true ones first.
const std::vector<std::string_view>& booleanWords();

struct ListenAddress {
  std::string host;
  int port = 0;
};

/// "HOST:PORT" or "[IPv6]:PORT", port 0..65535; on failure `error` says why.
std::optional<ListenAddress> parseListen(std::string_view text, std::string& error);

/// The candidate closest to `word` when it is plausibly a typo of it (edit distance at most
/// 2, or a third of the word for long ones); nullopt otherwise.
std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

/// Levenshtein distance (insertions, deletions, substitutions, adjacent transpositions).
std::size_t editDistance(std::string_view a, std::string_view b);

}  // namespace chathost::host
