#include "app/open_file_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>

namespace chathost::host {
namespace {

std::uint64_t softLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

TEST(OpenFileLimit, RaisesTheSoftLimitUpToTheHardOne) {
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  // Start from a low soft limit so there is room to raise it.
  rlimit low = original;
  low.rlim_cur = std::min<rlim_t>(256, original.rlim_max);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const std::uint64_t wanted = 512;
  const std::uint64_t now = raiseOpenFileLimit(wanted);
  const std::uint64_t expected = std::min<std::uint64_t>(wanted, original.rlim_max);
  EXPECT_EQ(now, expected);
  EXPECT_EQ(softLimit(), expected);
  setrlimit(RLIMIT_NOFILE, &original);
}

TEST(OpenFileLimit, NeverLowersIt) {
  const std::uint64_t before = softLimit();
  EXPECT_GE(raiseOpenFileLimit(1), before);
  EXPECT_EQ(softLimit(), before);
}

}  // namespace
}  // namespace chathost::host
