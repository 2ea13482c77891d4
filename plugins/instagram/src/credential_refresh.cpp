#include "credential_refresh.h"

#include "connection_flavor.h"
#include "credential_policy.h"

#include <chathost/meta/graph_errors.h>

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

sdk::CredentialCheck checkToken(const TokenClient& tokens, const std::string& token) {
  auto r = tokens.debugToken(token);
  // A refusal here is of the app's own credentials or the platform: the token is not at fault.
  if (!r.ok())
    return outcome(Outcome::kFailed,
                   "could not check the Page access token: " + meta::describe(r.error));
  const TokenDebug& d = *r.value;
  if (!d.isValid)
    return outcome(Outcome::kInvalid,
                   "the access token is no longer valid" +
                       (d.errorMessage.empty() ? std::string() : " (" + d.errorMessage + ")") +
                       "; reconnect the account");
  sdk::CredentialCheck checked = outcome(Outcome::kChecked);
  checked.tokenExpiresAt = d.expiresAt * 1000;  // 0: the token does not expire
  return checked;
}
}  // namespace

sdk::CredentialCheck refreshCredentials(const Settings& settings, const TokenClient& tokens,
                                        const sdk::Connection& connection, std::int64_t nowMs) {
  auto it = connection.secrets.find("accessToken");
  if (it == connection.secrets.end() || it->second.empty()) return outcome(Outcome::kUnchanged);
  const GraphEndpoint endpoint = endpointFor(settings, storedFlavor(connection.settingsJson));
  switch (dueCredentialAction(settings, endpoint.flavor, connection.tokenExpiresAt,
                              connection.credentialsCheckedAt, nowMs)) {
    case CredentialAction::kNone:
      return outcome(Outcome::kUnchanged);
    case CredentialAction::kExpired:
      return outcome(Outcome::kInvalid, "the access token expired on " +
                                            utcDate(connection.tokenExpiresAt) +
                                            "; reconnect the account");
    case CredentialAction::kRefresh:
      return refreshToken(tokens, endpoint, connection, it->second, nowMs);
    case CredentialAction::kCheck:
      return checkToken(tokens, it->second);
  }
  return outcome(Outcome::kUnchanged);
}

}  // namespace chathost::instagram
