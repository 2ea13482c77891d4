// The outbox's consumer on its own: what it sends, what it refuses to send, and when.
#include "conversation/outbox_sender.h"
#include "harness.h"
#include "workers/attempt_refund.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using host::OutboxRow;
using host::OutboxSender;
using host::ProcessOutcome;
using host::ReplySender;

namespace {

struct OutboxSenderTest : ::testing::Test {
  Harness h;
  std::unique_ptr<ReplySender> replies;
  std::unique_ptr<OutboxSender> sender;
  std::int64_t nextRowId = 0;

  OutboxSenderTest() { h.connect(); }

  OutboxSender& start() {
    if (!sender) {
      replies = std::make_unique<ReplySender>(h.registered(), h.services);
      sender = std::make_unique<OutboxSender>(*replies, h.services);
      sender->setRandom([] { return 0.5; });
    }
    return *sender;
  }
  /// A pending reply part `localId` and its outbox row, as the engine queues them.
  host::InboxEvent queued(const std::string& localId, const std::string& text = "hello") {
    auto chat = h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, h.now);
    host::Message m;
    m.localId = localId;
    m.chatId = chat->chatId;
    m.direction = "outbound";
    m.text = text;
    m.timestamp = h.now;
    m.status = MessageStatus::kPending;
    EXPECT_TRUE(h.chats.addMessage(m).isOk());
    host::InboxEvent row;
    row.id = ++nextRowId;
    row.attempts = 1;
    row.event.channel = kChannel;
    row.event.subaccountId = "sub1";
    row.event.agentId = "agent1";
    row.event.kind = "reply";
    row.event.dedupKey = localId;
    row.event.payload = host::outboxPayload({localId, kUser});
    return row;
  }
  ProcessOutcome process(const host::InboxEvent& row) { return start().process(row); }
  host::Message stored(const std::string& localId) { return **h.chats.findByLocalId(localId); }
};

}  // namespace

TEST(OutboxPayloadTest, RoundTripsAndRefusesWhatIsNotARow) {
  auto back = host::outboxRowFromPayload(host::outboxPayload({"reply:x:\"0", "user \\ 1"}));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->localId, "reply:x:\"0");
  EXPECT_EQ(back->recipientId, "user \\ 1");
  for (const char* bad :
       {"", "null", "[]", "{\"localId\":\"a\"}", "{\"localId\":1,\"recipientId\":\"u\"}",
        "{\"localId\":\"\",\"recipientId\":\"u\"}", "{\"localId\":\"a\""})
    EXPECT_FALSE(host::outboxRowFromPayload(bad)) << bad;
}

TEST(NextPartIdTest, CountsUpTheTrailingPartNumber) {
  EXPECT_EQ(host::nextPartId("reply:fakechat:m1:0"), "reply:fakechat:m1:1");
  EXPECT_EQ(host::nextPartId("reply:m1:9"), "reply:m1:10");
  EXPECT_FALSE(host::nextPartId("reply:fakechat:m1"));
  EXPECT_FALSE(host::nextPartId("reply:fakechat:m1:"));
  EXPECT_FALSE(host::nextPartId("nocolon"));
  EXPECT_FALSE(host::nextPartId("reply:x:99999999999999999999999"));
}

TEST_F(OutboxSenderTest, SendsThePendingPartAndMarksItSent) {
  auto row = queued("reply:fakechat:m1:0", "the answer");
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.text, "the answer");
  EXPECT_EQ(calls[0].message.recipientId, kUser);
  EXPECT_EQ(stored("reply:fakechat:m1:0").status, MessageStatus::kSent);
  EXPECT_EQ(h.claimChecks, std::vector<std::int64_t>{row.id});
  // Recorded at once: no acknowledgement is kept for a later attempt (no key/value write).
  auto ack = h.kv.get("fakechat:ack:reply:fakechat:m1:0");
  ASSERT_TRUE(ack.isOk());
  EXPECT_FALSE(ack->has_value());
}

TEST_F(OutboxSenderTest, ARowWhoseClaimWasTakenOverSendsNothing) {
  auto row = queued("reply:fakechat:m1:0");
  h.claimVerdict = sdk::Status(sdk::ErrorCode::kConflict, "claim lost");
  const auto outcome = process(row);
  EXPECT_EQ(outcome.kind, ProcessOutcome::Kind::kAbandon);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_EQ(stored("reply:fakechat:m1:0").status, MessageStatus::kPending);
}

TEST_F(OutboxSenderTest, AClaimThatCannotBeCheckedIsRetriedNotSent) {
  auto row = queued("reply:fakechat:m1:0");
  h.claimVerdict = sdk::Status::unavailable("database down");
  const auto outcome = process(row);
  EXPECT_EQ(outcome.kind, ProcessOutcome::Kind::kRetry);
  EXPECT_NE(outcome.reason.find("database down"), std::string::npos);
  EXPECT_TRUE(h.channel.sendCalls().empty());
}

TEST_F(OutboxSenderTest, APartNoLongerPendingIsNotSentAgain) {
  auto row = queued("reply:fakechat:m1:0");
  ASSERT_TRUE(h.chats.markSent("reply:fakechat:m1:0", "m_echo", h.now).isOk());
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_TRUE(h.claimChecks.empty()) << "nothing to send, nothing to fence";
}

TEST_F(OutboxSenderTest, APartWhoseMessageIsGoneFinishesTheRow) {
  host::InboxEvent row = queued("reply:fakechat:m1:0");
  row.event.payload = host::outboxPayload({"reply:fakechat:never-stored:0", kUser});
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.channel.sendCalls().empty());
}

TEST_F(OutboxSenderTest, AnUnreadableRowFailsWithoutSending) {
  host::InboxEvent row = queued("reply:fakechat:m1:0");
  row.event.payload = "{\"localId\":";
  const auto outcome = process(row);
  EXPECT_EQ(outcome.kind, ProcessOutcome::Kind::kFailed);
  EXPECT_NE(outcome.reason.find("unreadable"), std::string::npos);
  EXPECT_TRUE(h.channel.sendCalls().empty());
}

TEST_F(OutboxSenderTest, ADisconnectedAgentsPartFailsVisibly) {
  auto row = queued("reply:fakechat:m1:0");
  auto gone = h.connection();
  gone.connected = false;
  h.connections.put(gone);
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  auto m = stored("reply:fakechat:m1:0");
  EXPECT_EQ(m.status, MessageStatus::kFailed);
  EXPECT_NE(m.error.find("no longer connected"), std::string::npos) << m.error;
}

TEST_F(OutboxSenderTest, AnInactiveConnectionsPartFailsWithoutCallingThePlatform) {
  auto row = queued("reply:fakechat:m1:0");
  auto refused = h.connection();
  refused.active = false;
  h.connections.put(refused);
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_NE(stored("reply:fakechat:m1:0").error.find("reconnect"), std::string::npos);
}

// The platform took the part but marking it sent failed: the row's next run records it from the
// acknowledgement kept aside and never sends it twice.
TEST_F(OutboxSenderTest, AnAcknowledgedPartIsMarkedFromItsAckNotSentAgain) {
  auto row = queued("reply:fakechat:m1:0");
  h.chats.markSentFailures = 1;
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(h.channel.sendCalls().size(), 1u);
  auto ack = h.kv.get("fakechat:ack:reply:fakechat:m1:0");
  ASSERT_TRUE(ack.isOk());
  EXPECT_EQ(ack->value_or(""), "sent_1");
  row.attempts = 2;
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(h.channel.sendCalls().size(), 1u);
  auto m = stored("reply:fakechat:m1:0");
  EXPECT_EQ(m.status, MessageStatus::kSent);
  EXPECT_EQ(m.mid, "sent_1");
}

TEST_F(OutboxSenderTest, AFullWindowPutsTheRowBackWithoutCheckingItsClaim) {
  h.channel.description.sendRatePerSecond = 1;
  auto first = queued("reply:fakechat:m1:0");
  auto second = queued("reply:fakechat:m1:1");
  EXPECT_EQ(process(first).kind, ProcessOutcome::Kind::kDone);
  const auto outcome = process(second);
  EXPECT_EQ(outcome.kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(outcome.reason, "send rate limit");
  EXPECT_EQ(outcome.retryDelayMs, 1000);
  EXPECT_TRUE(host::takeAttemptRefund()) << "waiting for a slot costs no attempt";
  EXPECT_EQ(h.claimChecks.size(), 1u);
  EXPECT_EQ(h.channel.sendCalls().size(), 1u);
}

TEST_F(OutboxSenderTest, ErrorsBeforeTheSendAreRetriedWithinTheReplysBudgetOnly) {
  h.channel.description.replyRetrySeconds = 60;
  auto row = queued("reply:fakechat:m1:0");
  h.claimVerdict = sdk::Status::unavailable("database down");
  auto first = process(row);
  EXPECT_EQ(first.kind, ProcessOutcome::Kind::kRetry);
  EXPECT_FALSE(host::takeAttemptRefund()) << "a failure counts";
  h.now += 59500;
  row.attempts = 7;  // a backoff of 60 s: cut to what is left
  EXPECT_EQ(process(row).retryDelayMs, 500);
  h.now += 500;
  EXPECT_EQ(process(row).kind, ProcessOutcome::Kind::kDone);
  auto m = stored("reply:fakechat:m1:0");
  EXPECT_EQ(m.status, MessageStatus::kFailed);
  EXPECT_NE(m.error.find("gave up after 60 s: claim check: database down"), std::string::npos)
      << m.error;
  EXPECT_TRUE(h.channel.sendCalls().empty());
}
