#pragma once
// Graph's debug_token: what the platform says about an access token (valid or not, its expiry),
// asked with the app's own credentials. Both Meta channels check their stored Page tokens with
// it. The token and the app secret travel in the query string as Meta requires; error texts never
// carry them.

#include <chathost/meta/graph_errors.h>
#include <chathost/meta/graph_settings.h>

#include <chathost/sdk/http_client.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::meta {

/// What debug_token says about a token. Value type.
struct TokenDebug {
  bool isValid = false;
  std::int64_t expiresAt = 0;  // seconds since the epoch; 0 = does not expire
  std::string errorMessage;    // why it is invalid, when the platform says
};

/// `{"data":{"is_valid","expires_at","error":{"message"}}}`; nullopt without `data.is_valid`.
std::optional<TokenDebug> parseTokenDebug(std::string_view body);

/// GET <graph_base_url>/<v>/debug_token?input_token=<token>&access_token=<app_id>|<app_secret>,
/// with the Graph call timeout. The answer read by parseTokenDebug(); the GraphError of a failed
/// exchange (a refusal of the app's own credentials among them), or a retryable 502 for a 2xx
/// without `data.is_valid`. Blocks on the HTTP client.
GraphResult<TokenDebug> debugToken(sdk::HttpClient& http, const GraphSettings& settings,
                                   const std::string& token);

}  // namespace chathost::meta
