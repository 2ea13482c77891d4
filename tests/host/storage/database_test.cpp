// The SQLite writer's group commit: writes that wait together commit together, and each one that
// fails is undone alone.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "key_table_database.h"
#include "storage/storage.h"

namespace chathost::host {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  sdk::Status insert(const std::string& key) { return table_.insert(key); }
  std::vector<std::string> keys() { return table_.keys(); }

  testing::KeyTableDatabase table_{"database-test"};
  Database& db_ = table_.db();
};

TEST_F(DatabaseTest, WritesWaitingTogetherCommitTogetherAndFailAlone) {
  ASSERT_TRUE(insert("taken").isOk());
  // The first write holds the writer until three others wait behind it: they form one group.
  std::mutex m;
  std::condition_variable cv;
  bool inside = false;
  bool release = false;
  std::thread first([&] {
    EXPECT_TRUE(db_.write("first",
                          [&](SqlConnection& c) {
                            c.execute("INSERT INTO t (k) VALUES (?)", {std::string("first")});
                            std::unique_lock lock(m);
                            inside = true;
                            cv.notify_all();
                            cv.wait(lock, [&] { return release; });
                            return sdk::Status::ok();
                          })
                    .isOk());
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return inside; });
  }
  sdk::Status ok, refused, duplicate;
  std::thread a([&] { ok = insert("ok"); });
  std::thread b([&] {
    refused = db_.write("refused", [](SqlConnection& c) {
      c.execute("INSERT INTO t (k) VALUES (?)", {std::string("undone")});
      return sdk::Status::validation("changed my mind");
    });
  });
  std::thread d([&] { duplicate = insert("taken"); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (db_.writesWaiting() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(db_.writesWaiting(), 3u);
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  for (auto* t : {&first, &a, &b, &d}) t->join();

  EXPECT_TRUE(ok.isOk()) << ok.message();
  EXPECT_EQ(refused.code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(duplicate.code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(duplicate.message().find("UNIQUE"), std::string::npos) << duplicate.message();
  EXPECT_EQ(keys(), (std::vector<std::string>{"first", "ok", "taken"}));
}

TEST_F(DatabaseTest, ManyConcurrentWritersAllCommit) {
  std::vector<std::thread> threads;
  std::vector<sdk::Status> results(16);
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20 && results[t].isOk(); ++i)
        results[t] = insert(std::to_string(t) + "-" + std::to_string(i));
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.isOk()) << r.message();
  EXPECT_EQ(keys().size(), 16u * 20u);
}

TEST_F(DatabaseTest, DeferredWritesAreSeenByTheirThreadAndCommittedByTheNextWrite) {
  {
    DeferredCommitScope deferred;
    ASSERT_TRUE(insert("deferred").isOk());
    EXPECT_EQ(keys(), std::vector<std::string>{"deferred"}) << "its own thread reads the writer";
  }
  EXPECT_TRUE(keys().empty()) << "other readers see it only once committed";
  ASSERT_TRUE(insert("durable").isOk());
  EXPECT_EQ(keys(), (std::vector<std::string>{"deferred", "durable"}));
  EXPECT_EQ(db_.lostTransactions(), 0u);
}

TEST_F(DatabaseTest, ALostTransactionWithDeferredWritesIsCounted) {
  {
    DeferredCommitScope deferred;
    ASSERT_TRUE(insert("deferred").isOk());
  }
  auto failed = db_.write(
      "failing", [](SqlConnection&) -> sdk::Status { throw SqlError("disk I/O error", true); });
  EXPECT_EQ(failed.code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(db_.lostTransactions(), 1u);
  EXPECT_TRUE(keys().empty());
  ASSERT_TRUE(insert("after").isOk());
  EXPECT_EQ(keys(), std::vector<std::string>{"after"});
}

}  // namespace
}  // namespace chathost::host
