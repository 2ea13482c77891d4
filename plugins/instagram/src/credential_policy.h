#pragma once
// When an Instagram Login token needs work: the due-or-not decision of refreshCredentials(), a
// pure function so the host's periodic calls cost nothing when nothing is due. Page tokens
// (Facebook Login) follow the Meta library's policy (chathost/meta/page_token_policy.h).

#include "settings.h"

#include <cstdint>

namespace chathost::instagram {

enum class CredentialAction {
  kNone,     // nothing is due: no network call
  kExpired,  // the token's expiry has passed: the user must reconnect
  kRefresh,  // refresh it (refresh_access_token)
};

/// What an Instagram Login token needs at `nowMs` (all times in ms):
/// - a known expiry (`tokenExpiresAt` > 0) that has passed: kExpired;
/// - kRefresh when it expires within token_refresh_before_seconds (or its expiry is unknown)
///   and the token is at least token_refresh_min_age_seconds old (its age is counted from
///   `credentialsCheckedAt`, when it was issued or last refreshed);
/// - otherwise kNone.
CredentialAction dueCredentialAction(const Settings& settings, std::int64_t tokenExpiresAt,
                                     std::int64_t credentialsCheckedAt, std::int64_t nowMs);

}  // namespace chathost::instagram
