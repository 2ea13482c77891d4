#pragma once
// The token endpoints of Instagram Login: the code exchange, the long-lived token exchange and
// the refresh (Page tokens are checked by the Meta library's debug_token). Secrets travel in query
// strings and form bodies as Meta requires; error texts never carry them.

#include "oauth.h"
#include "settings.h"

#include <chathost/meta/graph_errors.h>

#include <chathost/sdk/http_client.h>

#include <string>

namespace chathost::instagram {

/// Thread-safe (holds its settings only); every call blocks on the HTTP client.
class TokenClient {
 public:
  TokenClient(sdk::HttpClient& http, Settings settings);

  /// POST <oauth_token_url>, form-encoded client_id, client_secret,
  /// grant_type=authorization_code, redirect_uri, code.
  meta::GraphResult<ShortLivedToken> exchangeCode(const std::string& code,
                                                  const std::string& redirectUri) const;
  /// GET <instagram_graph_base_url>/access_token?grant_type=ig_exchange_token&client_secret=..
  /// &access_token=<short>.
  meta::GraphResult<LongLivedToken> exchangeForLongLived(const std::string& shortToken) const;
  /// GET <baseUrl>/refresh_access_token?grant_type=ig_refresh_token&access_token=<token>.
  meta::GraphResult<LongLivedToken> refresh(const std::string& baseUrl,
                                            const std::string& token) const;

 private:
  template <typename T>
  meta::GraphResult<T> call(sdk::HttpRequest req, std::optional<T> (*parse)(std::string_view),
                            const char* what) const;
  sdk::HttpRequest get(const std::string& url) const;

  sdk::HttpClient& http_;
  Settings settings_;
};

}  // namespace chathost::instagram
