#pragma once
// A logger for tests: keeps every line so tests can assert what was (and was not) logged.

#include <chathost/sdk/logger.h>

#include <mutex>
#include <string>
#include <vector>

namespace chathost::host::testing {

struct LoggedLine {
  sdk::LogLevel level;
  std::string message;
  sdk::LogFields fields;

  std::string field(const std::string& name) const {
    for (const auto& [k, v] : fields)
      if (k == name) return v;
    return {};
  }
  std::string all() const {
    std::string out = message;
    for (const auto& [k, v] : fields) out += " " + k + "=" + v;
    return out;
  }
};

class CapturingLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel level, const std::string& message, const sdk::LogFields& fields) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, message, fields});
  }
  bool enabled(sdk::LogLevel) const override { return true; }
  void clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
  }
  std::vector<LoggedLine> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<LoggedLine> lines_;
};

}  // namespace chathost::host::testing
