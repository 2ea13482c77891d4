// The shutdown helper that abandons agent calls when the grace period ends.
#include "app/deadline_trigger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

template <typename F>
bool eventually(F condition) {
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return condition();
}

TEST(DeadlineTrigger, RunsTheActionAtTheDeadline) {
  std::atomic<bool> ran{false};
  Clock::time_point ranAt;
  const auto deadline = Clock::now() + 100ms;
  DeadlineTrigger trigger(deadline, [&] {
    ranAt = Clock::now();
    ran = true;
  });
  ASSERT_TRUE(eventually([&] { return ran.load(); }));
  EXPECT_GE(ranAt, deadline);
  EXPECT_TRUE(trigger.fired());
}

TEST(DeadlineTrigger, APastDeadlineRunsAtOnce) {
  std::atomic<bool> ran{false};
  DeadlineTrigger trigger(Clock::now() - 1s, [&] { ran = true; });
  EXPECT_TRUE(eventually([&] { return ran.load(); }));
}

TEST(DeadlineTrigger, DestroyedBeforeTheDeadlineItNeverRuns) {
  std::atomic<bool> ran{false};
  const auto start = Clock::now();
  {
    DeadlineTrigger trigger(Clock::now() + 1h, [&] { ran = true; });
  }
  EXPECT_LT(Clock::now() - start, 1s) << "the destructor waited for the deadline";
  EXPECT_FALSE(ran.load());
}

TEST(DeadlineTrigger, TheDestructorWaitsForARunningAction) {
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  {
    DeadlineTrigger trigger(Clock::now(), [&] {
      started = true;
      std::this_thread::sleep_for(50ms);  // an action that takes a while (the subject here)
      finished = true;
    });
    ASSERT_TRUE(eventually([&] { return started.load(); }));
  }
  EXPECT_TRUE(finished.load()) << "the action outlived its trigger";
}

}  // namespace
}  // namespace chathost::host
