// A background action repeated every interval on its own thread, stopped by destruction.
#include "common/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using chathost::host::PeriodicTask;
using namespace std::chrono_literals;

namespace {

// Polls `condition` until it holds or 10 s pass; returns its last value.
template <typename F>
bool eventually(F condition) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return condition();
}

}  // namespace

TEST(PeriodicTask, RunsRepeatedlyOnAThreadOfItsOwn) {
  std::atomic<int> runs{0};
  std::atomic<bool> onCallersThread{false};
  const auto caller = std::this_thread::get_id();
  PeriodicTask task(
      1ms,
      [&] {
        if (std::this_thread::get_id() == caller) onCallersThread = true;
        ++runs;
      },
      "test-task");
  EXPECT_TRUE(eventually([&] { return runs >= 3; })) << runs;
  EXPECT_FALSE(onCallersThread);
}

TEST(PeriodicTask, NothingRunsAfterItIsDestroyed) {
  std::atomic<int> runs{0};
  auto task = std::make_unique<PeriodicTask>(
      1ms, [&] { ++runs; }, "test-task");
  ASSERT_TRUE(eventually([&] { return runs >= 2; }));
  task.reset();
  const int atDestruction = runs;
  // Another task's runs give a stray thread of the first every chance to run again.
  std::atomic<int> otherRuns{0};
  PeriodicTask other(
      1ms, [&] { ++otherRuns; }, "test-other");
  ASSERT_TRUE(eventually([&] { return otherRuns >= 5; }));
  EXPECT_EQ(runs, atDestruction);
}

TEST(PeriodicTask, TheFirstRunComesOneIntervalLaterAndDestructionDoesNotWaitForIt) {
  std::atomic<int> runs{0};
  const auto began = std::chrono::steady_clock::now();
  {
    PeriodicTask task(
        std::chrono::hours(1), [&] { ++runs; }, "test-task");
  }
  EXPECT_EQ(runs, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
}

TEST(PeriodicTask, DestructionWaitsForARunInProgress) {
  std::atomic<bool> running{false};
  std::atomic<bool> release{false};
  std::atomic<bool> finished{false};
  std::atomic<int> runs{0};
  auto task = std::make_unique<PeriodicTask>(
      1ms,
      [&] {
        if (++runs > 1) return;
        running = true;
        while (!release) std::this_thread::sleep_for(1ms);
        finished = true;
      },
      "test-task");
  if (!eventually([&] { return running.load(); })) {
    release = true;
    FAIL() << "the first run never came";
  }
  std::atomic<bool> destroyed{false};
  std::thread destroyer([&] {
    task.reset();
    destroyed = true;
  });
  // The run holds the destructor: it cannot return while the run goes on.
  EXPECT_FALSE(destroyed);
  EXPECT_FALSE(finished);
  release = true;
  destroyer.join();
  EXPECT_TRUE(finished) << "the destructor returned only after the run ended";
}
