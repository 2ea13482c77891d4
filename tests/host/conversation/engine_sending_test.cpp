// How the engine sends a reply: retries and their budget, the platform's verdicts, pacing.
#include "engine_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using host::ProcessOutcome;
using sdk::SendResult;
using Kind = sdk::SendResult::Kind;

TEST_F(EngineTest, RetryableErrorsBackOffThenSucceed) {
  h.agents.replyWith("answer");
  h.channel.sends.then(SendResult::failed(Kind::kThrottled, "throttled"));
  h.channel.sends.then(SendResult::failed(Kind::kRetry, "503"));
  h.channel.sends.then(SendResult::sent("late", kUser));
  receive({userMessage("m1", "hi")});
  drain();
  auto outcomes = h.outbox.outcomes();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(outcomes[0].retryDelayMs, 1000);
  EXPECT_EQ(outcomes[0].reason, "throttled");
  EXPECT_EQ(outcomes[1].retryDelayMs, 2000);
  EXPECT_EQ(outcomes[2].kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "late");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(h.agents.turns().size(), 1u);  // the agent is asked once
  EXPECT_EQ(sends(), 3u);
}

TEST_F(EngineTest, AThrottledSendWaitsAtLeastWhatThePlatformAsked) {
  h.agents.replyWith("answer");
  h.channel.sends.then(SendResult::failed(Kind::kThrottled, "slow down", "{}", 30000));
  h.channel.sends.then(SendResult::failed(Kind::kThrottled, "slow down", "{}", 10));
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().retryDelayMs, 30000);
  deliverAll();
  EXPECT_EQ(lastSendOutcome().retryDelayMs, 2000);  // the backoff when it is longer
}

TEST_F(EngineTest, RetryDelaysNeverRunPastTheBudget) {
  h.channel.description.replyRetrySeconds = 10;
  h.agents.replyWith("answer");
  h.channel.sends.then(SendResult::failed(Kind::kThrottled, "slow down", "{}", 30000));
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().retryDelayMs, 10000);
  h.now += 4000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(lastSendOutcome().retryDelayMs, 6000);
}

TEST_F(EngineTest, RetriesStopAfterTheChannelsBudget) {
  h.channel.description.replyRetrySeconds = 60;
  h.agents.replyWith("answer");
  h.channel.sends.then(SendResult::failed(Kind::kRetry, "HTTP 503"));
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.now += 59000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.now += 2000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_NE(out[0].error.find("gave up after 60 s"), std::string::npos) << out[0].error;
  EXPECT_NE(out[0].error.find("HTTP 503"), std::string::npos) << out[0].error;
  EXPECT_EQ(sends(), 3u);
}

TEST_F(EngineTest, GivingUpFailsEveryPartNotSentYet) {
  h.channel.description.maxTextBytes = 16;
  h.channel.description.replyRetrySeconds = 1;
  h.agents.replyWith("aaaa bbbb cccc dddd eeee ffff gggg");
  h.channel.sends.then(SendResult::sent("p0", kUser));
  h.channel.sends.then(SendResult::failed(Kind::kRetry, "HTTP 503"));
  receive({userMessage("m1", "hi")});
  deliverAll();
  h.now += 2000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[1].status, MessageStatus::kFailed);
  EXPECT_EQ(out[2].status, MessageStatus::kFailed);
  EXPECT_NE(out[2].error.find("gave up"), std::string::npos);
}

TEST_F(EngineTest, RefusedCredentialsMarkTheConnectionInactive) {
  h.agents.replyWith("answer");
  h.channel.sends.then(SendResult::failed(Kind::kReauth, "Graph error 190/463: expired"));
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto conn = *h.connections.get("sub1", "agent1", kChannel);
  EXPECT_FALSE(conn->active);
  EXPECT_EQ(conn->inactiveReason, "Graph error 190/463: expired");
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_EQ(sends(), 1u);
}

// The user reconnected with new credentials while a send with the old ones was under way: the
// refusal of the old ones must not switch the new connection off.
TEST_F(EngineTest, RefusedOldCredentialsLeaveAReconnectedAccountActive) {
  h.agents.replyWith("answer");
  h.channel.sends.thenDo([this] {
    auto fresh = h.connection();
    fresh.secrets["token"] = "a-new-token";
    h.connections.put(fresh);
    return SendResult::failed(Kind::kReauth, "expired");
  });
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_TRUE((*h.connections.get("sub1", "agent1", kChannel))->active);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
}

TEST_F(EngineTest, PermanentErrorsFailWithTheChannelsWords) {
  h.agents.replyWith("answer");
  h.channel.sends.then(
      SendResult::failed(Kind::kPermanent, "Graph error 10/2018278: outside window"));
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_EQ(out[0].error, "Graph error 10/2018278: outside window");
  EXPECT_TRUE((*h.connections.get("sub1", "agent1", kChannel))->active);
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, APermanentFailureFailsTheRestOfTheReply) {
  h.channel.description.maxTextBytes = 16;
  h.agents.replyWith("aaaa bbbb cccc dddd eeee ffff gggg");
  h.channel.sends.then(SendResult::sent("p0", kUser));
  h.channel.sends.then(SendResult::failed(Kind::kPermanent, "user blocked"));
  receive({userMessage("m1", "hi")});
  drain();
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[1].status, MessageStatus::kFailed);
  EXPECT_EQ(out[2].status, MessageStatus::kFailed);
  EXPECT_EQ(out[2].error, "user blocked");
  EXPECT_EQ(sends(), 2u);
}

TEST_F(EngineTest, AChannelThatThrowsWhileSendingIsRetriedLikeAnyTransientFailure) {
  h.channel.description.replyRetrySeconds = 5;
  h.agents.replyWith("answer");
  h.channel.sends.thenDo([]() -> SendResult { throw std::runtime_error("socket gone"); });
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_NE(lastSendOutcome().reason.find("socket gone"), std::string::npos);
  h.now += 5000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_NE(out[0].error.find("channel threw while sending: socket gone"), std::string::npos);
}

// The platform took the message but storage failed to record it: the retry records it from the
// acknowledgement kept aside, and never sends it again.
TEST_F(EngineTest, AnAcknowledgedReplyThatCouldNotBeMarkedSentIsMarkedOnRetry) {
  h.agents.replyWith("answer");
  h.chats.markSentFailures = 1;
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  drain();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[0].mid, "sent_1");
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, RepliesArePacedPerAccount) {
  h.channel.description.sendRatePerSecond = 1;
  h.channel.description.maxTextBytes = 16;
  h.agents.replyWith("aaaa bbbb cccc dddd eeee");  // two parts
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(lastSendOutcome().reason, "send rate limit");
  EXPECT_EQ(lastSendOutcome().retryDelayMs, 1000);
  EXPECT_EQ(sends(), 1u);
  h.now += 1000;
  deliverAll();
  EXPECT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(sends(), 2u);
  EXPECT_EQ(h.agents.turns().size(), 1u);
  for (const auto& m : h.byDirection("outbound")) EXPECT_EQ(m.status, MessageStatus::kSent);
}

TEST_F(EngineTest, PacingOfOneAccountDoesNotHoldBackAnother) {
  h.channel.description.sendRatePerSecond = 1;
  h.agents.replyWith("answer");
  auto other = h.connection();
  other.agentId = "agent2";
  other.accountId = "acct-2";
  h.connections.put(other);
  receive({userMessage("m1", "hi")});
  h.receive({userMessage("m2", "hi")}, "sub1", "agent2");
  deliverAll();
  EXPECT_EQ(h.outbox.outcomes().size(), 2u);
  for (const auto& o : h.outbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(sends(), 2u);
}

TEST(OutboxOrder, KeepsEachRepliesPartsTogetherAndAfterEarlierReplies) {
  EXPECT_LT(host::outboxOrder(1000, 0), host::outboxOrder(1000, 1));
  EXPECT_LT(host::outboxOrder(1000, 999), host::outboxOrder(1001, 0));
  EXPECT_EQ(host::outboxOrder(1000, 5000), host::outboxOrder(1000, 999)) << "capped in its slot";
  EXPECT_EQ(host::outboxOrder(-5, 0), 0);
}

// Two replies made within the same millisecond: the later event's part must not slip between
// the earlier reply's parts.
TEST_F(EngineTest, RepliesToConsecutiveEventsAreQueuedInOrder) {
  h.channel.description.maxTextBytes = 16;
  h.agents.replyWith("aaaa bbbb cccc dddd eeee ffff");  // two parts
  receive({userMessage("m1", "first", kStart - 2000), userMessage("m2", "second", kStart - 1999)});
  start();
  h.inbox.deliverAll(kChannel);
  const auto rows = h.outbox.appended();
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_LT(rows[i - 1].eventTimestamp, rows[i].eventTimestamp) << i;
  EXPECT_EQ(rows[1].dedupKey, "reply:fakechat:m1:1");
  EXPECT_EQ(rows[2].dedupKey, "reply:fakechat:m2:0");
}
