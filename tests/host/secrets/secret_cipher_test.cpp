#include "secrets/secret_cipher.h"

#include <gtest/gtest.h>

#include "secrets/encoding.h"

namespace chathost::host {
namespace {

constexpr const char* kAad = "connection:agent-1:instagram:accessToken";

SecretCipher cipherWithKey(char fill) {
  auto cipher = SecretCipher::fromKey(std::string(32, fill));
  EXPECT_TRUE(cipher);
  return std::move(cipher).value();
}

std::string sealedBytes(const std::string& ciphertext) {
  return decodeBase64(ciphertext.substr(3), Base64Alphabet::kStandard).value();
}

std::string fromSealedBytes(const std::string& sealed) {
  return "v1:" + encodeBase64(sealed, Base64Alphabet::kStandard);
}

void expectUndecryptable(const sdk::Result<std::string>& result) {
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(result.status().message().find("cannot be decrypted"), std::string::npos);
}

TEST(SecretCipher, RoundTripsTextBinaryAndEmptyValues) {
  const SecretCipher cipher = cipherWithKey('k');
  for (const std::string& plaintext : {std::string("EAAB-page-token"), std::string(),
                                       std::string("\0\xff\n", 3), std::string(10000, 'x')}) {
    auto sealed = cipher.encrypt(plaintext, kAad);
    ASSERT_TRUE(sealed) << sealed.status().message();
    auto opened = cipher.decrypt(*sealed, kAad);
    ASSERT_TRUE(opened) << opened.status().message();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(SecretCipher, OutputIsVersionedBase64OfNonceCiphertextAndTag) {
  const SecretCipher cipher = cipherWithKey('k');
  auto sealed = cipher.encrypt("secret-value", kAad);
  ASSERT_TRUE(sealed);
  ASSERT_EQ(sealed->substr(0, 3), "v1:");
  EXPECT_EQ(sealedBytes(*sealed).size(), 12 + std::string("secret-value").size() + 16);
  EXPECT_EQ(sealed->find("secret-value"), std::string::npos);
}

TEST(SecretCipher, UsesAFreshNonceForEveryEncryption) {
  const SecretCipher cipher = cipherWithKey('k');
  auto a = cipher.encrypt("same", kAad);
  auto b = cipher.encrypt("same", kAad);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_NE(sealedBytes(*a).substr(0, 12), sealedBytes(*b).substr(0, 12));
}

TEST(SecretCipher, WrongKeyFails) {
  auto sealed = cipherWithKey('k').encrypt("token", kAad);
  ASSERT_TRUE(sealed);
  expectUndecryptable(cipherWithKey('j').decrypt(*sealed, kAad));
}

TEST(SecretCipher, WrongAadFails) {
  const SecretCipher cipher = cipherWithKey('k');
  auto sealed = cipher.encrypt("token", kAad);
  ASSERT_TRUE(sealed);
  expectUndecryptable(cipher.decrypt(*sealed, "connection:agent-2:instagram:accessToken"));
  expectUndecryptable(cipher.decrypt(*sealed, ""));
}

TEST(SecretCipher, AnyTamperedByteFails) {
  const SecretCipher cipher = cipherWithKey('k');
  auto sealed = cipher.encrypt("token", kAad);
  ASSERT_TRUE(sealed);
  const std::string original = sealedBytes(*sealed);
  for (std::size_t i = 0; i < original.size(); ++i) {
    std::string tampered = original;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    expectUndecryptable(cipher.decrypt(fromSealedBytes(tampered), kAad));
  }
}

TEST(SecretCipher, TruncatedOrMalformedInputFails) {
  const SecretCipher cipher = cipherWithKey('k');
  auto sealed = cipher.encrypt("token", kAad);
  ASSERT_TRUE(sealed);
  const std::string original = sealedBytes(*sealed);
  for (std::size_t len : {std::size_t{0}, std::size_t{11}, std::size_t{27}, original.size() - 1}) {
    expectUndecryptable(cipher.decrypt(fromSealedBytes(original.substr(0, len)), kAad));
  }
  for (const std::string& garbage :
       {std::string(), std::string("v1:"), std::string("v1:not base64!"), std::string("token"),
        std::string("v2:") + sealed->substr(3), sealed->substr(0, sealed->size() - 1)}) {
    expectUndecryptable(cipher.decrypt(garbage, kAad));
  }
}

TEST(SecretCipher, FromKeyRequires32Bytes) {
  for (std::size_t size : {0, 16, 31, 33, 64}) {
    auto cipher = SecretCipher::fromKey(std::string(size, 'k'));
    ASSERT_FALSE(cipher);
    EXPECT_EQ(cipher.status().code(), sdk::ErrorCode::kValidation);
  }
}

}  // namespace
}  // namespace chathost::host
