#pragma once
// HS256 JSON Web Tokens: verification of bearer tokens and issuing of new ones.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/claims.h"

namespace chathost::host {

/// Clock skew tolerated between the token issuer and this host: a token is accepted until
/// exp + 30 s, and from nbf - 30 s.
inline constexpr std::int64_t kJwtLeewaySeconds = 30;
/// Longer tokens are refused unread.
inline constexpr std::size_t kMaxTokenBytes = 8192;

/// Verifies "Bearer <jwt>" (see extractBearerToken) with verifyToken. Pure; any thread.
sdk::Result<Claims> verifyBearer(std::string_view authorizationHeader, const std::string& secret,
                                 std::int64_t nowSeconds);

/// Verifies a compact JWT: HS256 only (alg "none", HS512, RS256, ... are refused whatever their
/// signature), signature compared in constant time, canonical base64url only, `exp` required and
/// enforced, `nbf` honoured, `sub` a string and `subaccounts` an array of strings when present
/// (missing subaccounts = none granted). Every failure is kUnauthorized with a short message
/// ("malformed token", "token signature is invalid", "token has expired", ...) that never quotes
/// the token. An empty secret verifies nothing (kInternal). Pure; any thread.
sdk::Result<Claims> verifyToken(std::string_view token, const std::string& secret,
                                std::int64_t nowSeconds);

/// Checks exp and nbf of already verified claims against `nowSeconds` (with kJwtLeewaySeconds).
sdk::Status checkTokenTimes(const Claims& claims, std::int64_t nowSeconds);

/// Signs an HS256 token {sub, subaccounts, iat: now, exp: now + ttl} (whole seconds). Returns an
/// empty string only if signing itself fails (it does not for HS256). Pure; any thread.
std::string issueToken(const std::string& secret, const std::string& sub,
                       const std::vector<std::string>& subaccounts, std::int64_t ttlSeconds,
                       std::int64_t nowSeconds);

}  // namespace chathost::host
