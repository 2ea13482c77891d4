#pragma once
// Versioned schema migrations, the same logical schema on every backend.

#include <chathost/sdk/status.h>

#include <string>
#include <vector>

namespace chathost::host {

class Database;
struct SqlDialect;

/// One schema version: DDL statements run in one transaction. `{ID}` stands for the backend's
/// auto-incremented 64-bit key type. Where the backends need different DDL (SQLite cannot alter
/// a key in place), the backend's own list runs after the shared one.
struct Migration {
  int version = 0;
  std::vector<std::string> statements;
  std::vector<std::string> sqliteStatements;
  std::vector<std::string> postgresStatements;
};

/// Every migration, oldest first.
const std::vector<Migration>& schemaMigrations();

/// The statements `m` runs on `backend`, `{ID}` expanded.
std::vector<std::string> migrationStatements(const Migration& m, const SqlDialect& dialect);

/// Applies the migrations not yet recorded in schema_migrations(version, applied_at), each in its
/// own transaction. Idempotent; concurrent hosts on PostgreSQL migrate one at a time.
sdk::Status runMigrations(Database& db);

}  // namespace chathost::host
