#include "storage/sql_dialect.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(SqlDialectTest, NumbersPlaceholdersInOrder) {
  EXPECT_EQ(toNumberedPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
}

TEST(SqlDialectTest, LeavesQuotedQuestionMarksAlone) {
  EXPECT_EQ(toNumberedPlaceholders("SELECT '?', \"a?\" FROM t WHERE x = ? AND y = 'it''s?'"),
            "SELECT '?', \"a?\" FROM t WHERE x = $1 AND y = 'it''s?'");
}

TEST(SqlDialectTest, WithoutPlaceholdersUnchanged) {
  EXPECT_EQ(toNumberedPlaceholders("SELECT 1"), "SELECT 1");
}

TEST(SqlDialectTest, ExpandsAutoIdPerBackend) {
  EXPECT_EQ(expandDdl("CREATE TABLE t (id {ID}, x TEXT)", postgresDialect()),
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, x TEXT)");
  EXPECT_EQ(expandDdl("CREATE TABLE t (id {ID})", sqliteDialect()),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)");
}

TEST(SqlDialectTest, RedactsKeyValuePassword) {
  const std::string dsn = "host=db port=5432 password=s3cr3t user=chathost";
  EXPECT_EQ(redactPassword("connecting with s3cr3t failed", dsn), "connecting with *** failed");
  EXPECT_EQ(redactPassword("bad dsn: " + dsn, dsn), "bad dsn: ***");
}

TEST(SqlDialectTest, RedactsQuotedAndUriPasswords) {
  EXPECT_EQ(redactPassword("x 'p w' y p w", "host=db password='p w'"), "x '***' y ***");
  EXPECT_EQ(redactPassword("auth failed for hunter2", "postgresql://bob:hunter2@db/chathost"),
            "auth failed for ***");
}

TEST(SqlDialectTest, NothingToRedactWithoutPassword) {
  EXPECT_EQ(redactPassword("connection refused", "host=db user=x"), "connection refused");
}

}  // namespace
}  // namespace chathost::host
