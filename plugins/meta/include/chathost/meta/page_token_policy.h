#pragma once
// When a stored Page token needs a check: the due-or-not decision of a Meta channel's
// refreshCredentials(), a pure function so the host's periodic calls cost nothing when nothing
// is due.

#include <chathost/meta/graph_settings.h>

#include <cstdint>
#include <string>

namespace chathost::meta {

enum class PageTokenAction {
  kNone,     // nothing is due: no network call
  kExpired,  // the token's known expiry has passed: the user must reconnect
  kCheck,    // check it with debug_token
};

/// True when a known expiry (`tokenExpiresAt` > 0, ms) has passed at `nowMs`.
bool tokenExpired(std::int64_t tokenExpiresAt, std::int64_t nowMs);

/// What a Page token needs at `nowMs` (all times in ms): kExpired when tokenExpired(); kCheck
/// when app_id and app_secret are both set and token_check_interval_seconds have passed since
/// `credentialsCheckedAt` (when it was connected or last checked); otherwise kNone.
PageTokenAction duePageTokenAction(const GraphSettings& settings, std::int64_t tokenExpiresAt,
                                   std::int64_t credentialsCheckedAt, std::int64_t nowMs);

/// "2025-03-01 14:05 UTC" for a time in ms since the epoch.
std::string utcDate(std::int64_t ms);

}  // namespace chathost::meta
