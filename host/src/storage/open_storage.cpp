#include <filesystem>

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/sql_agent_store.h"
#include "storage/sql_chat_store.h"
#include "storage/sql_connection_store.h"
#include "storage/sql_inbox_store.h"
#include "storage/storage.h"

namespace chathost::host {

namespace {

class SqlStorage : public Storage {
 public:
  SqlStorage(std::unique_ptr<Database> db, const SecretCipher& cipher)
      : db_(std::move(db)),
        agents_(*db_),
        chats_(*db_),
        connections_(*db_, cipher),
        inbox_(*db_, QueueTable::inbox()),
        outbox_(*db_, QueueTable::outbox()) {}

  AgentStore& agents() override { return agents_; }
  host::ChatStore& chats() override { return chats_; }
  host::ConnectionStore& connections() override { return connections_; }
  InboxStore& inbox() override { return inbox_; }
  InboxStore& outbox() override { return outbox_; }
  sdk::Status ping() override {
    return db_->read("ping", [](SqlConnection& c) {
      c.query("SELECT 1");
      return sdk::Status::ok();
    });
  }
  std::string backendName() const override { return db_->dialect().name; }

 private:
  std::unique_ptr<Database> db_;
  SqlAgentStore agents_;
  SqlChatStore chats_;
  SqlConnectionStore connections_;
  SqlInboxStore inbox_;
  SqlInboxStore outbox_;
};

bool validSchemaName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

sdk::Result<std::unique_ptr<Database>> openDatabase(const StorageOptions& o) {
  if (o.backend == "sqlite") {
    if (o.sqlitePath.empty()) return sdk::Status::validation("storage.sqlite.path is empty");
    std::error_code ec;
    const auto parent = std::filesystem::path(o.sqlitePath).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return sdk::Status::unavailable("cannot create the directory of " + o.sqlitePath + ": " +
                                      ec.message());
    }
    auto path = o.sqlitePath;
    auto full = o.sqliteSynchronousFull;
    return std::make_unique<Database>(
        sqliteDialect(), [path, full] { return openSqliteConnection(path, full); }, o.poolSize,
        true);
  }
  if (o.backend == "postgresql") {
    if (o.postgresDsn.empty()) return sdk::Status::validation("storage.postgresql.dsn is empty");
    if (!o.postgresSchema.empty() && !validSchemaName(o.postgresSchema)) {
      return sdk::Status::validation(
          "the PostgreSQL schema name may hold only letters, digits "
          "and '_'");
    }
    auto dsn = o.postgresDsn;
    auto schema = o.postgresSchema;
    return std::make_unique<Database>(
        postgresDialect(), [dsn, schema] { return openPostgresConnection(dsn, schema); },
        o.poolSize, false);
  }
  return sdk::Status::validation("unknown storage backend '" + o.backend +
                                 "' (expected sqlite or postgresql)");
}

}  // namespace

sdk::Result<std::unique_ptr<Storage>> openStorage(const StorageOptions& options,
                                                  const SecretCipher& cipher) {
  try {
    auto db = openDatabase(options);
    if (!db) return db.status();
    if (!options.postgresSchema.empty() && options.backend == "postgresql") {
      // Hosts starting together race here: IF NOT EXISTS is not atomic, the loser gets a unique
      // violation once the winner commits; a second attempt then finds the schema.
      sdk::Status s;
      for (int attempt = 0; attempt < 2; ++attempt) {
        s = (*db)->write("create schema", [&](SqlConnection& c) {
          c.execute("CREATE SCHEMA IF NOT EXISTS \"" + options.postgresSchema + "\"");
          return sdk::Status::ok();
        });
        if (s.isOk()) break;
      }
      if (!s.isOk()) return s;
    }
    if (sdk::Status s = runMigrations(**db); !s.isOk()) return s;
    if (options.backend == "sqlite") {
      // One process uses a SQLite database: claims found now were left by a previous run that
      // died (kill -9, power loss). Its events run again at once instead of after their lease.
      sdk::Status s = (*db)->write("release the claims of a previous run", [](SqlConnection& c) {
        for (const char* table : {"inbox", "outbox"})
          c.execute(std::string("UPDATE ") + table +
                    " SET status = 'pending', claimed_by = '', lease_until = 0"
                    " WHERE status = 'claimed'");
        return sdk::Status::ok();
      });
      if (!s.isOk()) return s;
    }
    // Connection secrets sealed before their aad named the subaccount: re-sealed now, so that no
    // read ever needs the legacy aad (which would open another tenant's copied ciphertext).
    if (auto resealed = resealLegacyConnectionSecrets(**db, cipher); !resealed) {
      return resealed.status();
    }
    return std::unique_ptr<Storage>(std::make_unique<SqlStorage>(std::move(db.value()), cipher));
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("cannot open storage: ") + e.what());
  }
}

}  // namespace chathost::host
