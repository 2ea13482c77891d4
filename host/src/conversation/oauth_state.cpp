#include "conversation/oauth_state.h"

#include "auth/hmac_sha256.h"
#include "common/json_io.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>

#include <cctype>
#include <iterator>
#include <optional>
#include <sstream>

namespace chathost::host {

namespace {
constexpr std::size_t kMaxTokenBytes = 4096;
constexpr int kUrlSafe = Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING;

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string base64Url(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, kUrlSafe);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

std::optional<std::string> fromBase64Url(std::string_view text) {
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  try {
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder dec(in, kUrlSafe);
    std::string out((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
    return out;
  } catch (...) {
    return std::nullopt;
  }
}

sdk::Status invalid() {
  return sdk::Status::validation(
      "the sign-in link is not valid (it was changed or made by another server); start again "
      "from the dashboard");
}
}  // namespace

std::string browserBinding(std::string_view secret) {
  return hex(sha256(secret));
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
  const std::string payload = base64Url(json::toText(o));
  return payload + "." + hex(hmacSha256(key, payload));
}

sdk::Result<OAuthState> verifyOAuthState(std::string_view token, std::string_view key,
                                         std::int64_t nowMs) {
  if (token.empty()) return sdk::Status::validation("the sign-in answer has no state; start again");
  if (token.size() > kMaxTokenBytes || key.empty()) return invalid();
  const auto dot = token.rfind('.');
  if (dot == std::string_view::npos) return invalid();
  const std::string_view payload = token.substr(0, dot);
  if (!constantTimeEquals(token.substr(dot + 1), hex(hmacSha256(key, payload)))) return invalid();
  auto text = fromBase64Url(payload);
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
