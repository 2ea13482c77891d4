// The conformance suite on PostgreSQL (the `postgres` CTest fixture): a fresh schema per test.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "secrets/secret_cipher.h"
#include "storage_conformance.h"

namespace chathost::host::testing {
namespace {

std::string postgresDsn() {
  const char* dir = std::getenv("CHATHOST_TEST_SERVICES");
  if (dir == nullptr) throw std::runtime_error("CHATHOST_TEST_SERVICES is not set");
  std::ifstream in(std::string(dir) + "/postgres.dsn");
  std::string dsn;
  std::getline(in, dsn);
  if (dsn.empty()) throw std::runtime_error(std::string("no postgres.dsn in ") + dir);
  return dsn;
}

StorageOptions postgresOptions(const std::string& testName) {
  StorageOptions o;
  o.backend = "postgresql";
  o.postgresDsn = postgresDsn();
  // Unique per process and test: runs of the suite never see each other's tables.
  std::string schema = "t" + std::to_string(::getpid()) + "_" + testName;
  for (char& c : schema) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  o.postgresSchema = schema.substr(0, 63);
  o.poolSize = 4;
  return o;
}

Backend postgresBackend() {
  return {"postgresql", postgresOptions, [](const StorageOptions& o) {
            return openPostgresConnection(o.postgresDsn, o.postgresSchema);
          }};
}

TEST(PostgresStorageTest, UnreachableServerIsUnavailableWithoutLeakingThePassword) {
  auto cipher = SecretCipher::fromKey(std::string(32, 'k'));
  ASSERT_TRUE(cipher.isOk());
  StorageOptions o;
  o.backend = "postgresql";
  o.postgresDsn =
      "host=127.0.0.1 port=1 dbname=x user=postgres password=topsecret connect_timeout=2";
  auto s = openStorage(o, *cipher);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(s.status().message().find("topsecret"), std::string::npos) << s.status().message();
}

TEST(PostgresStorageTest, RejectsAnUnsafeSchemaName) {
  auto cipher = SecretCipher::fromKey(std::string(32, 'k'));
  ASSERT_TRUE(cipher.isOk());
  StorageOptions o = postgresOptions("x");
  o.postgresSchema = "a\"; DROP SCHEMA public; --";
  auto s = openStorage(o, *cipher);
  EXPECT_EQ(s.status().code(), sdk::ErrorCode::kValidation);
}

}  // namespace

Backend conformanceBackend() {
  return postgresBackend();
}

}  // namespace chathost::host::testing
