#include "secrets/secret_cipher.h"

#include <openssl/evp.h>

#include <memory>
#include <optional>

#include "secrets/encoding.h"
#include "secrets/key_material.h"
#include "secrets/private_file.h"
#include "secrets/random.h"

namespace chathost::host {
namespace {

constexpr std::string_view kVersionPrefix = "v1:";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;
constexpr std::size_t kMaxSecretBytes =
    16 * 1024 * 1024;  // far above any token; keeps int casts safe
constexpr const char* kKeyFileWhat = "secrets key file";
constexpr const char* kUndecryptable = "secret cannot be decrypted: wrong key or tampered data";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
  return {EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
}

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

/// Reads the key file, or creates it; retries once when another process creates it meanwhile.
sdk::Result<std::string> loadOrCreateKey(const std::string& keyFile) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    sdk::Result<std::optional<std::string>> content = readPrivateFile(keyFile, kKeyFileWhat);
    if (!content) return content.status();
    if (content->has_value()) {
      sdk::Result<std::string> key = parseKeyFileContent(**content);
      if (!key) {
        return sdk::Status::validation(std::string(kKeyFileWhat) + " " + keyFile + ": " +
                                       key.status().message());
      }
      return key;
    }
    std::string key = randomBytes(kSecretKeyBytes);
    sdk::Status created = createPrivateFile(keyFile, key, kKeyFileWhat);
    if (created) return key;
    if (created.code() != sdk::ErrorCode::kConflict) return created;
  }
  return sdk::Status::internal(std::string("cannot read or create ") + kKeyFileWhat + " " +
                               keyFile);
}

}  // namespace

sdk::Result<SecretCipher> SecretCipher::fromKeyFile(const std::string& keyFile) {
  if (keyFile.empty()) return sdk::Status::validation("secrets key file path is empty");
  sdk::Result<std::string> key = loadOrCreateKey(keyFile);
  if (!key) return key.status();
  return SecretCipher(std::move(*key));
}

sdk::Result<SecretCipher> SecretCipher::fromKey(const std::string& key) {
  if (key.size() != kSecretKeyBytes) {
    return sdk::Status::validation("secret key must be 32 bytes, got " +
                                   std::to_string(key.size()));
  }
  return SecretCipher(key);
}

sdk::Result<std::string> SecretCipher::encrypt(const std::string& plaintext,
                                               const std::string& aad) const {
  constexpr const char* kFailed = "secret cannot be encrypted";
  if (plaintext.size() > kMaxSecretBytes || aad.size() > kMaxSecretBytes) {
    return sdk::Status::validation("secret is too large to encrypt");
  }
  CipherContext ctx = newContext();
  const std::string nonce = randomBytes(kNonceBytes);
  // Layout: nonce | ciphertext | tag. GCM ciphertext is as long as the plaintext.
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  sealed.replace(0, kNonceBytes, nonce);
  unsigned char* out = bytes(sealed) + kNonceBytes;
  int len = 0;
  int total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1) {
    return sdk::Status::internal(kFailed);
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), out + total, &len) != 1 ||
      total + len != static_cast<int>(plaintext.size()) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out + plaintext.size()) !=
          1) {
    return sdk::Status::internal(kFailed);
  }
  return std::string(kVersionPrefix) + encodeBase64(sealed, Base64Alphabet::kStandard);
}

sdk::Result<std::string> SecretCipher::decrypt(const std::string& ciphertext,
                                               const std::string& aad) const {
  if (ciphertext.size() > 2 * kMaxSecretBytes || aad.size() > kMaxSecretBytes) {
    return sdk::Status::internal("secret cannot be decrypted: too large");
  }
  if (!std::string_view(ciphertext).starts_with(kVersionPrefix)) {
    return sdk::Status::internal("secret cannot be decrypted: unknown format");
  }
  std::optional<std::string> sealed = decodeBase64(
      std::string_view(ciphertext).substr(kVersionPrefix.size()), Base64Alphabet::kStandard);
  if (!sealed || sealed->size() < static_cast<std::size_t>(kNonceBytes + kTagBytes)) {
    return sdk::Status::internal("secret cannot be decrypted: malformed or truncated data");
  }
  const std::size_t bodySize = sealed->size() - kNonceBytes - kTagBytes;
  const unsigned char* nonce = bytes(*sealed);
  const unsigned char* body = nonce + kNonceBytes;
  std::string tag = sealed->substr(kNonceBytes + bodySize);
  std::string plaintext(bodySize, '\0');

  CipherContext ctx = newContext();
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &len, body, static_cast<int>(bodySize)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1) {
    return sdk::Status::internal(kUndecryptable);
  }
  const int total = len;
  // The tag is checked here: on mismatch the partial plaintext is discarded, never returned.
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + total, &len) != 1 ||
      total + len != static_cast<int>(bodySize)) {
    return sdk::Status::internal(kUndecryptable);
  }
  return plaintext;
}

}  // namespace chathost::host
