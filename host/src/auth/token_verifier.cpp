#include "auth/token_verifier.h"

#include <mutex>
#include <unordered_map>

#include "auth/bearer.h"
#include "auth/hmac_sha256.h"
#include "auth/jwt.h"

namespace chathost::host {

struct TokenVerifier::Cache {
  explicit Cache(std::size_t capacity) : capacity(capacity) {}

  const std::size_t capacity;
  mutable std::mutex mutex;
  std::unordered_map<std::string, Claims> entries;

  /// Makes room for one entry: drops expired tokens first, everything if that is not enough.
  void makeRoom(std::int64_t nowSeconds) {
    if (entries.size() < capacity) return;
    std::erase_if(entries, [&](const auto& e) { return !checkTokenTimes(e.second, nowSeconds); });
    if (entries.size() >= capacity) entries.clear();
  }
};

TokenVerifier::TokenVerifier(std::string secret, std::size_t capacity)
    : secret_(std::move(secret)), cache_(std::make_unique<Cache>(capacity)) {}

TokenVerifier::~TokenVerifier() = default;

sdk::Result<Claims> TokenVerifier::verify(std::string_view authorizationHeader,
                                          std::int64_t nowSeconds) {
  sdk::Result<std::string_view> token = extractBearerToken(authorizationHeader);
  if (!token) return token.status();
  if (secret_.empty() || token->size() > kMaxTokenBytes || cache_->capacity == 0) {
    return verifyToken(*token, secret_, nowSeconds);
  }
  std::string key = secret_;
  key += '\0';
  key.append(*token);
  key = sha256(key);
  {
    std::lock_guard lock(cache_->mutex);
    if (auto it = cache_->entries.find(key); it != cache_->entries.end()) {
      if (sdk::Status times = checkTokenTimes(it->second, nowSeconds); !times) {
        // Expired: drop it. "Not valid yet" stays, it will become valid.
        if (nowSeconds >= it->second.exp) cache_->entries.erase(it);
        return times;
      }
      return it->second;
    }
  }
  sdk::Result<Claims> claims = verifyToken(*token, secret_, nowSeconds);
  if (claims) {
    std::lock_guard lock(cache_->mutex);
    cache_->makeRoom(nowSeconds);
    cache_->entries.emplace(std::move(key), *claims);
  }
  return claims;
}

std::size_t TokenVerifier::cachedCount() const {
  std::lock_guard lock(cache_->mutex);
  return cache_->entries.size();
}

}  // namespace chathost::host
