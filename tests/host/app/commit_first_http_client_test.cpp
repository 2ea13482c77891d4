// A request leaves only after the calling worker's deferred writes are committed.
#include "app/commit_first_http_client.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <thread>

#include "../storage/key_table_database.h"
#include "storage/storage.h"

namespace chathost::host {
namespace {

using sdk::testing::FakeHttpClient;

sdk::HttpRequest request(sdk::Method method, const std::string& url) {
  sdk::HttpRequest r;
  r.method = method;
  r.url = url;
  return r;
}

class CommitFirstHttpClientTest : public ::testing::Test {
 protected:
  // Read on a pooled connection, as another thread would: it sees committed rows only.
  std::size_t committedRows() {
    std::size_t n = 0;
    std::thread reader([&] { n = table_.keys().size(); });
    reader.join();
    return n;
  }

  testing::KeyTableDatabase table_{"commit-first"};
  FakeHttpClient inner_;
  CommitFirstHttpClient client_{inner_};
};

TEST_F(CommitFirstHttpClientTest, DeferredWritesAreCommittedBeforeTheRequestLeaves) {
  std::size_t seenBySend = 0;
  inner_.on(sdk::Method::kPost, "http://graph.test/messages",
            [&](const sdk::HttpRequest&) -> sdk::Result<sdk::HttpResponse> {
              seenBySend = committedRows();
              return FakeHttpClient::json(200, "{}");
            });
  DeferredCommitScope deferred;
  ASSERT_TRUE(table_.insert("reply:1").isOk());
  EXPECT_EQ(committedRows(), 0u) << "deferred until something needs it";
  ASSERT_TRUE(client_.send(request(sdk::Method::kPost, "http://graph.test/messages")).isOk());
  EXPECT_EQ(seenBySend, 1u);
}

TEST_F(CommitFirstHttpClientTest, AGetDoesNotWaitForACommit) {
  inner_.on(sdk::Method::kGet, "http://graph.test/me", FakeHttpClient::json(200, "{}"));
  DeferredCommitScope deferred;
  ASSERT_TRUE(table_.insert("chat:1").isOk());
  EXPECT_TRUE(client_.send(request(sdk::Method::kGet, "http://graph.test/me")).isOk());
  EXPECT_EQ(committedRows(), 0u);
}

}  // namespace
}  // namespace chathost::host
