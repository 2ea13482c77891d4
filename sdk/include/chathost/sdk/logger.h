#pragma once
// Structured logging into the host's log.

#include <string>
#include <utility>
#include <vector>

namespace chathost::sdk {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

/// Key/value fields attached to a log line. Values are logged verbatim: never put a secret here.
using LogFields = std::vector<std::pair<std::string, std::string>>;

/// The host's logger. Owned by the host; valid until the plugin's stop() returns. Thread-safe:
/// any thread may call it.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, const std::string& message, const LogFields& fields = {}) = 0;
  virtual bool enabled(LogLevel level) const = 0;

  void debug(const std::string& m, const LogFields& f = {}) { log(LogLevel::kDebug, m, f); }
  void info(const std::string& m, const LogFields& f = {}) { log(LogLevel::kInfo, m, f); }
  void warning(const std::string& m, const LogFields& f = {}) { log(LogLevel::kWarning, m, f); }
  void error(const std::string& m, const LogFields& f = {}) { log(LogLevel::kError, m, f); }
};

}  // namespace chathost::sdk
