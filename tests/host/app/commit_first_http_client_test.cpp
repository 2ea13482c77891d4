// A request leaves only after the calling worker's deferred writes are committed.
#include "app/commit_first_http_client.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <thread>

#include "storage/database.h"
#include "storage/sql_dialect.h"
#include "storage/storage.h"

namespace chathost::host {
namespace {

using sdk::testing::FakeHttpClient;

class CommitFirstHttpClientTest : public ::testing::Test {
 protected:
  CommitFirstHttpClientTest()
      : path_(std::filesystem::temp_directory_path() /
              ("chathost-commit-first-" + std::to_string(::getpid()) + ".db")),
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
  ~CommitFirstHttpClientTest() override {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  // Read on a pooled connection, as another thread would: it sees committed rows only.
  int committedRows() {
    int n = -1;
    std::thread reader([&] {
      EXPECT_TRUE(db_.read("count",
                           [&](SqlConnection& c) {
                             n = static_cast<int>(c.query("SELECT COUNT(*) FROM t")[0].integer(0));
                             return sdk::Status::ok();
                           })
                      .isOk());
    });
    reader.join();
    return n;
  }

  std::filesystem::path path_;
  Database db_;
  FakeHttpClient inner_;
  CommitFirstHttpClient client_{inner_};
};

TEST_F(CommitFirstHttpClientTest, DeferredWritesAreCommittedBeforeTheRequestLeaves) {
  int seenBySend = -1;
  inner_.on(sdk::Method::kPost, "http://graph.test/messages",
            [&](const sdk::HttpRequest&) -> sdk::Result<sdk::HttpResponse> {
              seenBySend = committedRows();
              return FakeHttpClient::json(200, "{}");
            });
  DeferredCommitScope deferred;
  ASSERT_TRUE(db_.write("pending reply",
                        [](SqlConnection& c) {
                          c.execute("INSERT INTO t (k) VALUES (?)", {std::string("reply:1")});
                          return sdk::Status::ok();
                        })
                  .isOk());
  EXPECT_EQ(committedRows(), 0) << "deferred until something needs it";
  sdk::HttpRequest request;
  request.method = sdk::Method::kPost;
  request.url = "http://graph.test/messages";
  ASSERT_TRUE(client_.send(request).isOk());
  EXPECT_EQ(seenBySend, 1);
}

TEST_F(CommitFirstHttpClientTest, AGetDoesNotWaitForACommit) {
  inner_.on(sdk::Method::kGet, "http://graph.test/me", FakeHttpClient::json(200, "{}"));
  DeferredCommitScope deferred;
  ASSERT_TRUE(db_.write("chat",
                        [](SqlConnection& c) {
                          c.execute("INSERT INTO t (k) VALUES (?)", {std::string("chat:1")});
                          return sdk::Status::ok();
                        })
                  .isOk());
  sdk::HttpRequest request;
  request.method = sdk::Method::kGet;
  request.url = "http://graph.test/me";
  EXPECT_TRUE(client_.send(request).isOk());
  EXPECT_EQ(committedRows(), 0);
}

}  // namespace
}  // namespace chathost::host
