// An agent at its concurrency limit (agents.max_concurrent_per_agent) refuses the turn at once:
// the engine offers the event again shortly, without a worker waiting and without using up the
// event's attempts.
#include "agents/agent_busy.h"
#include "engine_fixture.h"
#include "workers/attempt_refund.h"

using namespace chathost;
using namespace chathost::testing;
using host::ProcessOutcome;

TEST(AgentBusy, IsToldApartFromOtherFailures) {
  EXPECT_TRUE(host::isAgentBusy(host::agentBusy("a1", 4)));
  EXPECT_EQ(host::agentBusy("a1", 4).code(), sdk::ErrorCode::kUnavailable);
  EXPECT_FALSE(host::isAgentBusy(sdk::Status::unavailable("storage down")));
  EXPECT_FALSE(host::isAgentBusy(sdk::Status(sdk::ErrorCode::kApiError, "agent busy: no")));
  EXPECT_FALSE(host::isAgentBusy(sdk::Status::ok()));
}

TEST(AgentBusy, RetryDelayIsAFewHundredMillisecondsWithJitter) {
  EXPECT_EQ(host::agentBusyRetryDelayMs(0.0), 200);
  EXPECT_EQ(host::agentBusyRetryDelayMs(0.5), 400);
  EXPECT_EQ(host::agentBusyRetryDelayMs(0.999), 599);
  EXPECT_EQ(host::agentBusyRetryDelayMs(7.0), 600);
}

TEST_F(EngineTest, ABusyAgentMeansASoonRetryThatCostsNoAttempt) {
  h.agents.setReplier([](const host::AgentTurn& turn) -> sdk::Result<host::AgentReply> {
    return host::agentBusy(turn.agentId, 4);
  });
  receive({userMessage("m1", "hello?")});
  (void)host::takeAttemptRefund();
  deliverAll();
  ProcessOutcome outcome = lastOutcome();
  EXPECT_EQ(outcome.kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(outcome.retryDelayMs, 400);  // jitter fixed at 0.5
  EXPECT_NE(outcome.reason.find("agent busy"), std::string::npos) << outcome.reason;
  EXPECT_TRUE(host::takeAttemptRefund());
  EXPECT_EQ(sends(), 0u);

  // Once the agent has room, the event is answered once; the inbound message was kept.
  h.agents.replyWith("here now");
  drain();
  EXPECT_FALSE(host::takeAttemptRefund());
  ASSERT_EQ(sends(), 1u);
  EXPECT_EQ(h.channel.sendCalls()[0].message.text, "here now");
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
}

TEST_F(EngineTest, OtherAgentFailuresBackOffAndCount) {
  h.agents.setReplier([](const host::AgentTurn&) -> sdk::Result<host::AgentReply> {
    return sdk::Status(sdk::ErrorCode::kApiError, "http agent: the endpoint answered HTTP 500");
  });
  receive({userMessage("m1", "hello?")});
  (void)host::takeAttemptRefund();
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(lastOutcome().retryDelayMs, 1000);
  EXPECT_FALSE(host::takeAttemptRefund());
}
