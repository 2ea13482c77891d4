// SQLite through its C API with a cache of prepared statements: the stores run the same few
// dozen statements over and over, and compiling each one per call (as Poco::Data does) was the
// largest cost of processing a webhook event.

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "storage/sql_connection.h"

namespace chathost::host {
namespace {

constexpr std::size_t kMaxCachedStatements = 256;

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, bool synchronousFull) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw SqlError("cannot open the SQLite database '" + path + "': " + why, true);
    }
    sqlite3_busy_timeout(db_, 10000);
    query("PRAGMA journal_mode=WAL", {});
    execute("PRAGMA foreign_keys=ON", {});
    execute(synchronousFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", {});
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  SqlRows query(const std::string& sql, const SqlParams& params) override {
    SqlRows rows;
    run(sql, params, &rows);
    return rows;
  }

  std::int64_t execute(const std::string& sql, const SqlParams& params) override {
    run(sql, params, nullptr);
    return sqlite3_changes64(db_);
  }

  // Transactions only ever wrap writes: take the write lock up front instead of upgrading.
  void begin() override { execute("BEGIN IMMEDIATE", {}); }
  void commit() override { execute("COMMIT", {}); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK", {});
  }
  bool inTransaction() override { return sqlite3_get_autocommit(db_) == 0; }
  bool healthy() override { return !broken_; }

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {  // statements with generated SQL (IN lists)
      for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc);
    cache_.emplace(sql, stmt);
    return stmt;
  }

  void run(const std::string& sql, const SqlParams& params, SqlRows* rows) {
    sqlite3_stmt* stmt = prepared(sql);
    // Reset and unbind on every exit, so the cached statement holds no lock and no pointer.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc;
      if (const auto* text = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text(stmt, index, text->data(), static_cast<int>(text->size()),
                               SQLITE_STATIC);  // `params` outlives the statement's use
      } else {
        rc = sqlite3_bind_int64(stmt, index, std::get<std::int64_t>(params[i]));
      }
      if (rc != SQLITE_OK) fail(rc);
    }
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) fail(rc);
      if (!rows) continue;
      SqlRow row;
      const int columns = sqlite3_column_count(stmt);
      row.cells.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row.cells.emplace_back(
            text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)))
                 : std::string());
      }
      rows->push_back(std::move(row));
    }
  }

  [[noreturn]] void fail(int rc) {
    const int primary = rc & 0xff;
    const bool lost = primary == SQLITE_CANTOPEN || primary == SQLITE_CORRUPT ||
                      primary == SQLITE_NOTADB || primary == SQLITE_IOERR || primary == SQLITE_FULL;
    if (lost) broken_ = true;
    throw SqlError(std::string(sqlite3_errmsg(db_)) + " (SQLite code " + std::to_string(rc) + ")",
                   lost);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool broken_ = false;
};

}  // namespace

std::unique_ptr<SqlConnection> openSqliteConnection(const std::string& path, bool synchronousFull) {
  return std::make_unique<SqliteConnection>(path, synchronousFull);
}

}  // namespace chathost::host
