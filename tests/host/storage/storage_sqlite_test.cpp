// The conformance suite on SQLite: a fresh database file per test.
#include <filesystem>

#include "secrets/secret_cipher.h"
#include "storage_conformance.h"

namespace chathost::host::testing {
namespace {

const std::filesystem::path& testRoot() {
  static const auto root = std::filesystem::temp_directory_path() /
                           ("chathost-storage-test-" + std::to_string(::getpid()));
  return root;
}

// Removes the databases of this run when the tests are over.
class TempRootCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(testRoot(), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new TempRootCleanup);

StorageOptions sqliteOptions(const std::string& testName) {
  const auto& root = testRoot();
  std::filesystem::create_directories(root);
  StorageOptions o;
  o.backend = "sqlite";
  o.sqlitePath = (root / (testName + ".db")).string();
  o.poolSize = 4;
  return o;
}

Backend sqliteBackend() {
  return {"sqlite", sqliteOptions,
          [](const StorageOptions& o) { return openSqliteConnection(o.sqlitePath, true); }};
}

TEST(SqliteStorageTest, UnwritablePathIsAnError) {
  auto cipher = SecretCipher::fromKey(std::string(32, 'k'));
  ASSERT_TRUE(cipher.isOk());
  StorageOptions o;
  o.sqlitePath = "/proc/no-such-dir/chathost.db";
  auto s = openStorage(o, *cipher);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().code(), sdk::ErrorCode::kUnavailable) << s.status().message();
}

}  // namespace

Backend conformanceBackend() {
  return sqliteBackend();
}

}  // namespace chathost::host::testing
