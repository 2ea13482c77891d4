#include <chathost/meta/signature.h>
#include <chathost/meta/webhook_auth.h>

namespace chathost::meta {

namespace {
sdk::Status forbidden(const std::string& why) {
  return {sdk::ErrorCode::kForbidden, why};
}
}  // namespace

std::string secretOf(const sdk::Connection& connection, const std::string& name) {
  auto it = connection.secrets.find(name);
  return it == connection.secrets.end() ? std::string() : it->second;
}

std::string expectedVerifyToken(const sdk::Connection* connection,
                                const std::string& channelToken) {
  if (connection == nullptr) return channelToken;
  if (!connection->connected) return {};
  std::string own = secretOf(*connection, "verifyToken");
  return own.empty() ? channelToken : own;
}

sdk::Result<sdk::Response> answerChallenge(const sdk::Request& request,
                                           const std::string& expected) {
  auto mode = request.queryParam("hub.mode");
  auto token = request.queryParam("hub.verify_token");
  auto challenge = request.queryParam("hub.challenge");
  if (expected.empty() || !mode || *mode != "subscribe" || !token || !challenge ||
      !constantTimeEquals(*token, expected))
    return forbidden("webhook verification failed");
  return sdk::Response::text(200, std::string(*challenge));
}

std::string signingKeyFor(const sdk::Connection* connection, const std::string& appSecret) {
  std::string key;
  if (connection != nullptr && connection->connected) key = secretOf(*connection, "webhookSecret");
  return key.empty() ? appSecret : key;
}

sdk::Status checkSignature(const sdk::Request& request, const std::string& key,
                           bool requireSignature) {
  if (key.empty()) {
    if (!requireSignature) return sdk::Status::ok();
    return forbidden("no webhook secret is configured, so the request cannot be verified");
  }
  auto header = request.header("X-Hub-Signature-256");
  if (!header || !verifySignature(request.body, *header, key))
    return forbidden("missing or invalid X-Hub-Signature-256");
  return sdk::Status::ok();
}

}  // namespace chathost::meta
