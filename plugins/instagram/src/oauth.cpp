#include "oauth.h"

#include <chathost/meta/graph_http.h>
#include <chathost/meta/json_util.h>

#include <algorithm>

namespace chathost::instagram {

using meta::formEncode;
using meta::getArray;
using meta::getInt;
using meta::getString;
using meta::JsonObject;
using meta::parseObject;

std::string authorizeUrlFor(const Settings& settings, const std::string& redirectUri,
                            const std::string& state) {
  const std::string& base = settings.oauthAuthorizeUrl;
  return base + (base.find('?') == std::string::npos ? "?" : "&") +
         formEncode({{"client_id", settings.appId},
                     {"redirect_uri", redirectUri},
                     {"response_type", "code"}}) +
         "&scope=" + kOauthScopes + "&" + formEncode({{"state", state}});
}

std::string normaliseCode(std::string code) {
  constexpr std::string_view kSuffix = "#_";
  if (code.size() >= kSuffix.size() &&
      code.compare(code.size() - kSuffix.size(), kSuffix.size(), kSuffix.data()) == 0)
    code.resize(code.size() - kSuffix.size());
  return code;
}

std::optional<ShortLivedToken> parseCodeExchange(std::string_view body) {
  auto root = parseObject(body);
  if (!root) return std::nullopt;
  JsonObject::Ptr item = root;
  if (auto data = getArray(*root, "data")) item = data->size() > 0 ? data->getObject(0) : nullptr;
  if (!item) return std::nullopt;
  ShortLivedToken t;
  t.accessToken = getString(*item, "access_token").value_or("");
  if (t.accessToken.empty()) return std::nullopt;
  t.userId = getString(*item, "user_id").value_or("");
  if (auto list = getArray(*item, "permissions")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      Poco::Dynamic::Var v = list->get(static_cast<unsigned>(i));
      if (!v.isString()) continue;
      if (!t.permissions.empty()) t.permissions += ",";
      t.permissions += v.extract<std::string>();
    }
  } else {
    t.permissions = getString(*item, "permissions").value_or("");
  }
  return t;
}

std::optional<LongLivedToken> parseLongLivedToken(std::string_view body) {
  auto root = parseObject(body);
  if (!root) return std::nullopt;
  LongLivedToken t;
  t.accessToken = getString(*root, "access_token").value_or("");
  if (t.accessToken.empty()) return std::nullopt;
  t.expiresInSeconds = std::max<std::int64_t>(0, getInt(*root, "expires_in").value_or(0));
  return t;
}

}  // namespace chathost::instagram
