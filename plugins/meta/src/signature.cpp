#include <chathost/meta/signature.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

namespace chathost::meta {

namespace {
constexpr std::string_view kPrefix = "sha256=";
constexpr std::size_t kHexLength = 64;
}  // namespace

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xF]);
  }
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool verifySignature(std::string_view body, std::string_view header, std::string_view secret) {
  if (secret.empty() || header.size() != kPrefix.size() + kHexLength) return false;
  for (std::size_t i = 0; i < kPrefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kPrefix[i]) return false;
  std::string given(header.substr(kPrefix.size()));
  for (char& c : given) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return constantTimeEquals(given, hmacSha256Hex(secret, body));
}

std::string appSecretProof(std::string_view accessToken, std::string_view appSecret) {
  return hmacSha256Hex(appSecret, accessToken);
}

}  // namespace chathost::meta
