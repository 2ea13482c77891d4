#pragma once
// The host's log: one line per event on stderr, as text or JSON lines, secrets redacted.

#include <chathost/sdk/logger.h>

#include <cstdio>
#include <mutex>
#include <string>

namespace chathost::host {

enum class LogFormat { kText, kJson };

/// Thread-safe; each line is written with one fwrite under a lock so lines never interleave.
class HostLogger : public sdk::Logger {
 public:
  HostLogger(LogFormat format, sdk::LogLevel minLevel, std::FILE* out = stderr);

  void log(sdk::LogLevel level, const std::string& message,
           const sdk::LogFields& fields = {}) override;
  bool enabled(sdk::LogLevel level) const override { return level >= minLevel_; }

 private:
  LogFormat format_;
  sdk::LogLevel minLevel_;
  std::FILE* out_;
  std::mutex mutex_;
};

/// Parses "debug" | "info" | "warning" | "error"; nullopt otherwise.
bool parseLogLevel(const std::string& text, sdk::LogLevel& out);

}  // namespace chathost::host
