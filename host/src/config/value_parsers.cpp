#include "config/value_parsers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>

namespace chathost::host {

std::optional<std::int64_t> parseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-') return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

namespace {
constexpr std::string_view kTrueWords[] = {"true", "True", "TRUE", "yes", "Yes",
                                           "YES",  "on",   "On",   "ON"};
constexpr std::string_view kFalseWords[] = {"false", "False", "FALSE", "no", "No",
                                            "NO",    "off",   "Off",   "OFF"};
}  // namespace

std::optional<bool> parseBoolean(std::string_view text) {
  for (std::string_view yes : kTrueWords)
    if (text == yes) return true;
  for (std::string_view no : kFalseWords)
    if (text == no) return false;
  return std::nullopt;
}

const std::vector<std::string_view>& booleanWords() {
  static const std::vector<std::string_view> words = [] {
    std::vector<std::string_view> all(std::begin(kTrueWords), std::end(kTrueWords));
    all.insert(all.end(), std::begin(kFalseWords), std::end(kFalseWords));
    return all;
  }();
  return words;
}

std::optional<ListenAddress> parseListen(std::string_view text, std::string& error) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "expected [IPV6]:PORT";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = "expected HOST:PORT (e.g. 127.0.0.1:8080)";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      error = "an IPv6 address needs brackets, e.g. [::1]:8080";
      return std::nullopt;
    }
  }
  if (host.empty()) {
    error = "the host is empty (use 0.0.0.0:PORT to listen on every interface)";
    return std::nullopt;
  }
  if (host.find_first_of(" \t") != std::string_view::npos) {
    error = "the host contains spaces";
    return std::nullopt;
  }
  bool digits = !port.empty() &&
                std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  std::optional<std::int64_t> number = digits ? parseInteger(port) : std::nullopt;
  if (!number || *number > 65535) {
    error = "the port must be a number from 0 to 65535 (0 = pick a free port)";
    return std::nullopt;
  }
  return ListenAddress{std::string(host), static_cast<int>(*number)};
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over a full table: words here are short.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t bestDistance = 0;
  std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  // Case differences count as typos too: "SQLite" suggests "sqlite".
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const auto& candidate : candidates) {
    std::size_t distance = editDistance(lower(word), lower(candidate));
    bool typo = distance <= limit && distance < std::max(word.size(), candidate.size());
    bool abbreviation = word.size() >= 3 && lower(candidate).starts_with(lower(word));
    bool plausible = typo || abbreviation;
    if (plausible && (!best || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

}  // namespace chathost::host
