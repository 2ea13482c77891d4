#include "processor.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
using chathost::sdk::MessageStatus;
using chathost::sdk::Method;
using chathost::sdk::ProcessOutcome;
using chathost::sdk::testing::FakeHttpClient;

namespace {
struct ProcessorTest : ::testing::Test {
  Harness h;
  GraphClient graph{h.ctx.httpFake, h.settings};
  RateLimiter limiter{100};
  ConnectionCache connections{h.ctx.connectionStore, 0, [this] { return h.now; }};  // no caching
  Processor processor{h.services, h.settings, graph, limiter, connections};

  ProcessorTest() {
    h.settings.profileFetch = false;
    processor.setRandom([] { return 0.5; });
    h.ctx.inboxFake.setConsumer(
        "instagram", [this](const chathost::sdk::InboxEvent& e) { return processor.process(e); });
    h.connect();
  }
  // Records every event of `body` as the webhook would.
  void receive(const std::string& body) {
    auto parsed = parseWebhook(body);
    ASSERT_TRUE(parsed.isOk());
    std::vector<chathost::sdk::NewInboxEvent> events;
    for (const auto& e : parsed->events) {
      chathost::sdk::NewInboxEvent n;
      n.channel = "instagram";
      n.subaccountId = "sub1";
      n.agentId = "agent1";
      n.orderingKey = "sub1:agent1:" + e.userId();
      n.dedupKey = dedupKeyOf(e);
      n.kind = kindName(e.kind);
      n.eventTimestamp = e.timestamp;
      n.payload = toInboxPayload(e, "sub1", "agent1");
      events.push_back(n);
    }
    ASSERT_TRUE(h.ctx.inboxFake.append(events).isOk());
  }
  static std::string message(const std::string& mid, const std::string& text, std::int64_t ts,
                             const std::string& extra = "") {
    return R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1,"messaging":[
      {"sender":{"id":"5500000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":)" +
           std::to_string(ts) + R"(,"message":{"mid":")" + mid + R"(","text":")" + text + "\"" +
           extra + "}}]}]}";
  }
  static std::string echo(const std::string& mid, const std::string& text) {
    return R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1,"messaging":[
      {"sender":{"id":"17841400000000001"},"recipient":{"id":"5500000000000001"},"timestamp":1718000009000,
       "message":{"mid":")" +
           mid + R"(","text":")" + text + R"(","is_echo":true}}]}]})";
  }
  std::vector<chathost::sdk::Message> byDirection(const std::string& d) {
    std::vector<chathost::sdk::Message> out;
    for (const auto& m : h.ctx.chatStore.allMessages())
      if (m.direction == d) out.push_back(m);
    return out;
  }
};
}  // namespace

TEST(Backoff, DoublesWithJitterAndCaps) {
  EXPECT_EQ(backoffDelayMs(1, 0.5), 1000);
  EXPECT_EQ(backoffDelayMs(2, 0.5), 2000);
  EXPECT_EQ(backoffDelayMs(3, 0.0), 3200);
  EXPECT_EQ(backoffDelayMs(3, 1.0), 4800);
  EXPECT_EQ(backoffDelayMs(30, 0.5), 60000);
}

TEST_F(ProcessorTest, StoresTheMessageAndSendsTheAgentsReplyOnce) {
  h.ctx.agentsFake.replyWith("We ship everywhere!");
  h.scriptSendOk();
  receive(message("m1", "do you ship?", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  auto in = byDirection("inbound");
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].mid, "m1");
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "We ship everywhere!");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[0].mid, "sent_1");
  EXPECT_EQ(h.sendCalls(), 1u);
  auto turns = h.ctx.agentsFake.turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].text, "do you ship?");
  EXPECT_EQ(turns[0].userId, kUser);
  EXPECT_EQ(turns[0].channel, "instagram");
  EXPECT_TRUE(turns[0].history.empty());
}

TEST_F(ProcessorTest, DuplicateDeliveriesAreDropped) {
  h.ctx.agentsFake.replyWith("ok");
  h.scriptSendOk();
  receive(message("m1", "hi", 1718000001000));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  EXPECT_EQ(byDirection("inbound").size(), 1u);
  EXPECT_EQ(h.sendCalls(), 1u);
  EXPECT_EQ(h.ctx.metricsFake.counterValue("chathost_instagram_events_processed_total",
                                           {{"result", "duplicate"}}),
            1);
}

TEST_F(ProcessorTest, DedupFallsBackToTheStoreWhenKvIsDown) {
  h.ctx.agentsFake.replyWith("ok");
  h.scriptSendOk();
  h.ctx.kvFake.unavailable = true;
  receive(message("m1", "hi", 1718000001000));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  EXPECT_EQ(byDirection("inbound").size(), 1u);
  EXPECT_EQ(byDirection("outbound").size(), 1u);
}

TEST_F(ProcessorTest, RedeliveryAfterAckNeverResends) {
  h.ctx.agentsFake.replyWith("answer");
  h.scriptSendOk();
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  ASSERT_EQ(h.sendCalls(), 1u);
  // The host crashed before marking the row done: the same row comes back.
  chathost::sdk::InboxEvent again;
  again.event = h.ctx.inboxFake.appended().at(0);
  again.attempts = 2;
  auto outcome = h.ctx.inboxFake.deliver("instagram", again);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(h.sendCalls(), 1u);
  EXPECT_EQ(h.ctx.agentsFake.turns().size(), 1u);
  EXPECT_EQ(byDirection("outbound").size(), 1u);
}

TEST_F(ProcessorTest, EchoesAreStoredOnceAndNeverAnswered) {
  h.ctx.agentsFake.replyWith("should not be sent");
  h.scriptSendOk();
  receive(echo("m_app", "sent from the phone"));
  h.ctx.inboxFake.drain("instagram");
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "m_app");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_TRUE(h.ctx.agentsFake.turns().empty());
  EXPECT_EQ(h.sendCalls(), 0u);
}

TEST_F(ProcessorTest, EchoOfOurOwnReplyIsNotStoredTwice) {
  h.ctx.agentsFake.replyWith("answer");
  h.scriptSendOk();
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  receive(echo("sent_1", "answer"));
  h.ctx.inboxFake.drain("instagram");
  EXPECT_EQ(byDirection("outbound").size(), 1u);
  EXPECT_EQ(h.sendCalls(), 1u);
}

TEST_F(ProcessorTest, EchoReconcilesASendWhoseAckNeverArrived) {
  h.ctx.agentsFake.replyWith("answer");
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
                    chathost::sdk::Status(chathost::sdk::ErrorCode::kTimeout, "timed out"));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.deliverAll("instagram");  // send timed out: retry scheduled
  ASSERT_EQ(h.ctx.inboxFake.outcomes().back().kind, ProcessOutcome::Kind::kRetry);
  receive(echo("m_delivered", "answer"));  // ...but Meta delivered it
  h.ctx.inboxFake.deliverAll("instagram");
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "m_delivered");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  std::size_t calls = h.sendCalls();
  h.ctx.inboxFake.drain("instagram");  // the retry finds it sent
  EXPECT_EQ(h.sendCalls(), calls);
}

TEST_F(ProcessorTest, RetryableErrorsBackOffThenSucceed) {
  h.ctx.agentsFake.replyWith("answer");
  auto url = h.graphUrl(std::string(kPage) + "/messages");
  h.ctx.httpFake.on(Method::kPost, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"throttled","code":613}})"));
  h.ctx.httpFake.on(Method::kPost, url, FakeHttpClient::json(500, "{}"));
  h.ctx.httpFake.on(Method::kPost, url,
                    FakeHttpClient::json(200, R"({"recipient_id":"5","message_id":"late"})"));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  auto outcomes = h.ctx.inboxFake.outcomes();
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(outcomes[0].retryDelayMs, 1000);
  EXPECT_EQ(outcomes[1].retryDelayMs, 2000);
  EXPECT_EQ(outcomes[2].kind, ProcessOutcome::Kind::kDone);
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "late");
  EXPECT_EQ(h.ctx.agentsFake.turns().size(), 1u);  // the agent is asked once
}

TEST_F(ProcessorTest, RetriesStopAfterTheConfiguredBudget) {
  h.settings.replyRetrySeconds = 60;
  h.ctx.agentsFake.replyWith("answer");
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
                    FakeHttpClient::json(503, "{}"));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.deliverAll("instagram");
  EXPECT_EQ(h.ctx.inboxFake.outcomes().back().kind, ProcessOutcome::Kind::kRetry);
  h.now += 61000;
  h.ctx.inboxFake.deliverAll("instagram");
  EXPECT_EQ(h.ctx.inboxFake.outcomes().back().kind, ProcessOutcome::Kind::kDone);
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_NE(out[0].error.find("gave up"), std::string::npos);
}

TEST_F(ProcessorTest, TokenErrorMarksTheConnectionInactive) {
  h.ctx.agentsFake.replyWith("answer");
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
                    FakeHttpClient::json(
                        400, R"({"error":{"message":"expired","code":190,"error_subcode":463}})"));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  EXPECT_FALSE((*h.ctx.connectionStore.get("sub1", "agent1", "instagram"))->active);
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_EQ(h.sendCalls(), 1u);
}

// The user reconnected with a new token while a send with the old one was under way: the refusal
// of the old token must not switch the new connection off.
TEST_F(ProcessorTest, ARefusedOldTokenLeavesAReconnectedAccountActive) {
  h.ctx.agentsFake.replyWith("answer");
  h.ctx.httpFake.on(
      Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
      [this](
          const chathost::sdk::HttpRequest&) -> chathost::sdk::Result<chathost::sdk::HttpResponse> {
        auto fresh = h.connection();
        fresh.secrets["accessToken"] = "a-new-token";
        h.ctx.connectionStore.put(fresh);
        return FakeHttpClient::json(400, R"({"error":{"message":"expired","code":190}})");
      });
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  EXPECT_TRUE((*h.ctx.connectionStore.get("sub1", "agent1", "instagram"))->active);
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
}

TEST_F(ProcessorTest, PermanentErrorsFailWithMetasCode) {
  h.ctx.agentsFake.replyWith("answer");
  h.ctx.httpFake.on(
      Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
      FakeHttpClient::json(
          400, R"({"error":{"message":"outside window","code":10,"error_subcode":2018278}})"));
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  auto out = byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, MessageStatus::kFailed);
  EXPECT_NE(out[0].error.find("10/2018278"), std::string::npos);
  EXPECT_NE(out[0].error.find("outside window"), std::string::npos);
  EXPECT_TRUE((*h.ctx.connectionStore.get("sub1", "agent1", "instagram"))->active);
}

TEST_F(ProcessorTest, LongRepliesAreSplitIntoSeveralSends) {
  std::string longText;
  for (int i = 0; i < 250; ++i) longText += "word" + std::to_string(i) + " ";
  h.ctx.agentsFake.replyWith(longText);
  h.scriptSendOk();
  receive(message("m1", "tell me everything", 1718000001000));
  h.ctx.inboxFake.drain("instagram");
  auto out = byDirection("outbound");
  ASSERT_GE(out.size(), 2u);
  for (const auto& m : out) {
    EXPECT_LE(m.text.size(), 1000u);
    EXPECT_EQ(m.status, MessageStatus::kSent);
  }
  EXPECT_EQ(h.sendCalls(), out.size());
}

TEST_F(ProcessorTest, ReactionsUnsendsEditsAndReads) {
  h.scriptSendOk();
  receive(message("aWdfZAG1faXRlbTo1", "original", 1718000000001));
  receive(message("aWdfZAG1faXRlbTo2", "to edit", 1718000000002));
  receive(echo("m_echo_1", "Thanks for writing!"));
  h.ctx.inboxFake.drain("instagram");
  receive(readCorpus("other_events.json"));
  h.ctx.inboxFake.drain("instagram");
  auto deleted = h.ctx.chatStore.findByMid("instagram", "aWdfZAG1faXRlbTo1");
  EXPECT_EQ((*deleted)->status, MessageStatus::kDeleted);
  EXPECT_TRUE((*deleted)->text.empty());
  auto edited = h.ctx.chatStore.findByMid("instagram", "aWdfZAG1faXRlbTo2");
  EXPECT_EQ((*edited)->text, "this one, edited");
  auto echoed = h.ctx.chatStore.findByMid("instagram", "m_echo_1");
  // react then unreact: the reaction is gone again, and the read receipt is recorded.
  EXPECT_NE((*echoed)->metaJson.find("\"reactions\":{}"), std::string::npos) << (*echoed)->metaJson;
  EXPECT_NE((*echoed)->metaJson.find("\"read\""), std::string::npos);
  bool sawReaction = false;
  for (const auto& [mid, patch] : h.ctx.chatStore.metaPatches())
    sawReaction = sawReaction || patch.find("\"love\"") != std::string::npos;
  EXPECT_TRUE(sawReaction);
  // Postbacks and the referral are stored as inbound messages.
  EXPECT_TRUE(h.ctx.chatStore.findByMid("instagram", "m_postback_1")->has_value());
  for (const auto& o : h.ctx.inboxFake.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
}

TEST_F(ProcessorTest, ProfileIsFetchedOnceAndKeptOnTheChat) {
  h.settings.profileFetch = true;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl(kUser),
                    FakeHttpClient::json(200, R"({"name":"Ana","username":"ana"})"));
  receive(message("m1", "", 1718000001000));
  receive(message("m2", "", 1718000002000));
  h.ctx.inboxFake.drain("instagram");
  auto chats = h.ctx.chatStore.allChats();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].userUsername, "ana");
  EXPECT_EQ(h.ctx.httpFake.requestsTo(kUser).size(), 1u);
}

TEST_F(ProcessorTest, EventsForADisconnectedAgentAreDropped) {
  h.ctx.agentsFake.replyWith("x");
  receive(message("m1", "hi", 1718000001000));
  h.ctx.connectionStore.disconnect("sub1", "agent1", "instagram");
  h.ctx.inboxFake.drain("instagram");
  EXPECT_TRUE(h.ctx.chatStore.allMessages().empty());
  EXPECT_TRUE(h.ctx.agentsFake.turns().empty());
}

TEST_F(ProcessorTest, StorageOutagesAreRetried) {
  h.ctx.chatStore.failWith = chathost::sdk::Status::unavailable("db down");
  receive(message("m1", "hi", 1718000001000));
  h.ctx.inboxFake.deliverAll("instagram");
  EXPECT_EQ(h.ctx.inboxFake.outcomes().back().kind, ProcessOutcome::Kind::kRetry);
  h.ctx.chatStore.failWith.reset();
  h.ctx.inboxFake.deliverAll("instagram");
  EXPECT_EQ(byDirection("inbound").size(), 1u);
}
