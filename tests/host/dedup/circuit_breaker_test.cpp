#include "dedup/circuit_breaker.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(CircuitBreaker, ClosedUntilAFailureThenOpenForTheWindow) {
  std::int64_t now = 0;
  CircuitBreaker breaker(1000, [&] { return now; });
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
  breaker.recordFailure();
  EXPECT_TRUE(breaker.isOpen());
  EXPECT_FALSE(breaker.allow());
  now = 999;
  EXPECT_FALSE(breaker.allow());
  now = 1000;
  EXPECT_TRUE(breaker.allow());   // the probe
  EXPECT_FALSE(breaker.allow());  // only one probe at a time
  breaker.recordSuccess();
  EXPECT_FALSE(breaker.isOpen());
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, AFailedProbeReopens) {
  std::int64_t now = 5000;
  CircuitBreaker breaker(200, [&] { return now; });
  breaker.recordFailure();
  now += 200;
  ASSERT_TRUE(breaker.allow());
  breaker.recordFailure();
  EXPECT_FALSE(breaker.allow());
  now += 199;
  EXPECT_FALSE(breaker.allow());
  now += 1;
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, AProbeThatNeverReportsIsReplaced) {
  std::int64_t now = 0;
  CircuitBreaker breaker(100, [&] { return now; });
  breaker.recordFailure();
  now = 100;
  ASSERT_TRUE(breaker.allow());
  now = 150;
  EXPECT_FALSE(breaker.allow());
  now = 200;
  EXPECT_TRUE(breaker.allow());
}

}  // namespace
}  // namespace chathost::host
