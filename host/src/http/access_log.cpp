#include "http/access_log.h"

#include "http/methods.h"

#include <cstdio>

namespace chathost::host {

std::string formatDurationMs(std::chrono::nanoseconds elapsed) {
  const long long us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", us / 1000, us % 1000);
  return buffer;
}

sdk::LogFields accessLogFields(const AccessRecord& record) {
  std::string path(record.path.substr(0, kAccessLogMaxPath));
  if (record.path.size() > kAccessLogMaxPath) path += "...";
  return {
      {"method", methodName(record.method)},
      {"route", std::string(record.route.empty() ? "-" : record.route)},
      {"path", std::move(path)},
      {"status", std::to_string(record.status)},
      {"durationMs", formatDurationMs(record.elapsed)},
      {"bytes", std::to_string(record.bytes)},
      {"operationId", std::string(record.operationId.empty() ? "-" : record.operationId)},
      {"operation", std::string(record.operation.empty() ? "-" : record.operation)},
      {"remote", std::string(record.remoteAddress.empty() ? "-" : record.remoteAddress)},
  };
}

void AccessLog::record(const AccessRecord& record) const noexcept {
  if (!wanted()) return;
  try {
    logger_.log(sdk::LogLevel::kInfo, "request", accessLogFields(record));
  } catch (...) {
    // A log line must never turn an answer into a crash.
  }
}

}  // namespace chathost::host
