#include <chathost/meta/page_token_check.h>
#include <chathost/meta/page_token_policy.h>
#include <chathost/meta/webhook_auth.h>

namespace chathost::meta {

namespace {
using Outcome = sdk::CredentialCheck::Outcome;
constexpr std::int64_t kMsPerSecond = 1000;

sdk::CredentialCheck outcome(Outcome o, std::string reason = {}) {
  sdk::CredentialCheck c;
  c.outcome = o;
  c.reason = std::move(reason);
  return c;
}
}  // namespace

sdk::CredentialCheck expiredTokenCheck(std::int64_t tokenExpiresAt) {
  return outcome(Outcome::kInvalid, "the access token expired on " + utcDate(tokenExpiresAt) +
                                        "; reconnect the account");
}

sdk::CredentialCheck pageTokenCheckOutcome(const GraphResult<TokenDebug>& answer) {
  // A refusal here is of the app's own credentials or the platform: the token is not at fault.
  if (!answer.ok())
    return outcome(Outcome::kFailed,
                   "could not check the Page access token: " + describe(answer.error));
  const TokenDebug& d = *answer.value;
  if (!d.isValid)
    return outcome(Outcome::kInvalid,
                   "the access token is no longer valid" +
                       (d.errorMessage.empty() ? std::string() : " (" + d.errorMessage + ")") +
                       "; reconnect the account");
  sdk::CredentialCheck checked = outcome(Outcome::kChecked);
  checked.tokenExpiresAt = d.expiresAt * kMsPerSecond;  // 0: the token does not expire
  return checked;
}

sdk::CredentialCheck checkPageToken(sdk::HttpClient& http, const GraphSettings& settings,
                                    const sdk::Connection& connection, std::int64_t nowMs) {
  const std::string token = secretOf(connection, "accessToken");
  if (token.empty()) return outcome(Outcome::kUnchanged);
  switch (duePageTokenAction(settings, connection.tokenExpiresAt, connection.credentialsCheckedAt,
                             nowMs)) {
    case PageTokenAction::kNone:
      return outcome(Outcome::kUnchanged);
    case PageTokenAction::kExpired:
      return expiredTokenCheck(connection.tokenExpiresAt);
    case PageTokenAction::kCheck:
      return pageTokenCheckOutcome(debugToken(http, settings, token));
  }
  return outcome(Outcome::kUnchanged);
}

}  // namespace chathost::meta
