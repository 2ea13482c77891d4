#pragma once
// When a connection's credentials need work: the due-or-not decision of refreshCredentials(), a
// pure function so the host's periodic calls cost nothing when nothing is due.

#include "settings.h"

#include <cstdint>
#include <string>

namespace chathost::instagram {

enum class CredentialAction {
  kNone,     // nothing is due: no network call
  kExpired,  // the token's expiry has passed: the user must reconnect
  kRefresh,  // Instagram Login token: refresh it (refresh_access_token)
  kCheck,    // Page token: check it (debug_token)
};

/// What a connection's credentials need at `nowMs` (all times in ms):
/// - a known expiry (`tokenExpiresAt` > 0) that has passed: kExpired;
/// - Instagram flavour: kRefresh when it expires within token_refresh_before_seconds (or its
///   expiry is unknown) and the token is at least token_refresh_min_age_seconds old (its age is
///   counted from `credentialsCheckedAt`, when it was issued or last refreshed);
/// - Facebook flavour with app_id and app_secret set: kCheck when token_check_interval_seconds
///   have passed since `credentialsCheckedAt`;
/// - otherwise kNone.
CredentialAction dueCredentialAction(const Settings& settings, ApiFlavor flavor,
                                     std::int64_t tokenExpiresAt, std::int64_t credentialsCheckedAt,
                                     std::int64_t nowMs);

/// "2025-03-01 14:05 UTC" for a time in ms since the epoch.
std::string utcDate(std::int64_t ms);

}  // namespace chathost::instagram
