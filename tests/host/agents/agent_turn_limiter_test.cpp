// The per-agent bound on turns running at once (agents.max_concurrent_per_agent).
#include "agents/agent_turn_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

TEST(AgentTurnLimiter, RefusesTheTurnOverTheLimitOfThatAgentOnly) {
  AgentTurnLimiter limiter(2);
  auto a = limiter.tryAcquire("sub1", "bot");
  auto b = limiter.tryAcquire("sub1", "bot");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_FALSE(limiter.tryAcquire("sub1", "bot"));
  EXPECT_EQ(limiter.running("sub1", "bot"), 2);
  // Agent ids repeat across subaccounts: another tenant's "bot" is another agent.
  EXPECT_TRUE(limiter.tryAcquire("sub2", "bot"));
  EXPECT_TRUE(limiter.tryAcquire("sub1", "other"));
  // Names are not concatenated into one key.
  EXPECT_TRUE(limiter.tryAcquire("sub1b", "ot"));
  EXPECT_TRUE(limiter.tryAcquire("sub", "1bot"));
}

TEST(AgentTurnLimiter, ASlotIsGivenBackWhenItGoes) {
  AgentTurnLimiter limiter(1);
  {
    auto slot = limiter.tryAcquire("s", "a");
    ASSERT_TRUE(slot);
    EXPECT_FALSE(limiter.tryAcquire("s", "a"));
  }
  EXPECT_EQ(limiter.running("s", "a"), 0);
  auto again = limiter.tryAcquire("s", "a");
  EXPECT_TRUE(again);
}

TEST(AgentTurnLimiter, AnExceptionGivesTheSlotBack) {
  AgentTurnLimiter limiter(1);
  try {
    auto slot = limiter.tryAcquire("s", "a");
    ASSERT_TRUE(slot);
    throw std::runtime_error("turn failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(limiter.running("s", "a"), 0);
  EXPECT_TRUE(limiter.tryAcquire("s", "a"));
}

TEST(AgentTurnLimiter, MovingASlotKeepsOneCountAndAssigningReleasesTheOldOne) {
  AgentTurnLimiter limiter(2);
  auto first = limiter.tryAcquire("s", "a");
  AgentTurnLimiter::Slot moved(std::move(first));
  EXPECT_FALSE(first);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(moved);
  EXPECT_EQ(limiter.running("s", "a"), 1);
  auto second = limiter.tryAcquire("s", "a");
  moved = std::move(second);  // the first slot goes
  EXPECT_EQ(limiter.running("s", "a"), 1);
  moved = AgentTurnLimiter::Slot();
  EXPECT_EQ(limiter.running("s", "a"), 0);
}

TEST(AgentTurnLimiter, ALimitBelowOneCountsAsOne) {
  AgentTurnLimiter limiter(0);
  EXPECT_EQ(limiter.maxPerAgent(), 1);
  auto slot = limiter.tryAcquire("s", "a");
  EXPECT_TRUE(slot);
  EXPECT_FALSE(limiter.tryAcquire("s", "a"));
}

TEST(AgentTurnLimiter, ConcurrentTurnsNeverExceedTheLimit) {
  AgentTurnLimiter limiter(3);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = limiter.tryAcquire("s", "a");
        if (!slot) {
          ++refused;
          continue;
        }
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(limiter.running("s", "a"), 0);
}

}  // namespace
}  // namespace chathost::host
