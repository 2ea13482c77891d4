#include "conversation/oauth_state.h"

#include "auth/hmac_sha256.h"
#include "common/json_io.h"
#include "secrets/encoding.h"

#include <Poco/JSON/Object.h>

#include <optional>

namespace chathost::host {

namespace {
constexpr std::size_t kMaxTokenBytes = 4096;

sdk::Status invalid() {
  return sdk::Status::validation(
      "the sign-in link is not valid (it was changed or made by another server); start again "
      "from the dashboard");
}
}  // namespace

std::string browserBinding(std::string_view secret) {
  return encodeHex(sha256(secret));
}

std::string signOAuthState(const OAuthState& state, std::string_view key) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("s", state.subaccountId);
  o->set("a", state.agentId);
  o->set("c", state.channel);
  o->set("r", state.redirectUri);
  o->set("e", state.expiresAt);
  o->set("n", state.nonce);
  o->set("b", state.browserHash);
  const std::string payload = encodeBase64(json::toText(o), Base64Alphabet::kUrl);
  return payload + "." + encodeHex(hmacSha256(key, payload));
}

sdk::Result<OAuthState> verifyOAuthState(std::string_view token, std::string_view key,
                                         std::int64_t nowMs) {
  if (token.empty()) return sdk::Status::validation("the sign-in answer has no state; start again");
  if (token.size() > kMaxTokenBytes || key.empty()) return invalid();
  const auto dot = token.rfind('.');
  if (dot == std::string_view::npos) return invalid();
  const std::string_view payload = token.substr(0, dot);
  if (!constantTimeEquals(token.substr(dot + 1), encodeHex(hmacSha256(key, payload))))
    return invalid();
  auto text = decodeBase64(payload, Base64Alphabet::kUrl);
  if (!text) return invalid();
  auto o = json::parseObject(*text);
  if (!o) return invalid();
  OAuthState s;
  try {
    s.subaccountId = o->getValue<std::string>("s");
    s.agentId = o->getValue<std::string>("a");
    s.channel = o->getValue<std::string>("c");
    s.redirectUri = o->getValue<std::string>("r");
    s.expiresAt = o->getValue<std::int64_t>("e");
    s.nonce = o->getValue<std::string>("n");
    s.browserHash = o->getValue<std::string>("b");
  } catch (...) {
    return invalid();
  }
  if (nowMs >= s.expiresAt)
    return sdk::Status::validation("the sign-in took too long and expired; start again");
  return s;
}

}  // namespace chathost::host
