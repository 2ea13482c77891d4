#include "logging/log_line.h"

#include <chathost/sdk/json.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace chathost::host {
namespace {

const char* levelName(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::kDebug:
      return "debug";
    case sdk::LogLevel::kInfo:
      return "info";
    case sdk::LogLevel::kWarning:
      return "warning";
    case sdk::LogLevel::kError:
      return "error";
  }
  return "info";
}

const char* levelTag(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::kDebug:
      return "DEBUG";
    case sdk::LogLevel::kInfo:
      return "INFO ";
    case sdk::LogLevel::kWarning:
      return "WARN ";
    case sdk::LogLevel::kError:
      return "ERROR";
  }
  return "INFO ";
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool needsQuoting(const std::string& v) {
  if (v.empty()) return true;
  return std::any_of(v.begin(), v.end(), [](unsigned char c) {
    return c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f;
  });
}

const std::string& visibleValue(const std::string& key, const std::string& value) {
  static const std::string kRedacted = "[redacted]";
  return isSecretFieldName(key) ? kRedacted : value;
}

}  // namespace

bool isSecretFieldName(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kMarkers = {
      "token",  "secret",  "password",  "passwd", "authorization",
      "apikey", "api_key", "signature", "cookie"};
  const std::string n = lower(name);
  if (n == "key" || n.ends_with("_key")) return true;
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return n.find(m) != std::string::npos; });
}

std::string isoTimestamp(std::int64_t epochMs) {
  std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(epochMs % 1000));
  return buf;
}

std::string formatTextLine(std::int64_t epochMs, sdk::LogLevel level, const std::string& message,
                           const sdk::LogFields& fields) {
  std::string line = isoTimestamp(epochMs);
  line += ' ';
  line += levelTag(level);
  line += ' ';
  line += message;
  for (const auto& [key, raw] : fields) {
    const std::string& value = visibleValue(key, raw);
    line += ' ';
    line += key;
    line += '=';
    line += needsQuoting(value) ? sdk::jsonQuote(value) : value;
  }
  line += '\n';
  return line;
}

std::string formatJsonLine(std::int64_t epochMs, sdk::LogLevel level, const std::string& message,
                           const sdk::LogFields& fields) {
  std::string line = "{\"ts\":" + sdk::jsonQuote(isoTimestamp(epochMs)) + ",\"level\":\"" +
                     levelName(level) + "\",\"msg\":" + sdk::jsonQuote(message);
  for (const auto& [key, raw] : fields) {
    if (key == "ts" || key == "level" || key == "msg") continue;
    line += ',' + sdk::jsonQuote(key) + ':' + sdk::jsonQuote(visibleValue(key, raw));
  }
  line += "}\n";
  return line;
}

}  // namespace chathost::host
