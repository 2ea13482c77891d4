#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

namespace chathost::host {
namespace {

using Committer = GroupCommitter<int>;

// Polls `cond` until it holds or 5 s pass.
template <typename F>
bool eventually(F cond) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(GroupCommitTest, SingleCallerCommitsItsItem) {
  std::vector<int> seen;
  Committer c([&](const std::vector<const int*>& items) {
    for (const int* i : items) seen.push_back(*i);
    return sdk::Status::ok();
  });
  int item = 7;
  EXPECT_TRUE(c.submit(item).isOk());
  EXPECT_EQ(seen, std::vector<int>{7});
  EXPECT_EQ(c.groupsCommitted(), 1u);
}

// While one commit runs, later callers queue up and share the next commit; its error reaches
// every one of them.
TEST(GroupCommitTest, WaitingCallersShareOneCommitAndItsError) {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::size_t> groupSizes;
  Committer c([&](const std::vector<const int*>& items) {
    std::unique_lock lock(m);
    groupSizes.push_back(items.size());
    if (groupSizes.size() == 1) {
      cv.wait(lock, [&] { return release; });
      return sdk::Status::ok();
    }
    return sdk::Status::internal("disk full");
  });

  int first = 0;
  sdk::Status firstStatus;
  std::thread leader([&] { firstStatus = c.submit(first); });
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return groupSizes.size() == 1;
  }));

  constexpr int kFollowers = 5;
  std::vector<int> items(kFollowers);
  std::vector<sdk::Status> statuses(kFollowers);
  std::vector<std::thread> followers;
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] { statuses[i] = c.submit(items[i]); });
  }
  ASSERT_TRUE(eventually([&] { return c.queued() == kFollowers; }));
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  leader.join();
  for (auto& t : followers) t.join();

  EXPECT_TRUE(firstStatus.isOk());
  ASSERT_EQ(groupSizes.size(), 2u);
  EXPECT_EQ(groupSizes[1], static_cast<std::size_t>(kFollowers));
  for (const auto& s : statuses) {
    EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
    EXPECT_EQ(s.message(), "disk full");
  }
  EXPECT_EQ(c.groupsCommitted(), 2u);
}

TEST(GroupCommitTest, ExceptionInCommitBecomesAnError) {
  Committer c(
      [](const std::vector<const int*>&) -> sdk::Status { throw std::runtime_error("boom"); });
  int item = 1;
  sdk::Status s = c.submit(item);
  EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(s.message().find("boom"), std::string::npos);
}

TEST(GroupCommitTest, ManyThreadsAllCommitted) {
  std::atomic<int> committed{0};
  Committer c([&](const std::vector<const int*>& items) {
    committed += static_cast<int>(items.size());
    return sdk::Status::ok();
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        int item = i;
        EXPECT_TRUE(c.submit(item).isOk());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), 1600);
}

}  // namespace
}  // namespace chathost::host
