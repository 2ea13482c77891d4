#pragma once
// A throwaway SQLite Database (dedicated writer, as the host runs it) with one table of keys, for
// tests of the write path. The files go when the object does.

#include <unistd.h>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/database.h"
#include "storage/sql_dialect.h"

namespace chathost::host::testing {

class KeyTableDatabase {
 public:
  explicit KeyTableDatabase(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("chathost-" + name + "-" + std::to_string(::getpid()) + ".db")),
        db_(
            sqliteDialect(), [this] { return openSqliteConnection(path_.string(), false); }, 2,
            true) {
    EXPECT_TRUE(db_.write("create",
                          [](SqlConnection& c) {
                            c.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
                            return sdk::Status::ok();
                          })
                    .isOk());
  }
  ~KeyTableDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  KeyTableDatabase(const KeyTableDatabase&) = delete;
  KeyTableDatabase& operator=(const KeyTableDatabase&) = delete;

  Database& db() { return db_; }

  sdk::Status insert(const std::string& key) {
    return db_.write("insert", [&](SqlConnection& c) {
      c.execute("INSERT INTO t (k) VALUES (?)", {key});
      return sdk::Status::ok();
    });
  }
  /// The keys as this thread reads them, sorted.
  std::vector<std::string> keys() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_.read("keys",
                         [&](SqlConnection& c) {
                           for (const auto& r : c.query("SELECT k FROM t ORDER BY k"))
                             out.push_back(r.text(0));
                           return sdk::Status::ok();
                         })
                    .isOk());
    return out;
  }

 private:
  std::filesystem::path path_;
  Database db_;
};

}  // namespace chathost::host::testing
