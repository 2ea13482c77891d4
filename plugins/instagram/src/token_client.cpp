#include "token_client.h"

#include <chathost/meta/graph_http.h>

namespace chathost::instagram {

using meta::exchangeJson;
using meta::formEncode;
using meta::GraphResult;

TokenClient::TokenClient(sdk::HttpClient& http, Settings settings)
    : http_(http), settings_(std::move(settings)) {}

template <typename T>
GraphResult<T> TokenClient::call(sdk::HttpRequest req, std::optional<T> (*parse)(std::string_view),
                                 const char* what) const {
  GraphResult<T> out;
  auto body = exchangeJson(http_, req);
  if (!body.ok()) {
    out.error = body.error;
    return out;
  }
  out.value = parse(*body.value);
  if (!out.value) {
    out.error.httpStatus = 502;  // a 2xx without what was asked: a platform fault, retryable
    out.error.message = std::string("the token endpoint answered without ") + what;
  }
  return out;
}

sdk::HttpRequest TokenClient::get(const std::string& url) const {
  sdk::HttpRequest req;
  req.method = sdk::Method::kGet;
  req.url = url;
  req.headers = {{"Accept", "application/json"}};
  req.timeoutMs = settings_.graphTimeoutMs;
  return req;
}

GraphResult<ShortLivedToken> TokenClient::exchangeCode(const std::string& code,
                                                       const std::string& redirectUri) const {
  sdk::HttpRequest req = get(settings_.oauthTokenUrl);
  req.method = sdk::Method::kPost;
  req.contentType = "application/x-www-form-urlencoded";
  req.body = formEncode({{"client_id", settings_.appId},
                         {"client_secret", settings_.appSecret},
                         {"grant_type", "authorization_code"},
                         {"redirect_uri", redirectUri},
                         {"code", code}});
  return call<ShortLivedToken>(std::move(req), &parseCodeExchange, "an access token");
}

GraphResult<LongLivedToken> TokenClient::exchangeForLongLived(const std::string& shortToken) const {
  return call<LongLivedToken>(get(settings_.instagramGraphBaseUrl + "/access_token?" +
                                  formEncode({{"grant_type", "ig_exchange_token"},
                                              {"client_secret", settings_.appSecret},
                                              {"access_token", shortToken}})),
                              &parseLongLivedToken, "a long-lived access token");
}

GraphResult<LongLivedToken> TokenClient::refresh(const std::string& baseUrl,
                                                 const std::string& token) const {
  return call<LongLivedToken>(
      get(baseUrl + "/refresh_access_token?" +
          formEncode({{"grant_type", "ig_refresh_token"}, {"access_token", token}})),
      &parseLongLivedToken, "a refreshed access token");
}

}  // namespace chathost::instagram
