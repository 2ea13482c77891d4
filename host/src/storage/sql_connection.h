#pragma once
// One database connection seen as plain SQL in, rows of text out. No database library types here:
// the stores include this header. Failures throw SqlError; the Database turns them into Status.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace chathost::host {

struct SqlDialect;

/// A failed statement. `connectionLost` when the database could not be reached at all.
class SqlError : public std::runtime_error {
 public:
  SqlError(const std::string& what, bool connectionLost)
      : std::runtime_error(what), connectionLost_(connectionLost) {}
  bool connectionLost() const { return connectionLost_; }

 private:
  bool connectionLost_;
};

using SqlParam = std::variant<std::string, std::int64_t>;
using SqlParams = std::vector<SqlParam>;

/// One result row; every cell as text (NULL reads as "").
struct SqlRow {
  std::vector<std::string> cells;
  const std::string& text(std::size_t column) const { return cells.at(column); }
  std::int64_t integer(std::size_t column) const;
};
using SqlRows = std::vector<SqlRow>;

/// Not thread-safe: one user at a time (the Database hands connections out exclusively).
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  /// Statements use `?` placeholders whatever the backend.
  virtual SqlRows query(const std::string& sql, const SqlParams& params = {}) = 0;
  /// Returns the number of rows changed.
  virtual std::int64_t execute(const std::string& sql, const SqlParams& params = {}) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  /// Whether a transaction is open on the server side (an error may have ended it).
  virtual bool inTransaction() = 0;
  /// False once the connection is broken; the pool then replaces it.
  virtual bool healthy() = 0;
};

/// Opens a SQLite connection on `path` in WAL mode with foreign keys and a busy timeout.
std::unique_ptr<SqlConnection> openSqliteConnection(const std::string& path, bool synchronousFull);
/// Opens a PostgreSQL connection; a non-empty `schema` becomes its search_path.
std::unique_ptr<SqlConnection> openPostgresConnection(const std::string& dsn,
                                                      const std::string& schema);

}  // namespace chathost::host
