#include "credential_policy.h"

#include <ctime>

namespace chathost::instagram {

namespace {
constexpr std::int64_t kMsPerSecond = 1000;
}  // namespace

CredentialAction dueCredentialAction(const Settings& settings, ApiFlavor flavor,
                                     std::int64_t tokenExpiresAt, std::int64_t credentialsCheckedAt,
                                     std::int64_t nowMs) {
  if (tokenExpiresAt > 0 && nowMs >= tokenExpiresAt) return CredentialAction::kExpired;
  const std::int64_t sinceChecked = nowMs - credentialsCheckedAt;
  if (flavor == ApiFlavor::kInstagram) {
    // Every Instagram-Login token expires: one of unknown expiry (pasted into the connect form)
    // is refreshed once old enough, which also tells its new expiry.
    bool expiresSoon = tokenExpiresAt <= 0 ||
                       tokenExpiresAt - nowMs <= settings.tokenRefreshBeforeSeconds * kMsPerSecond;
    bool oldEnough = sinceChecked >= settings.tokenRefreshMinAgeSeconds * kMsPerSecond;
    return expiresSoon && oldEnough ? CredentialAction::kRefresh : CredentialAction::kNone;
  }
  if (settings.hasAppCredentials() &&
      sinceChecked >= settings.tokenCheckIntervalSeconds * kMsPerSecond)
    return CredentialAction::kCheck;
  return CredentialAction::kNone;
}

std::string utcDate(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / kMsPerSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace chathost::instagram
