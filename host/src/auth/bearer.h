#pragma once
// Extraction of the token from an HTTP Authorization header.

#include <chathost/sdk/status.h>

#include <string_view>

namespace chathost::host {

/// The token of "Bearer <token>" (scheme case-insensitive, surrounding blanks ignored). Fails with
/// kUnauthorized: "missing bearer token", "authorization scheme must be Bearer" or "malformed
/// token". The view points into `authorizationHeader`. Pure; any thread.
sdk::Result<std::string_view> extractBearerToken(std::string_view authorizationHeader);

}  // namespace chathost::host
