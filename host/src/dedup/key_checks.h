#pragma once
// Argument checks shared by every KeyValue backend, so they reject the same input.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>

namespace chathost::host {

/// Keys longer than this are refused (dedup keys are short ids).
inline constexpr std::size_t kMaxKeyBytes = 1024;

/// Ok for a non-empty key of at most kMaxKeyBytes; a validation error otherwise.
sdk::Status checkKey(const std::string& key);

/// checkKey plus ttlMs >= 0 (0 = no expiry).
sdk::Status checkKeyAndTtl(const std::string& key, std::int64_t ttlMs);

}  // namespace chathost::host
