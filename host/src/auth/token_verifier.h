#pragma once
// Bearer verification with a small cache of recently verified tokens.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/claims.h"

namespace chathost::host {

/// verifyBearer for one secret, remembering up to `capacity` verified tokens so a client that
/// sends the same token on every request skips the signature and JSON work. Entries are keyed
/// by SHA-256 of the secret and the whole token (never the raw token), expire with the token,
/// and failures are never cached. Thread-safe.
class TokenVerifier {
 public:
  explicit TokenVerifier(std::string secret, std::size_t capacity = 4096);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  /// Same results as verifyBearer(authorizationHeader, secret, nowSeconds).
  sdk::Result<Claims> verify(std::string_view authorizationHeader, std::int64_t nowSeconds);

  /// Number of cached tokens (for tests and metrics).
  std::size_t cachedCount() const;

 private:
  struct Cache;
  std::string secret_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace chathost::host
