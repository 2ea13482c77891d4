#include "logging/host_logger.h"

#include "logging/log_line.h"

#include <chrono>

namespace chathost::host {

HostLogger::HostLogger(LogFormat format, sdk::LogLevel minLevel, std::FILE* out)
    : format_(format), minLevel_(minLevel), out_(out) {}

void HostLogger::log(sdk::LogLevel level, const std::string& message,
                     const sdk::LogFields& fields) {
  if (!enabled(level)) return;
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const std::string line = format_ == LogFormat::kJson
                               ? formatJsonLine(nowMs, level, message, fields)
                               : formatTextLine(nowMs, level, message, fields);
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

bool parseLogLevel(const std::string& text, sdk::LogLevel& out) {
  if (text == "debug")
    out = sdk::LogLevel::kDebug;
  else if (text == "info")
    out = sdk::LogLevel::kInfo;
  else if (text == "warning" || text == "warn")
    out = sdk::LogLevel::kWarning;
  else if (text == "error")
    out = sdk::LogLevel::kError;
  else
    return false;
  return true;
}

}  // namespace chathost::host
