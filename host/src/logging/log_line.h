#pragma once
// Pure formatting of one log line (kept apart from the I/O so it is unit-tested).

#include <chathost/sdk/logger.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace chathost::host {

/// True for field names that may carry a secret (token, secret, password, authorization, key,
/// signature...): their values are replaced by "[redacted]" whatever the caller passed.
bool isSecretFieldName(std::string_view name);

/// `2026-11-25T19:21:39.123Z INFO  message key=value key2="quoted value"`
std::string formatTextLine(std::int64_t epochMs, sdk::LogLevel level, const std::string& message,
                           const sdk::LogFields& fields);
/// `{"ts":"...","level":"info","msg":"...","key":"value"}`
std::string formatJsonLine(std::int64_t epochMs, sdk::LogLevel level, const std::string& message,
                           const sdk::LogFields& fields);

/// ISO-8601 UTC with milliseconds.
std::string isoTimestamp(std::int64_t epochMs);

}  // namespace chathost::host
