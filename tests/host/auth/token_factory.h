#pragma once
// Hand-crafted JWTs for tests: any header, any payload, signed with any HMAC digest or not at all.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "secrets/encoding.h"

namespace chathost::host::testing {

inline std::string b64url(const std::string& s) {
  return encodeBase64(s, Base64Alphabet::kUrl);
}

inline std::string hmacWith(const EVP_MD* md, const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

/// header.payload signed with HMAC over `md` (nullptr = empty signature part).
inline std::string craftToken(const std::string& headerJson, const std::string& payloadJson,
                              const std::string& key, const EVP_MD* md = EVP_sha256()) {
  const std::string signingInput = b64url(headerJson) + "." + b64url(payloadJson);
  if (md == nullptr) return signingInput + ".";
  return signingInput + "." + b64url(hmacWith(md, key, signingInput));
}

inline constexpr const char* kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace chathost::host::testing
