#pragma once
// The one question event processing asks the key/value store: "is this the first time?"

#include <chathost/sdk/kv.h>
#include <chathost/sdk/metrics.h>

#include <cstdint>
#include <string>

namespace chathost::host {

/// True when `key` was not seen within `ttlMs` (and marks it seen). When the store is unavailable
/// the answer is unknown: it returns true (process the event; storage's unique constraint is the
/// final guard) and increments `unavailable` when given. Other errors (an empty key, a negative
/// ttl, a bug) are returned. Thread-safe as far as `kv` is.
sdk::Result<bool> firstSeen(sdk::KeyValue& kv, const std::string& key, std::int64_t ttlMs,
                            sdk::Counter* unavailable = nullptr);

}  // namespace chathost::host
