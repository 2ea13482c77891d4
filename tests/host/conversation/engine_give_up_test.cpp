// An event that keeps failing does not hold its conversation forever: after the channel's retry
// budget (replyRetrySeconds from the event's arrival) the engine gives up, the message shows why
// in /messages, and the conversation's next event runs.
#include "agents/agent_busy.h"
#include "engine_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using host::ProcessOutcome;

namespace {

struct EngineGiveUpTest : EngineTest {
  EngineGiveUpTest() {
    h.channel.description.replyRetrySeconds = 600;
    h.inbox.receivedAt = h.now;  // events arrive now, while the host runs
    start();
  }
  void failingAgent() {
    h.agents.setReplier([](const host::AgentTurn& turn) -> sdk::Result<host::AgentReply> {
      if (turn.text == "fine") return host::AgentReply{std::string("answered")};
      return sdk::Status(sdk::ErrorCode::kApiError, "http agent: the endpoint answered HTTP 500");
    });
  }
  std::optional<host::Message> inbound(const std::string& mid) { return byMid(mid); }
};

}  // namespace

TEST_F(EngineGiveUpTest, RetriesNeverWaitPastTheBudget) {
  failingAgent();
  receive({userMessage("m1", "hello?")});
  h.now += 599500;
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(lastOutcome().retryDelayMs, 500) << "the backoff is cut to what is left";
}

TEST_F(EngineGiveUpTest, PastTheBudgetTheMessageShowsWhyAndTheNextOneRuns) {
  failingAgent();
  receive({userMessage("m1", "hello?"), userMessage("m2", "fine", kStart - 50000)});
  deliverAll();
  ASSERT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(h.inbox.outcomes().size(), 1u) << "m2 waits behind m1";

  h.now += 600000;
  drain();
  const auto outcomes = h.inbox.outcomes();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[1].kind, ProcessOutcome::Kind::kFailed);
  EXPECT_NE(outcomes[1].reason.find("gave up after 600 s"), std::string::npos);
  EXPECT_EQ(outcomes[2].kind, ProcessOutcome::Kind::kDone);

  auto first = inbound("m1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, MessageStatus::kFailed);
  EXPECT_NE(first->error.find("not answered"), std::string::npos) << first->error;
  EXPECT_NE(first->error.find("HTTP 500"), std::string::npos) << first->error;
  EXPECT_EQ(inbound("m2")->status, MessageStatus::kReceived);
  ASSERT_EQ(sends(), 1u);
  EXPECT_EQ(h.channel.sendCalls()[0].message.text, "answered");
  EXPECT_EQ(
      h.metrics.counterValue("chathost_fakechat_events_processed_total", {{"result", "failed"}}),
      1);
}

TEST_F(EngineGiveUpTest, EventsThatWaitedWhileTheHostWasDownGetTheirBudgetFromItsStart) {
  failingAgent();
  h.inbox.receivedAt = h.now - 3600000;  // recorded an hour before this start
  receive({userMessage("m1", "hello?")});
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.now += 600000;
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kFailed);
}

TEST_F(EngineGiveUpTest, GivingUpFailsPartsWhoseRowsCouldNotBeQueued) {
  std::string longReply;
  for (int i = 0; i < 300; ++i) longReply += "word ";
  h.agents.replyWith(longReply);  // 1,500 bytes: several parts
  h.outbox.failWith = sdk::Status::unavailable("database down");
  receive({userMessage("m1", "hello?")});
  deliverAll();
  ASSERT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.now += 600000;
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kFailed);
  auto out = h.byDirection("outbound");
  ASSERT_GE(out.size(), 2u);
  for (const auto& part : out) {
    EXPECT_EQ(part.status, MessageStatus::kFailed) << part.localId;
    EXPECT_NE(part.error.find("outbox: database down"), std::string::npos) << part.error;
  }
  EXPECT_EQ(h.agents.turns().size(), 1u) << "the retry did not ask the agent again";
}

TEST_F(EngineGiveUpTest, AnAgentBusyForTheWholeBudgetIsGivenUpOnToo) {
  h.agents.setReplier([](const host::AgentTurn& turn) -> sdk::Result<host::AgentReply> {
    return host::agentBusy(turn.agentId, 4);
  });
  receive({userMessage("m1", "hello?")});
  deliverAll();
  ASSERT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.now += 600000;
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kFailed);
  EXPECT_EQ(inbound("m1")->status, MessageStatus::kFailed);
}

TEST_F(EngineGiveUpTest, WhileStorageCannotRecordItTheEventIsKept) {
  failingAgent();
  receive({userMessage("m1", "hello?")});
  deliverAll();
  h.now += 600000;
  h.chats.failWith = sdk::Status::unavailable("database down");
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  h.chats.failWith.reset();
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kFailed);
  EXPECT_EQ(inbound("m1")->status, MessageStatus::kFailed);
}
