#pragma once
// The `state` of a channel's sign-in flow (OAuth): which tenant's agent asked, where the
// platform must send the browser back, until when, signed by the host so that the callback,
// which carries no JWT, can trust it. Single use is the caller's (the nonce).

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace chathost::host {

/// What a state carries. Value type.
struct OAuthState {
  std::string subaccountId;
  std::string agentId;
  std::string channel;
  std::string redirectUri;
  std::int64_t expiresAt = 0;  // ms
  std::string nonce;           // random; the callback accepts each nonce once
  /// browserBinding() of a secret the starting browser holds in a cookie: the callback must come
  /// from that browser, so a consent link handed to someone else connects nothing.
  std::string browserHash;
};

/// Hex SHA-256 of the browser's sign-in secret. Pure; any thread.
std::string browserBinding(std::string_view secret);

/// `<base64url(payload)>.<hex HMAC-SHA256 of it under key>`. Pure; any thread.
std::string signOAuthState(const OAuthState& state, std::string_view key);

/// The state `token` carries when it was signed under `key` and is not expired at `nowMs`;
/// kValidation (in words for the person who followed the link) otherwise. Pure; any thread.
sdk::Result<OAuthState> verifyOAuthState(std::string_view token, std::string_view key,
                                         std::int64_t nowMs);

}  // namespace chathost::host
