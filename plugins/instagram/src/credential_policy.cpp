#include "credential_policy.h"

#include <chathost/meta/page_token_policy.h>

namespace chathost::instagram {

namespace {
constexpr std::int64_t kMsPerSecond = 1000;
}  // namespace

CredentialAction dueCredentialAction(const Settings& settings, std::int64_t tokenExpiresAt,
                                     std::int64_t credentialsCheckedAt, std::int64_t nowMs) {
  if (meta::tokenExpired(tokenExpiresAt, nowMs)) return CredentialAction::kExpired;
  // Every Instagram Login token expires: one of unknown expiry (pasted into the connect form) is
  // refreshed once old enough, which also tells its new expiry.
  bool expiresSoon = tokenExpiresAt <= 0 ||
                     tokenExpiresAt - nowMs <= settings.tokenRefreshBeforeSeconds * kMsPerSecond;
  bool oldEnough =
      nowMs - credentialsCheckedAt >= settings.tokenRefreshMinAgeSeconds * kMsPerSecond;
  return expiresSoon && oldEnough ? CredentialAction::kRefresh : CredentialAction::kNone;
}

}  // namespace chathost::instagram
