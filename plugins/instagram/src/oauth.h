#pragma once
// Instagram Login (OAuth) and token upkeep: the consent URL and the answers of the token
// endpoints, as pure functions (debug_token's is the Meta library's). The tokens they carry are
// secrets: never log them.

#include "settings.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::instagram {

/// The permissions a connection needs.
inline constexpr const char* kOauthScopes =
    "instagram_business_basic,instagram_business_manage_messages";

/// A short-lived token from the authorization code. Value type.
struct ShortLivedToken {
  std::string accessToken;
  std::string userId;
  std::string permissions;
};

/// A long-lived token (exchanged or refreshed). Value type.
struct LongLivedToken {
  std::string accessToken;
  std::int64_t expiresInSeconds = 0;  // 0 when the answer did not say
};

/// `<oauth_authorize_url>?client_id=<app_id>&redirect_uri=<enc>&response_type=code&scope=<scopes>
/// &state=<enc>` (joined with `&` when the configured URL already has a query).
std::string authorizeUrlFor(const Settings& settings, const std::string& redirectUri,
                            const std::string& state);

/// The code as the token endpoint wants it: Meta appends `#_` to the redirect, which a client may
/// have kept.
std::string normaliseCode(std::string code);

/// The code exchange's answer: `{"access_token","user_id","permissions"}` or the same object
/// inside `{"data":[...]}`; nullopt when there is no access token. `permissions` may be a string
/// or a list (joined with commas).
std::optional<ShortLivedToken> parseCodeExchange(std::string_view body);

/// `{"access_token","token_type","expires_in"}`; nullopt without an access token.
std::optional<LongLivedToken> parseLongLivedToken(std::string_view body);

}  // namespace chathost::instagram
