#include "conversation/send_window.h"

#include <gtest/gtest.h>

using chathost::host::SendWindow;

TEST(SendWindow, AtMostTheLimitInAnyOneSecond) {
  SendWindow window(3);
  EXPECT_EQ(window.acquire("a", 1000), 0);
  EXPECT_EQ(window.acquire("a", 1400), 0);
  EXPECT_EQ(window.acquire("a", 1900), 0);
  EXPECT_EQ(window.acquire("a", 1950), 50) << "the send at 1000 leaves the window at 2000";
  EXPECT_EQ(window.acquire("a", 2000), 0);
  EXPECT_EQ(window.acquire("a", 2100), 300) << "next free when the 1400 send leaves";
}

TEST(SendWindow, NoWindowEverHoldsMoreThanTheLimit) {
  SendWindow window(5);
  std::vector<std::int64_t> sent;
  for (std::int64_t t = 0; t < 5000; t += 7)
    if (window.acquire("a", t) == 0) sent.push_back(t);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    std::size_t inWindow = 0;
    for (std::size_t j = i; j < sent.size() && sent[j] < sent[i] + 1000; ++j) ++inWindow;
    EXPECT_LE(inWindow, 5u) << "window starting at " << sent[i];
  }
  EXPECT_GE(sent.size(), 24u) << "and the limit is used, not undercut";
}

TEST(SendWindow, AccountsAreCountedApart) {
  SendWindow window(1);
  EXPECT_EQ(window.acquire("a", 0), 0);
  EXPECT_EQ(window.acquire("b", 0), 0);
  EXPECT_GT(window.acquire("a", 10), 0);
}

TEST(SendWindow, ARefusedSendIsNotCounted) {
  SendWindow window(1);
  EXPECT_EQ(window.acquire("a", 0), 0);
  EXPECT_EQ(window.acquire("a", 500), 500);
  EXPECT_EQ(window.acquire("a", 1000), 0) << "the refusal at 500 took no place in the window";
}

TEST(SendWindow, ZeroMeansNoLimit) {
  SendWindow window(0);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(window.acquire("a", 0), 0);
}
