#include <chathost/meta/graph_api.h>
#include <chathost/meta/graph_http.h>
#include <chathost/meta/json_util.h>
#include <chathost/meta/token_debug.h>

#include <algorithm>

namespace chathost::meta {

std::optional<TokenDebug> parseTokenDebug(std::string_view body) {
  auto root = parseObject(body);
  if (!root) return std::nullopt;
  auto data = getObject(*root, "data");
  if (!data) return std::nullopt;
  auto valid = getBool(*data, "is_valid");
  if (!valid) return std::nullopt;
  TokenDebug d;
  d.isValid = *valid;
  d.expiresAt = std::max<std::int64_t>(0, getInt(*data, "expires_at").value_or(0));
  if (auto error = getObject(*data, "error"))
    d.errorMessage = getString(*error, "message").value_or("");
  return d;
}

GraphResult<TokenDebug> debugToken(sdk::HttpClient& http, const GraphSettings& settings,
                                   const std::string& token) {
  sdk::HttpRequest req;
  req.method = sdk::Method::kGet;
  req.url = settings.graphBaseUrl + "/" + settings.graphApiVersion + "/debug_token?" +
            formEncode({{"input_token", token},
                        {"access_token", settings.appId + "|" + settings.appSecret}});
  req.headers = {{"Accept", "application/json"}};
  req.timeoutMs = settings.graphTimeoutMs;
  GraphResult<TokenDebug> out;
  auto body = exchangeJson(http, req);
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  out.value = parseTokenDebug(*body.value);
  if (!out.value) out.error = malformedAnswer("debug_token answered without the token's validity");
  return out;
}

}  // namespace chathost::meta
