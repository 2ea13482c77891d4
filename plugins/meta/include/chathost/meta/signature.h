#pragma once
// Webhook signatures (X-Hub-Signature-256) and Graph appsecret_proof: HMAC-SHA256 helpers.

#include <string>
#include <string_view>

namespace chathost::meta {

/// Lowercase hex HMAC-SHA256 of `data` keyed by `key`.
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// True when `header` is "sha256=<64 hex>" (either case) and equals the HMAC of the raw `body`
/// keyed by `secret`. Compared in constant time. An empty secret never verifies.
bool verifySignature(std::string_view body, std::string_view header, std::string_view secret);

/// Constant-time equality of two strings (length may leak, contents do not).
bool constantTimeEquals(std::string_view a, std::string_view b);

/// Graph `appsecret_proof`: hex HMAC-SHA256 of the access token keyed by the app secret.
std::string appSecretProof(std::string_view accessToken, std::string_view appSecret);

}  // namespace chathost::meta
