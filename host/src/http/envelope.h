#pragma once
// The contract's error envelope (SPEC section 5) and operation ids. Pure apart from the PRNG.

#include <chathost/sdk/http.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>

namespace chathost::host {

/// HTTP status for a code, per the SPEC table (kTimeout -> 502, kUnavailable -> 503,
/// kConflict -> 409, kOk -> 200, unknown -> 500).
int httpStatusFor(sdk::ErrorCode code);

/// `{"success":false,"message":..,"code":..,"meta":{"operationId","operation","duration":"<N>ms",
/// ...members of status.metaJson()}}` with the status from httpStatusFor. For kInternal and
/// kUnavailable the message is generic (the detail may hold a driver's error text, addresses,
/// anything): the caller logs status.message() itself. metaJson that is not a JSON object is
/// left out; its members never replace the three above.
sdk::Response renderError(const sdk::Status& status, const std::string& operation,
                          const std::string& operationId, std::int64_t durationMs);

/// renderError keeping the message of every code but kInternal: for statuses whose message the
/// caller wrote itself and knows to be safe to show (the server's own refusals, /readyz).
sdk::Response renderErrorAsIs(const sdk::Status& status, const std::string& operation,
                              const std::string& operationId, std::int64_t durationMs);

/// A random UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case hex). Thread-safe: one
/// PRNG per thread, seeded once from std::random_device.
std::string newOperationId();

}  // namespace chathost::host
