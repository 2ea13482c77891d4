#pragma once
// Versioned schema migrations, the same logical schema on every backend.

#include <chathost/sdk/status.h>

#include <string>
#include <vector>

namespace chathost::host {

class Database;

/// One schema version: DDL statements run in one transaction. `{ID}` stands for the backend's
/// auto-incremented 64-bit key type.
struct Migration {
  int version = 0;
  std::vector<std::string> statements;
};

/// Every migration, oldest first.
const std::vector<Migration>& schemaMigrations();

/// Applies the migrations not yet recorded in schema_migrations(version, applied_at), each in its
/// own transaction. Idempotent; concurrent hosts on PostgreSQL migrate one at a time.
sdk::Status runMigrations(Database& db);

}  // namespace chathost::host
