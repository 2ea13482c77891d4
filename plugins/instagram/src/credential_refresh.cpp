#include "credential_refresh.h"

#include "connection_flavor.h"
#include "credential_policy.h"

#include <chathost/meta/graph_errors.h>
#include <chathost/meta/page_token_check.h>
#include <chathost/meta/webhook_auth.h>

namespace chathost::instagram {

namespace {
using Outcome = sdk::CredentialCheck::Outcome;
constexpr int kTokenError = 190;

sdk::CredentialCheck outcome(Outcome o, std::string reason = {}) {
  sdk::CredentialCheck c;
  c.outcome = o;
  c.reason = std::move(reason);
  return c;
}

sdk::CredentialCheck refreshed(const sdk::Connection& connection, std::string token,
                               std::int64_t expiresAt) {
  sdk::CredentialCheck c = outcome(Outcome::kRefreshed);
  c.secrets = connection.secrets;
  c.secrets["accessToken"] = std::move(token);
  c.tokenExpiresAt = expiresAt;
  return c;
}

sdk::CredentialCheck refreshToken(const TokenClient& tokens, const GraphEndpoint& endpoint,
                                  const sdk::Connection& connection, const std::string& token,
                                  std::int64_t nowMs) {
  auto r = tokens.refresh(endpoint.baseUrl, token);
  if (!r.ok()) {
    if (r.error.code == kTokenError)
      return outcome(Outcome::kInvalid, "Instagram refused to refresh the access token (" +
                                            meta::describe(r.error) + "); reconnect the account");
    return outcome(Outcome::kFailed,
                   "could not refresh the Instagram access token: " + meta::describe(r.error));
  }
  if (r.value->expiresInSeconds <= 0)
    return outcome(Outcome::kFailed,
                   "could not refresh the Instagram access token: the answer had no expiry");
  return refreshed(connection, r.value->accessToken, nowMs + r.value->expiresInSeconds * 1000);
}
}  // namespace

sdk::CredentialCheck refreshCredentials(const Settings& settings, const TokenClient& tokens,
                                        sdk::HttpClient& http, const sdk::Connection& connection,
                                        std::int64_t nowMs) {
  const GraphEndpoint endpoint = endpointFor(settings, storedFlavor(connection.settingsJson));
  // A Facebook Login connection holds a Page token: checked as Messenger's are.
  if (endpoint.flavor == ApiFlavor::kFacebook)
    return meta::checkPageToken(http, settings, connection, nowMs);
  const std::string token = meta::secretOf(connection, "accessToken");
  if (token.empty()) return outcome(Outcome::kUnchanged);
  switch (dueCredentialAction(settings, connection.tokenExpiresAt, connection.credentialsCheckedAt,
                              nowMs)) {
    case CredentialAction::kNone:
      return outcome(Outcome::kUnchanged);
    case CredentialAction::kExpired:
      return meta::expiredTokenCheck(connection.tokenExpiresAt);
    case CredentialAction::kRefresh:
      return refreshToken(tokens, endpoint, connection, token, nowMs);
  }
  return outcome(Outcome::kUnchanged);
}

}  // namespace chathost::instagram
