#include "auth/jwt_secret.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "../secrets/temp_dir.h"

namespace chathost::host {
namespace {

using testing::TempDir;

mode_t modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

void writeFile(const std::string& path, const std::string& content, mode_t mode) {
  std::ofstream(path) << content;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST(JwtSecret, CreatedAsHexWithPrivatePermissionsAndReusedAfterwards) {
  TempDir dir;
  const std::string dataDir = dir.file("data/host");
  auto secret = loadOrCreateJwtSecret(dataDir);
  ASSERT_TRUE(secret) << secret.status().message();
  EXPECT_EQ(secret->size(), 96u);
  EXPECT_EQ(secret->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(modeOf(dataDir + "/jwt.secret"), 0600u);
  EXPECT_EQ(modeOf(dataDir), 0700u);
  auto again = loadOrCreateJwtSecret(dataDir);
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(*again, *secret);
}

TEST(JwtSecret, TwoDataDirectoriesGetDifferentSecrets) {
  TempDir dir;
  auto a = loadOrCreateJwtSecret(dir.file("a"));
  auto b = loadOrCreateJwtSecret(dir.file("b"));
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(JwtSecret, OperatorWrittenFileIsReadWithoutItsLineBreak) {
  TempDir dir;
  const std::string secret(40, 's');
  writeFile(dir.file("jwt.secret"), secret + "\r\n", 0600);
  auto loaded = loadOrCreateJwtSecret(dir.path().string());
  ASSERT_TRUE(loaded) << loaded.status().message();
  EXPECT_EQ(*loaded, secret);
}

TEST(JwtSecret, RefusesFileReadableByOthers) {
  TempDir dir;
  writeFile(dir.file("jwt.secret"), std::string(64, 'a'), 0640);
  auto loaded = loadOrCreateJwtSecret(dir.path().string());
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.status().message().find("jwt.secret"), std::string::npos);
  EXPECT_NE(loaded.status().message().find("chmod 600"), std::string::npos);
}

TEST(JwtSecret, RefusesWeakFileWithoutQuotingIt) {
  TempDir dir;
  writeFile(dir.file("jwt.secret"), "hunter2\n", 0600);
  auto loaded = loadOrCreateJwtSecret(dir.path().string());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(loaded.status().message().find("too short"), std::string::npos);
  EXPECT_EQ(loaded.status().message().find("hunter2"), std::string::npos);
}

TEST(JwtSecret, StrengthNeeds32BytesAndExplainsTheFix) {
  EXPECT_TRUE(checkJwtSecretStrength(std::string(32, 'x')));
  for (const std::string& weak : {std::string(), std::string("changeme"), std::string(31, 'x')}) {
    sdk::Status status = checkJwtSecretStrength(weak);
    ASSERT_FALSE(status) << weak;
    EXPECT_EQ(status.code(), sdk::ErrorCode::kValidation);
    EXPECT_NE(status.message().find("openssl rand -hex 32"), std::string::npos);
    if (!weak.empty()) {
      EXPECT_EQ(status.message().find(weak), std::string::npos);
    }
  }
}

TEST(JwtSecret, EmptyDataDirIsRefused) {
  EXPECT_FALSE(loadOrCreateJwtSecret(""));
}

}  // namespace
}  // namespace chathost::host
