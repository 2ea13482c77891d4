#pragma once
// The access log: one line per answered request, through the host's logger (text or JSON lines,
// as logging.format says). Failures keep their "request failed" line, which carries the same
// fields plus the error, so every request gets exactly one line.

#include <chathost/sdk/http.h>
#include <chathost/sdk/logger.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace chathost::host {

/// What one answered request was. Views stay valid for the duration of the call only.
struct AccessRecord {
  sdk::Method method = sdk::Method::kGet;
  std::string_view route;  // the route pattern that matched, e.g. /api/database/:subaccountId/...
  std::string_view path;   // as requested, without the query string
  int status = 0;
  std::chrono::nanoseconds elapsed{0};
  std::string_view operationId;  // "-" when the request had none (a dashboard file)
  std::string_view operation;
  std::size_t bytes = 0;  // response body
  std::string_view remoteAddress;
};

/// Longest request path written to a line; the rest is cut with "...", so a hostile client
/// cannot make one line arbitrarily long.
constexpr std::size_t kAccessLogMaxPath = 256;

/// The line's fields, in a stable order: method, route, path, status, durationMs (microsecond
/// precision), bytes, operationId, operation, remote. Pure.
sdk::LogFields accessLogFields(const AccessRecord& record);

/// "0.183" for 183 µs. Pure.
std::string formatDurationMs(std::chrono::nanoseconds elapsed);

/// Writes success lines at info level when enabled. Thread-safe; never throws.
class AccessLog {
 public:
  AccessLog(sdk::Logger& logger, bool enabled) : logger_(logger), enabled_(enabled) {}

  /// True when a success line would be written (enabled and info is logged): callers skip
  /// building the record otherwise.
  bool wanted() const { return enabled_ && logger_.enabled(sdk::LogLevel::kInfo); }

  void record(const AccessRecord& record) const noexcept;

 private:
  sdk::Logger& logger_;
  bool enabled_;
};

}  // namespace chathost::host
