// Typing and seen signals while a remote agent thinks: seen at once, typing after a delay unless
// the turn ended first; never stored, dropped rather than retried. The signals are sent from a
// thread of their own: the tests poll with a deadline for what it sends.
#include "conversation/sender_actions.h"
#include "harness.h"

#include "../workers/poll_until.h"

#include <gtest/gtest.h>

#include <future>

using namespace chathost;
using namespace chathost::testing;
using host::SenderActions;
using sdk::SenderAction;
using Kind = sdk::SendResult::Kind;
using namespace std::chrono_literals;

namespace {

struct SenderActionsTest : ::testing::Test {
  Harness h;
  std::unique_ptr<host::ReplySender> sender;
  std::unique_ptr<SenderActions> actions;  // last: stopped before what it uses goes

  void SetUp() override { h.channel.description.sendsSenderActions = true; }
  SenderActions& start(std::chrono::milliseconds typingDelay) {
    sender = std::make_unique<host::ReplySender>(h.registered(), h.services);
    actions = std::make_unique<SenderActions>(*sender, h.services, typingDelay);
    return *actions;
  }
  /// Stops the signals' thread: what was sent by now is all that will be.
  void stop() { actions.reset(); }

  std::vector<SenderAction> sentTo(const std::string& user) const {
    std::vector<SenderAction> out;
    for (const auto& call : h.channel.sendCalls())
      if (call.message.recipientId == user) out.push_back(call.message.action);
    return out;
  }
  double signals(const std::string& result) const {
    return h.metrics.counterValue("chathost_fakechat_sender_actions_total", {{"result", result}});
  }
};

}  // namespace

TEST_F(SenderActionsTest, ALongTurnIsSeenThenShownTypingOnce) {
  auto& a = start(1ms);
  const auto turn = a.turnStarted(h.connection(), "user-a");
  EXPECT_NE(turn, 0u);
  ASSERT_TRUE(eventually([&] { return sentTo("user-a").size() == 2; }));
  a.turnEnded(turn);
  stop();
  EXPECT_EQ(sentTo("user-a"),
            (std::vector<SenderAction>{SenderAction::kMarkSeen, SenderAction::kTypingOn}));
  for (const auto& call : h.channel.sendCalls()) {
    EXPECT_EQ(call.message.text, "");
    EXPECT_FALSE(call.message.attachment);
    EXPECT_EQ(call.message.tag, "");
    EXPECT_EQ(call.connection.accountId, kAccount);
    EXPECT_EQ(call.connection.secrets.at("token"), kToken);
  }
  EXPECT_EQ(signals("sent"), 2);
  EXPECT_EQ(signals("dropped"), 0);
  EXPECT_TRUE(h.chats.allMessages().empty()) << "signals are never stored";
  EXPECT_TRUE(h.chats.allChats().empty());
}

TEST_F(SenderActionsTest, ATurnThatEndsBeforeTheTypingDelayIsOnlySeen) {
  // The first signal is held "on the network" until released: the turn ends meanwhile, before
  // its typing signal can be looked at, however the threads are scheduled.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  h.channel.sends.thenDo([released] {
    released.wait();
    return sdk::SendResult::sent("seen", kUser);
  });
  h.channel.sends.then(sdk::SendResult::sent("later", kUser));
  auto& a = start(1ms);
  const auto quick = a.turnStarted(h.connection(), "user-a");
  EXPECT_TRUE(eventually([&] { return sentTo("user-a").size() == 1; }));  // released below
  a.turnEnded(quick);
  a.turnStarted(h.connection(), "user-b");  // left running
  release.set_value();
  ASSERT_TRUE(eventually([&] { return sentTo("user-b").size() == 2; }));
  stop();
  EXPECT_EQ(sentTo("user-a"), std::vector<SenderAction>{SenderAction::kMarkSeen});
  EXPECT_EQ(sentTo("user-b"),
            (std::vector<SenderAction>{SenderAction::kMarkSeen, SenderAction::kTypingOn}));
  EXPECT_EQ(signals("sent"), 3);
  EXPECT_TRUE(h.chats.allMessages().empty());
}

TEST_F(SenderActionsTest, AChannelWithoutSignalsGetsNone) {
  h.channel.description.sendsSenderActions = false;
  auto& a = start(0ms);
  const auto turn = a.turnStarted(h.connection(), "user-a");
  EXPECT_EQ(turn, 0u) << "no turn is tracked";
  a.turnEnded(turn);
  stop();
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_EQ(signals("sent") + signals("dropped"), 0);
}

TEST_F(SenderActionsTest, AFullSendWindowDropsTheSignals) {
  h.channel.description.sendRatePerSecond = 1;
  auto& a = start(1ms);
  ASSERT_EQ(sender->tryAcquire(kAccount), 0);  // the account's one send this second
  ASSERT_GT(sender->tryAcquire(kAccount), 0);
  a.turnStarted(h.connection(), "user-a");
  ASSERT_TRUE(eventually([&] { return signals("dropped") == 2; }));
  stop();
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_EQ(signals("sent"), 0);
}

TEST_F(SenderActionsTest, SignalsTakeSlotsOfTheAccountsRate) {
  h.channel.description.sendRatePerSecond = 2;
  auto& a = start(1ms);
  a.turnStarted(h.connection(), "user-a");
  ASSERT_TRUE(eventually([&] { return signals("sent") == 2; }));
  stop();
  EXPECT_GT(sender->tryAcquire(kAccount), 0) << "seen and typing used this second's two slots";
}

TEST_F(SenderActionsTest, ASignalThePlatformRefusesIsDroppedNotRetried) {
  h.channel.sends.then(sdk::SendResult::failed(Kind::kRetry, "HTTP 500"));
  auto& a = start(1ms);
  a.turnStarted(h.connection(), "user-a");
  ASSERT_TRUE(eventually([&] { return signals("dropped") == 2; }));
  stop();
  EXPECT_EQ(h.channel.sendCalls().size(), 2u);
  EXPECT_EQ(signals("sent"), 0);
  EXPECT_TRUE(h.chats.allMessages().empty());
}

TEST_F(SenderActionsTest, StoppingWithSignalsPendingSendsNoMore) {
  auto& a = start(std::chrono::hours(1));
  a.turnStarted(h.connection(), "user-a");
  ASSERT_TRUE(eventually([&] { return sentTo("user-a").size() == 1; }));
  const auto began = std::chrono::steady_clock::now();
  stop();  // the typing signal is an hour away: stopping does not wait for it
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
  EXPECT_EQ(sentTo("user-a"), std::vector<SenderAction>{SenderAction::kMarkSeen});
}
