#pragma once
// What differs between the SQL backends, as data: the stores share one implementation.

#include <string>

namespace chathost::host {

enum class SqlBackend { kSqlite, kPostgres };

struct SqlDialect {
  SqlBackend backend = SqlBackend::kSqlite;
  /// "sqlite" | "postgresql"
  std::string name;
  /// Column type of an auto-incremented 64-bit primary key.
  std::string autoIdType;
  /// Appended to a SELECT that picks rows to update so concurrent hosts skip each other's rows.
  std::string lockSkipLocked;
  /// Run first in a migration transaction so concurrent hosts migrate one at a time ("" = none).
  std::string migrationLock;
  /// Whether statements take `$1..$n` instead of `?`.
  bool numberedPlaceholders = false;
};

const SqlDialect& sqliteDialect();
const SqlDialect& postgresDialect();

/// Rewrites `?` placeholders as `$1..$n`, leaving quoted literals and identifiers untouched.
std::string toNumberedPlaceholders(const std::string& sql);

/// Expands `{ID}` in DDL to the dialect's auto-increment key type.
std::string expandDdl(const std::string& ddl, const SqlDialect& dialect);

/// `message` with the password of `dsn` (libpq key/value `password=...` or URI
/// `scheme://user:password@host`) and the whole DSN replaced by "***", so errors can be shown.
std::string redactPassword(const std::string& message, const std::string& dsn);

}  // namespace chathost::host
