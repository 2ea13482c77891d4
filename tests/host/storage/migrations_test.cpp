#include "storage/migrations.h"
#include "storage/sql_dialect.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(MigrationStatements, SharedStatementsRunFirstThenTheBackendsOwn) {
  Migration m{7, {"CREATE TABLE t (id {ID})"}, {"sqlite only"}, {"postgres only"}};
  EXPECT_EQ(migrationStatements(m, sqliteDialect()),
            (std::vector<std::string>{"CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)",
                                      "sqlite only"}));
  EXPECT_EQ(
      migrationStatements(m, postgresDialect()),
      (std::vector<std::string>{"CREATE TABLE t (id BIGSERIAL PRIMARY KEY)", "postgres only"}));
}

TEST(MigrationStatements, VersionsAscendWithoutGaps) {
  int expected = 1;
  for (const Migration& m : schemaMigrations()) EXPECT_EQ(m.version, expected++);
}

}  // namespace
}  // namespace chathost::host
