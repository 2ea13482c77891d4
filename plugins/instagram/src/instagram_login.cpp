#include "instagram_login.h"

#include "account_setup.h"
#include "oauth.h"

namespace chathost::instagram {

namespace {
// Meta's documented lifetime of a long-lived Instagram token, for an answer that omits it.
constexpr std::int64_t kDefaultLifetimeSeconds = 60 * 86400;

bool isHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// The token endpoint refused the code itself (not the network, the platform's health or its rate
// limit): an expired, used or mismatched code.
bool isRefusedCode(const meta::GraphError& e) {
  return !e.transport && e.httpStatus >= 400 && e.httpStatus < 500 && !meta::isThrottling(e) &&
         e.code != 190;
}
}  // namespace

InstagramLogin::InstagramLogin(const Settings& settings, const GraphClient& graph,
                               const TokenClient& tokens, sdk::Logger& logger)
    : settings_(settings), graph_(graph), tokens_(tokens), logger_(logger) {}

sdk::Result<std::string> InstagramLogin::authorizeUrl(const std::string& redirectUri,
                                                      const std::string& state) const {
  if (!settings_.hasAppCredentials())
    return sdk::Status(sdk::ErrorCode::kNotFound,
                       "Instagram Login is not configured: set the instagram plugin's app_id and "
                       "app_secret");
  if (!isHttpUrl(redirectUri))
    return sdk::Status::validation("the redirect URI must be an absolute http(s) URL");
  return authorizeUrlFor(settings_, redirectUri, state);
}

sdk::Status InstagramLogin::refused(const sdk::AgentInfo& agent, const meta::GraphError& error,
                                    const char* what, sdk::Status status) const {
  logger_.warning(std::string("instagram login: ") + what, {{"subaccountId", agent.subaccountId},
                                                            {"agentId", agent.id},
                                                            {"error", meta::describe(error)}});
  return status;
}

sdk::Result<sdk::ConnectResult> InstagramLogin::complete(const sdk::AgentInfo& agent,
                                                         const std::string& code,
                                                         const std::string& redirectUri,
                                                         std::int64_t nowMs) const {
  if (auto url = authorizeUrl(redirectUri, ""); !url) return url.status();
  std::string cleanCode = normaliseCode(code);
  if (cleanCode.empty()) return sdk::Status::validation("the authorization code is missing");

  auto shortLived = tokens_.exchangeCode(cleanCode, redirectUri);
  if (!shortLived.ok()) {
    const meta::GraphError& e = shortLived.error;
    sdk::Status status =
        isRefusedCode(e)
            ? sdk::Status(sdk::ErrorCode::kAuthFailed,
                          "the authorization code was refused or has expired; try connecting "
                          "again (" +
                              meta::describe(e) + ")",
                          meta::graphErrorMetaJson(e))
            : meta::toStatus(e, "exchange the authorization code", kDisplayName);
    return refused(agent, e, "the authorization code could not be exchanged", status);
  }
  auto longLived = tokens_.exchangeForLongLived(shortLived.value->accessToken);
  if (!longLived.ok())
    return refused(
        agent, longLived.error, "the long-lived token exchange failed",
        meta::toStatus(longLived.error, "obtain a long-lived Instagram token", kDisplayName));

  const std::string& token = longLived.value->accessToken;
  GraphCredentials creds{token, shortLived.value->userId, "",
                         GraphEndpoint{ApiFlavor::kInstagram, settings_.instagramGraphBaseUrl}};
  auto info = identifyAndSubscribe(graph_, creds, agent, logger_);
  if (!info) return info.status();

  sdk::Connection c;
  // Webhooks name the account by the `user_id` of /me; the token's user id is the fallback.
  c.accountId = !info->userId.empty() ? info->userId
                : !info->id.empty()   ? info->id
                                      : shortLived.value->userId;
  c.username = info->username;
  c.accountType = info->accountType;
  c.secrets = {{"accessToken", token}};
  c.settingsJson = connectionSettingsJson(*info, ApiFlavor::kInstagram);
  std::int64_t lifetime = longLived.value->expiresInSeconds > 0 ? longLived.value->expiresInSeconds
                                                                : kDefaultLifetimeSeconds;
  c.tokenExpiresAt = nowMs + lifetime * 1000;
  return connectAnswer(std::move(c));
}

}  // namespace chathost::instagram
