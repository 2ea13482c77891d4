#include "conversation/rate_limiter.h"

#include <gtest/gtest.h>

using chathost::host::RateLimiter;

TEST(RateLimiter, ABurstUpToTheRateThenTheWaitForTheNextToken) {
  RateLimiter limiter(2);
  EXPECT_EQ(limiter.acquire("a", 1000), 0);
  EXPECT_EQ(limiter.acquire("a", 1000), 0);
  EXPECT_EQ(limiter.acquire("a", 1000), 500);
  EXPECT_EQ(limiter.acquire("a", 1250), 250);  // half a token back, none taken
  EXPECT_EQ(limiter.acquire("a", 1500), 0);
}

TEST(RateLimiter, AccountsHaveTheirOwnBuckets) {
  RateLimiter limiter(1);
  EXPECT_EQ(limiter.acquire("a", 0), 0);
  EXPECT_GT(limiter.acquire("a", 0), 0);
  EXPECT_EQ(limiter.acquire("b", 0), 0);
}

TEST(RateLimiter, IdleTimeNeverBanksMoreThanOneSecondOfTokens) {
  RateLimiter limiter(2);
  EXPECT_EQ(limiter.acquire("a", 0), 0);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(limiter.acquire("a", 60000), 0);
  EXPECT_GT(limiter.acquire("a", 60000), 0);
}

TEST(RateLimiter, ARateOfZeroMeansNoLimit) {
  RateLimiter limiter(0);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.acquire("a", 0), 0);
}
