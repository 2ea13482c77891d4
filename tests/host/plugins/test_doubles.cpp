#include "test_doubles.h"

#include <stdexcept>

namespace chathost::host::testing {

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
  return "?";
}

[[noreturn]] void absent(const char* what) {
  throw std::logic_error(std::string("TinyContext has no ") + what);
}
}  // namespace

void RecordingLogger::log(sdk::LogLevel level, const std::string& message,
                          const sdk::LogFields& fields) {
  std::string line = std::string(levelName(level)) + " " + message;
  for (const auto& [k, v] : fields) line += " " + k + "=" + v;
  std::lock_guard lock(mutex_);
  lines_.push_back(line);
}

std::vector<std::string> RecordingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

sdk::ConfigNodeKind MapConfigView::kind(const std::string& path) const {
  if (path.empty()) return sdk::ConfigNodeKind::kMap;
  if (values_.count(path)) return sdk::ConfigNodeKind::kScalar;
  return keys(path).empty() ? sdk::ConfigNodeKind::kMissing : sdk::ConfigNodeKind::kMap;
}

std::optional<std::string> MapConfigView::scalar(const std::string& path) const {
  auto it = values_.find(path);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> MapConfigView::keys(const std::string& path) const {
  std::vector<std::string> out;
  std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& [k, v] : values_) {
    if (k.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = k.substr(prefix.size());
    std::string key = rest.substr(0, rest.find('.'));
    if (out.empty() || out.back() != key) out.push_back(key);
  }
  return out;
}

sdk::Channels& TinyContext::channels() {
  absent("channels");
}
sdk::KeyValue& TinyContext::kv() {
  absent("kv");
}
sdk::HttpClient& TinyContext::http() {
  absent("http");
}
sdk::Metrics& TinyContext::metrics() {
  absent("metrics");
}

}  // namespace chathost::host::testing
