// The conformance suite on PostgreSQL (the `postgres` CTest fixture): a fresh schema per test.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "secrets/secret_cipher.h"
#include "storage/database.h"
#include "storage/sql_dialect.h"
#include "storage/sql_inbox_store.h"
#include "storage_conformance.h"

#include <chrono>
#include <future>

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

// The claimer renews the leases of the events its workers hold; should that wait behind workers
// that hold every pooled connection, the leases would run out and another host would take live
// events over. Renewals have a connection of their own.
TEST(PostgresStorageTest, LeaseRenewalsDoNotWaitForTheConnectionPool) {
  auto cipher = SecretCipher::fromKey(std::string(32, 'k'));
  ASSERT_TRUE(cipher.isOk());
  const StorageOptions o = postgresOptions("lease_renewal");
  auto storage = openStorage(o, *cipher);  // the schema and its tables
  ASSERT_TRUE(storage.isOk()) << storage.status().message();

  Database db(
      postgresDialect(), [&] { return openPostgresConnection(o.postgresDsn, o.postgresSchema); }, 1,
      false);
  SqlInboxStore inbox(db, QueueTable::inbox());
  host::NewInboxEvent e{"instagram", "sub1", "a1", "k", "mid:1", "message", 1, "{}"};
  ASSERT_TRUE(inbox.append({e}).isOk());
  auto claimed = inbox.claim("host-a", 1, 60000);
  ASSERT_TRUE(claimed.isOk() && claimed->size() == 1u);

  // A worker holds the pool's only connection.
  std::promise<void> release;
  std::promise<void> holding;
  auto worker = std::async(std::launch::async, [&] {
    return db.write("a long worker write", [&](SqlConnection&) {
      holding.set_value();
      release.get_future().wait();
      return sdk::Status::ok();
    });
  });
  holding.get_future().wait();
  auto renewal = std::async(
      std::launch::async, [&] { return inbox.extendLeases("host-a", {claimed->at(0).id}, 90000); });
  const bool renewedWhileHeld =
      renewal.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  release.set_value();
  EXPECT_TRUE(worker.get().isOk());
  ASSERT_TRUE(renewedWhileHeld) << "the renewal waited for the pool";
  EXPECT_TRUE(renewal.get().isOk());
}

}  // namespace

Backend conformanceBackend() {
  return postgresBackend();
}

}  // namespace chathost::host::testing
