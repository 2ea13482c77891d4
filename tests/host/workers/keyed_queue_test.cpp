#include "workers/keyed_queue.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

host::InboxEvent ev(std::int64_t id, const std::string& key) {
  host::InboxEvent e;
  e.id = id;
  e.event.orderingKey = key;
  return e;
}

TEST(KeyedQueue, OneEventPerKeyAtATimeInPushOrder) {
  KeyedQueue q;
  ASSERT_TRUE(q.push(ev(1, "a")));
  ASSERT_TRUE(q.push(ev(2, "a")));
  ASSERT_TRUE(q.push(ev(3, "b")));
  EXPECT_EQ(q.waiting(), 3u);
  auto first = q.take();
  auto second = q.take();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->id, 1);
  EXPECT_EQ(second->id, 3);
  EXPECT_FALSE(q.take()) << "key a is busy";
  q.finish(*first);
  auto third = q.take();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->id, 2);
  EXPECT_EQ(q.waiting(), 0u);
}

TEST(KeyedQueue, EventsWithoutKeyAreIndependentAndDuplicatesAreIgnored) {
  KeyedQueue q;
  ASSERT_TRUE(q.push(ev(1, "")));
  ASSERT_TRUE(q.push(ev(2, "")));
  EXPECT_FALSE(q.push(ev(1, "")));
  auto first = q.take();
  ASSERT_TRUE(first && q.take());
  // Handed out again while it runs (marked for retry, claimed at once): waits for its own end.
  EXPECT_TRUE(q.push(ev(1, "")));
  EXPECT_FALSE(q.push(ev(1, "")));
  EXPECT_FALSE(q.take());
  q.finish(*first);
  auto again = q.take();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, 1);
}

TEST(KeyedQueue, DrainReturnsWaitingEvents) {
  KeyedQueue q;
  q.push(ev(1, "a"));
  q.push(ev(2, "a"));
  q.push(ev(3, "b"));
  auto running = q.take();
  auto left = q.drain();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(q.waiting(), 0u);
  q.finish(*running);
  EXPECT_FALSE(q.take());
  EXPECT_TRUE(q.push(ev(2, "a"))) << "drained events may be queued again";
}

}  // namespace
}  // namespace chathost::host
