#pragma once
// HMAC-SHA256 and SHA-256 (OpenSSL), for token signatures and cache keys.

#include <string>
#include <string_view>

namespace chathost::host {

/// The 32-byte HMAC-SHA256 of `data` under `key`. Pure; any thread.
std::string hmacSha256(std::string_view key, std::string_view data);
/// The 32-byte SHA-256 of `data`. Pure; any thread.
std::string sha256(std::string_view data);
/// Equality of two byte strings in time independent of where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace chathost::host
