// A consumer that refunds its attempt (its agent was busy) retries without using up the event's
// attempts; any other retry still counts.
#include "workers/attempt_refund.h"
#include "../agents/fake_observability.h"
#include "fake_inbox_store.h"
#include "poll_until.h"
#include "workers/inbox_dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace chathost::host {
namespace {

using namespace chathost::testing;
using State = FakeInboxStore::State;

class AttemptRefundTest : public ::testing::Test {
 protected:
  AttemptRefundTest() { store_.ignoreDelays = true; }
  std::unique_ptr<InboxDispatcher> make() {
    DispatcherOptions options;
    options.owner = "test-host";
    options.threads = 2;
    options.maxAttempts = 3;
    options.pollIntervalMs = 5;
    return std::make_unique<InboxDispatcher>(store_, options, metrics_, logger_);
  }
  host::NewInboxEvent event(const std::string& key) {
    return {"ig", "sub", "agt", key, "mid:" + key, "message", 1, "{}"};
  }

  FakeInboxStore store_;
  FakeMetrics metrics_;
  FakeLogger logger_;
};

TEST(AttemptRefund, TheFlagIsPerThreadAndTakenOnce) {
  EXPECT_FALSE(takeAttemptRefund());
  refundCurrentAttempt();
  bool otherThreadSaw = true;
  std::thread([&] { otherThreadSaw = takeAttemptRefund(); }).join();
  EXPECT_FALSE(otherThreadSaw);
  EXPECT_TRUE(takeAttemptRefund());
  EXPECT_FALSE(takeAttemptRefund());
}

TEST_F(AttemptRefundTest, RefundedRetriesDoNotUseUpTheAttempts) {
  std::atomic<int> calls{0};
  std::atomic<int> maxAttemptsSeen{0};
  auto dispatcher = make();
  dispatcher->setConsumer("ig", [&](const host::InboxEvent& e) {
    maxAttemptsSeen = std::max(maxAttemptsSeen.load(), e.attempts);
    if (++calls <= 10) {  // far more than maxAttempts (3)
      refundCurrentAttempt();
      return host::ProcessOutcome::retry(0, "agent busy");
    }
    return host::ProcessOutcome::done();
  });
  ASSERT_TRUE(store_.append({event("k")}).isOk());
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }))
      << "failed: " << store_.count(State::kFailed);
  dispatcher->stop();
  EXPECT_EQ(calls.load(), 11);
  // The first delivery counts (consumers tell a first delivery by attempts == 1), the rest not.
  EXPECT_EQ(maxAttemptsSeen.load(), 2);
  EXPECT_EQ(
      metrics_.value("chathost_inbox_events_total", {{"channel", "ig"}, {"outcome", "retry"}}), 10);
}

TEST_F(AttemptRefundTest, OtherRetriesStillCountAndARefundDoesNotCarryOver) {
  std::atomic<int> calls{0};
  auto dispatcher = make();
  dispatcher->setConsumer("ig", [&](const host::InboxEvent&) {
    // A refund flagged before a done outcome is dropped with it, not applied to the next retry.
    if (++calls == 1) {
      refundCurrentAttempt();
      return host::ProcessOutcome::done();
    }
    return host::ProcessOutcome::retry(0, "endpoint failed");
  });
  ASSERT_TRUE(store_.append({event("a")}).isOk());
  ASSERT_TRUE(dispatcher->start().isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kDone) == 1; }));
  ASSERT_TRUE(store_.append({event("b")}).isOk());
  ASSERT_TRUE(eventually([&] { return store_.count(State::kFailed) == 1; }));
  dispatcher->stop();
  EXPECT_EQ(calls.load(), 1 + 3);  // "b" failed after maxAttempts deliveries
}

}  // namespace
}  // namespace chathost::host
