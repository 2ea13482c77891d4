#include "conversation/send_pacer.h"

#include <gtest/gtest.h>

using chathost::host::SendPacer;

TEST(SendPacer, AnIdleAccountsReplyIsDueAtOnce) {
  SendPacer pacer(10);
  EXPECT_EQ(pacer.nextSlot("a", 5000), 5000);
  EXPECT_EQ(pacer.nextSlot("b", 5000), 5000);
}

TEST(SendPacer, ABusyAccountsRepliesAreSpacedByTheRate) {
  SendPacer pacer(4);  // one every 250 ms
  EXPECT_EQ(pacer.nextSlot("a", 1000), 1000);
  EXPECT_EQ(pacer.nextSlot("a", 1000), 1250);
  EXPECT_EQ(pacer.nextSlot("a", 1010), 1500);
  EXPECT_EQ(pacer.nextSlot("a", 3000), 3000) << "an idle gap is not banked";
}

TEST(SendPacer, SlotsOfOneSecondNeverExceedTheRate) {
  SendPacer pacer(100);
  std::vector<std::int64_t> slots;
  for (int i = 0; i < 1000; ++i) slots.push_back(pacer.nextSlot("a", 0));
  for (std::size_t i = 0; i + 100 < slots.size(); ++i)
    EXPECT_GE(slots[i + 100], slots[i] + 1000) << i;
  EXPECT_LE(slots.back(), 10000);
}

TEST(SendPacer, ZeroMeansDueAtOnce) {
  SendPacer pacer(0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(pacer.nextSlot("a", 7), 7);
}
