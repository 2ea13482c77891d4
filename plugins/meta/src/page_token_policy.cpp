#include <chathost/meta/page_token_policy.h>

#include <ctime>

namespace chathost::meta {

namespace {
constexpr std::int64_t kMsPerSecond = 1000;
}  // namespace

bool tokenExpired(std::int64_t tokenExpiresAt, std::int64_t nowMs) {
  return tokenExpiresAt > 0 && nowMs >= tokenExpiresAt;
}

PageTokenAction duePageTokenAction(const GraphSettings& settings, std::int64_t tokenExpiresAt,
                                   std::int64_t credentialsCheckedAt, std::int64_t nowMs) {
  if (tokenExpired(tokenExpiresAt, nowMs)) return PageTokenAction::kExpired;
  // debug_token is asked with the app's own credentials: without them there is nothing to ask.
  if (settings.hasAppCredentials() &&
      nowMs - credentialsCheckedAt >= settings.tokenCheckIntervalSeconds * kMsPerSecond)
    return PageTokenAction::kCheck;
  return PageTokenAction::kNone;
}

std::string utcDate(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / kMsPerSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace chathost::meta
