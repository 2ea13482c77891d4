#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "secrets/encoding.h"
#include "secrets/secret_cipher.h"
#include "temp_dir.h"

namespace chathost::host {
namespace {

using testing::TempDir;

void writeFile(const std::string& path, const std::string& content, mode_t mode) {
  std::ofstream(path, std::ios::binary) << content;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

mode_t modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(SecretKeyFile, CreatedWith32RandomBytesMode0600AndPrivateParents) {
  TempDir dir;
  const std::string path = dir.file("var/keys/secret.key");
  auto cipher = SecretCipher::fromKeyFile(path);
  ASSERT_TRUE(cipher) << cipher.status().message();
  EXPECT_EQ(modeOf(path), 0600u);
  EXPECT_EQ(modeOf(dir.file("var/keys")), 0700u);
  EXPECT_EQ(readFile(path).size(), 32u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.file("var/keys")), {}), 1)
      << "the temporary file must not be left behind";
}

TEST(SecretKeyFile, ReloadedKeyDecryptsWhatTheFirstEncrypted) {
  TempDir dir;
  const std::string path = dir.file("secret.key");
  auto first = SecretCipher::fromKeyFile(path);
  ASSERT_TRUE(first);
  auto sealed = first->encrypt("token", "aad");
  ASSERT_TRUE(sealed);
  auto second = SecretCipher::fromKeyFile(path);
  ASSERT_TRUE(second) << second.status().message();
  auto opened = second->decrypt(*sealed, "aad");
  ASSERT_TRUE(opened) << opened.status().message();
  EXPECT_EQ(*opened, "token");
}

TEST(SecretKeyFile, HexKeyFileIsAccepted) {
  TempDir dir;
  const std::string path = dir.file("secret.key");
  const std::string key(32, '\x5a');
  writeFile(path, encodeHex(key) + "\n", 0600);
  auto fromFile = SecretCipher::fromKeyFile(path);
  ASSERT_TRUE(fromFile) << fromFile.status().message();
  auto sealed = SecretCipher::fromKey(key)->encrypt("token", "aad");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(fromFile->decrypt(*sealed, "aad").value(), "token");
}

TEST(SecretKeyFile, RefusesFileReadableByOthers) {
  TempDir dir;
  const std::string path = dir.file("secret.key");
  writeFile(path, std::string(32, 'k'), 0644);
  auto cipher = SecretCipher::fromKeyFile(path);
  ASSERT_FALSE(cipher);
  EXPECT_EQ(cipher.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(cipher.status().message().find("0644"), std::string::npos);
  EXPECT_NE(cipher.status().message().find("chmod 600 " + path), std::string::npos);
  EXPECT_EQ(readFile(path), std::string(32, 'k')) << "an existing key is never replaced";
}

TEST(SecretKeyFile, RefusesWrongSizeWithoutRevealingContent) {
  TempDir dir;
  const std::string path = dir.file("secret.key");
  writeFile(path, "short-key-material", 0600);
  auto cipher = SecretCipher::fromKeyFile(path);
  ASSERT_FALSE(cipher);
  EXPECT_NE(cipher.status().message().find(path), std::string::npos);
  EXPECT_NE(cipher.status().message().find("18 bytes"), std::string::npos);
  EXPECT_EQ(cipher.status().message().find("short-key-material"), std::string::npos);
}

TEST(SecretKeyFile, RefusesDirectoryAndEmptyPath) {
  TempDir dir;
  auto cipher = SecretCipher::fromKeyFile(dir.path().string());
  ASSERT_FALSE(cipher);
  EXPECT_NE(cipher.status().message().find("not a regular file"), std::string::npos);
  EXPECT_FALSE(SecretCipher::fromKeyFile(""));
}

TEST(SecretKeyFile, ConcurrentCreatorsAgreeOnOneKey) {
  TempDir dir;
  const std::string path = dir.file("secret.key");
  std::vector<std::optional<std::string>> sealed(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    threads.emplace_back([&, i] {
      auto cipher = SecretCipher::fromKeyFile(path);
      if (cipher) sealed[i] = cipher->encrypt("token", "aad").value();
    });
  }
  for (auto& t : threads) t.join();
  auto reference = SecretCipher::fromKeyFile(path);
  ASSERT_TRUE(reference);
  for (const auto& s : sealed) {
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(reference->decrypt(*s, "aad"));
  }
}

}  // namespace
}  // namespace chathost::host
