#include "engine_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using host::backoffDelayMs;
using host::MessageStatus;
using host::ProcessOutcome;

TEST(Backoff, DoublesWithJitterAndCaps) {
  EXPECT_EQ(backoffDelayMs(1, 0.5), 1000);
  EXPECT_EQ(backoffDelayMs(2, 0.5), 2000);
  EXPECT_EQ(backoffDelayMs(3, 0.0), 3200);
  EXPECT_EQ(backoffDelayMs(3, 1.0), 4800);
  EXPECT_EQ(backoffDelayMs(30, 0.5), 60000);
  EXPECT_EQ(backoffDelayMs(0, 0.5), 1000);
}

TEST_F(EngineTest, StoresTheMessageAndSendsTheAgentsReplyOnce) {
  h.agents.replyWith("We ship everywhere!");
  receive({userMessage("m1", "do you ship?")});
  drain();
  auto in = h.byDirection("inbound");
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].mid, "m1");
  EXPECT_EQ(in[0].text, "do you ship?");
  EXPECT_EQ(in[0].senderId, kUser);
  EXPECT_EQ(in[0].status, MessageStatus::kReceived);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "We ship everywhere!");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[0].mid, "sent_1");
  EXPECT_EQ(out[0].senderId, kAccount);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.recipientId, kUser);
  EXPECT_EQ(calls[0].message.text, "We ship everywhere!");
  EXPECT_EQ(calls[0].connection.secrets.at("token"), kToken);
  auto turns = h.agents.turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].text, "do you ship?");
  EXPECT_EQ(turns[0].userId, kUser);
  EXPECT_EQ(turns[0].channel, kChannel);
  EXPECT_EQ(turns[0].agentId, "agent1");
  EXPECT_EQ(turns[0].subaccountId, "sub1");
  EXPECT_EQ(turns[0].chatId, in[0].chatId);
  EXPECT_TRUE(turns[0].history.empty());
  EXPECT_EQ(h.counter("events_processed_total", "processed"), 1);
}

TEST_F(EngineTest, TheAgentSeesTheChatsEarlierMessagesAsHistory) {
  h.agents.replyWith("answer");
  receive({userMessage("m1", "first", h.now - 1000)});
  drain();
  h.now += 5000;
  receive({userMessage("m2", "second", h.now - 10)});
  drain();
  auto turns = h.agents.turns();
  ASSERT_EQ(turns.size(), 2u);
  ASSERT_EQ(turns[1].history.size(), 2u);
  EXPECT_EQ(turns[1].history[0].direction, "inbound");
  EXPECT_EQ(turns[1].history[0].text, "first");
  EXPECT_EQ(turns[1].history[1].direction, "outbound");
  EXPECT_EQ(turns[1].history[1].text, "answer");
  EXPECT_EQ(turns[1].text, "second");
}

TEST_F(EngineTest, DuplicateDeliveriesAreDropped) {
  h.agents.replyWith("ok");
  receive({userMessage("m1", "hi")});
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ(h.counter("events_processed_total", "duplicate"), 1);
}

TEST_F(EngineTest, DedupFallsBackToTheStoreWhenKvIsDown) {
  h.agents.replyWith("ok");
  h.kv.unavailable = true;
  receive({userMessage("m1", "hi")});
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
  EXPECT_EQ(h.byDirection("outbound").size(), 1u);
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, RedeliveryAfterAckNeverResends) {
  h.agents.replyWith("answer");
  receive({userMessage("m1", "hi")});
  drain();
  ASSERT_EQ(sends(), 1u);
  // The host crashed before marking the row done: the same row comes back.
  EXPECT_EQ(redeliverFirst().kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ(h.agents.turns().size(), 1u);
  EXPECT_EQ(h.byDirection("outbound").size(), 1u);
}

TEST_F(EngineTest, AnAgentFailureIsRetriedWithoutStoringTheMessageTwice) {
  int calls = 0;
  h.agents.setReplier([&](const host::AgentTurn&) -> sdk::Result<host::AgentReply> {
    if (++calls == 1) return sdk::Status::unavailable("model down");
    return host::AgentReply{"back again"};
  });
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_NE(lastOutcome().reason.find("model down"), std::string::npos);
  drain();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "back again");
}

TEST_F(EngineTest, AnAgentThatChoosesNotToAnswerSendsNothing) {
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(h.agents.turns().size(), 1u);
  EXPECT_TRUE(h.byDirection("outbound").empty());
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
}

TEST_F(EngineTest, LongRepliesAreSplitIntoSeveralSendsInOrder) {
  std::string longText;
  for (int i = 0; i < 60; ++i) longText += "word" + std::to_string(i) + " ";
  h.agents.replyWith(longText);
  receive({userMessage("m1", "tell me everything")});
  drain();
  auto out = h.byDirection("outbound");
  ASSERT_GE(out.size(), 3u);
  std::string joined;
  for (const auto& m : out) {
    EXPECT_LE(m.text.size(), 100u);
    EXPECT_EQ(m.status, MessageStatus::kSent);
    joined += (joined.empty() ? "" : " ") + m.text;
  }
  EXPECT_EQ(joined + " ", longText);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), out.size());
  for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i].message.text, out[i].text);
}

TEST_F(EngineTest, EchoesAreStoredOnceAndNeverAnswered) {
  h.agents.replyWith("should not be sent");
  receive({echo("m_app", "sent from the phone")});
  receive({echo("m_app", "sent from the phone")});
  drain();
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "m_app");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  EXPECT_EQ(out[0].senderId, kAccount);
  EXPECT_TRUE(h.agents.turns().empty());
  EXPECT_EQ(sends(), 0u);
  auto chats = h.chats.allChats();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].key.channelUserId, kUser);  // the customer's chat, not the account's
}

TEST_F(EngineTest, EchoOfOurOwnReplyIsNotStoredTwice) {
  h.agents.replyWith("answer");
  receive({userMessage("m1", "hi")});
  drain();
  receive({echo("sent_1", "answer")});
  drain();
  EXPECT_EQ(h.byDirection("outbound").size(), 1u);
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, EchoReconcilesASendWhoseAckNeverArrived) {
  h.agents.replyWith("answer");
  h.channel.sends.then(sdk::SendResult::failed(sdk::SendResult::Kind::kRetry, "timed out"));
  receive({userMessage("m1", "hi")});
  deliverAll();  // the send timed out: retry scheduled
  ASSERT_EQ(lastSendOutcome().kind, ProcessOutcome::Kind::kRetry);
  receive({echo("m_delivered", "answer")});  // ...but the platform delivered it
  deliverAll();
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].mid, "m_delivered");
  EXPECT_EQ(out[0].status, MessageStatus::kSent);
  std::size_t calls = sends();
  drain();  // the retry finds it sent
  EXPECT_EQ(sends(), calls);
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
}

TEST_F(EngineTest, StandbyMessagesAndReferralsAreStoredButNeverAnswered) {
  h.agents.replyWith("answer");
  auto standby = userMessage("m1", "someone else answers this");
  standby.standby = true;
  auto referral = userMessage("", "");
  referral.kind = sdk::EventKind::kReferral;
  referral.dedupKey = "referral:user-1:1";
  referral.metaJson = R"({"referral":{"ref":"ad-7"}})";
  auto media = userMessage("m3", "");
  media.attachmentsJson = R"([{"type":"image","url":"u"}])";
  receive({standby, referral, media});
  drain();
  auto in = h.byDirection("inbound");
  ASSERT_EQ(in.size(), 3u);
  EXPECT_EQ(in[1].metaJson, R"({"referral":{"ref":"ad-7"}})");
  EXPECT_EQ(in[2].attachmentsJson, R"([{"type":"image","url":"u"}])");
  EXPECT_TRUE(h.agents.turns().empty());
  EXPECT_EQ(sends(), 0u);
}

TEST_F(EngineTest, PostbacksAreStoredAndAnswered) {
  h.agents.replyWith("Welcome!");
  auto postback = userMessage("m_postback_1", "Get started");
  postback.kind = sdk::EventKind::kPostback;
  postback.metaJson = R"({"postback":{"payload":"START"}})";
  receive({postback});
  drain();
  auto stored = byMid("m_postback_1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->direction, "inbound");
  EXPECT_EQ(stored->metaJson, R"({"postback":{"payload":"START"}})");
  ASSERT_EQ(h.agents.turns().size(), 1u);
  EXPECT_EQ(h.agents.turns()[0].text, "Get started");
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, AnInactiveConnectionStoresMessagesButDoesNotAnswer) {
  h.agents.replyWith("answer");
  h.connections.setActive("sub1", "agent1", kChannel, false, "token rejected");
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
  EXPECT_TRUE(h.agents.turns().empty());
  EXPECT_EQ(sends(), 0u);
}

TEST_F(EngineTest, UnknownEventsAreAcknowledgedAndNeverAnswered) {
  h.agents.replyWith("answer");
  auto odd = userMessage("m1", "something new");
  odd.kind = sdk::EventKind::kUnknown;
  receive({odd});
  drain();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.chats.allMessages().empty());
  EXPECT_TRUE(h.agents.turns().empty());
}

TEST_F(EngineTest, EventsForADisconnectedAgentAreDropped) {
  h.agents.replyWith("x");
  receive({userMessage("m1", "hi")});
  h.connections.disconnect("sub1", "agent1", kChannel);
  drain();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.chats.allMessages().empty());
  EXPECT_TRUE(h.agents.turns().empty());
  EXPECT_EQ(h.counter("events_processed_total", "dropped"), 1);
}

TEST_F(EngineTest, StorageOutagesAreRetried) {
  h.chats.failWith = sdk::Status::unavailable("db down");
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_EQ(lastOutcome().retryDelayMs, 1000);
  h.chats.failWith.reset();
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(h.byDirection("inbound").size(), 1u);
}

TEST_F(EngineTest, ConnectionLookupFailuresAreRetried) {
  h.connections.failWith = sdk::Status::unavailable("db down");
  receive({userMessage("m1", "hi")});
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kRetry);
  EXPECT_NE(lastOutcome().reason.find("connection lookup"), std::string::npos);
  EXPECT_TRUE(h.chats.allMessages().empty());
}

TEST_F(EngineTest, AnUnreadablePayloadFailsTheEvent) {
  host::NewInboxEvent junk;
  junk.channel = kChannel;
  junk.subaccountId = "sub1";
  junk.agentId = "agent1";
  junk.payload = "{not json";
  ASSERT_TRUE(h.inbox.append({junk}).isOk());
  deliverAll();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kFailed);
  EXPECT_NE(lastOutcome().reason.find("unreadable"), std::string::npos);
  EXPECT_TRUE(h.channel.parsedBodies().empty());
}

// The operator (or another tool) sends the same words from the platform's own app while our
// reply is still queued: that echo is another message, and our part still goes out.
TEST_F(EngineTest, AnEchoOfAnotherMessageLeavesAQueuedPartToBeSent) {
  h.agents.replyWith("Thanks!");
  receive({userMessage("m1", "hi")});
  start();
  h.inbox.deliverAll(kChannel);  // the reply is queued; no sender has taken it up yet
  receive({echo("m_from_app", "Thanks!")});
  h.inbox.deliverAll(kChannel);
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 2u);
  auto queued = *h.chats.findByLocalId("reply:fakechat:m1:0");
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->status, MessageStatus::kPending);
  EXPECT_TRUE(queued->mid.empty());
  h.outbox.deliverAll(kChannel);
  EXPECT_EQ(sends(), 1u);
  EXPECT_EQ((*h.chats.findByLocalId("reply:fakechat:m1:0"))->status, MessageStatus::kSent);
}

TEST_F(EngineTest, ARetryFindsReplyPartsStoredUnderTheOldIdFormat) {
  h.agents.replyWith("fresh answer");
  receive({userMessage("m1", "hi")});
  // An earlier version stored the reply as "reply:<mid>:<n>" and crashed before sending it.
  start();
  auto chat = h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, kStart);
  ASSERT_TRUE(chat.isOk());
  host::Message stored;
  stored.localId = "reply:m1:0";
  stored.chatId = chat->chatId;
  stored.direction = "outbound";
  stored.text = "answer from before";
  stored.status = host::MessageStatus::kPending;
  ASSERT_TRUE(*h.chats.addMessage(stored));
  sdk::InboundEvent inbound = userMessage("m1", "hi");
  host::Message in;
  in.localId = "in:" + std::string(kChannel) + ":" + inbound.dedupKey;
  in.chatId = chat->chatId;
  in.mid = "m1";
  in.direction = "inbound";
  in.text = "hi";
  ASSERT_TRUE(*h.chats.addMessage(in));

  EXPECT_EQ(redeliverFirst().kind, ProcessOutcome::Kind::kDone);
  h.outbox.deliverAll(kChannel);
  ASSERT_EQ(sends(), 1u);
  EXPECT_EQ(h.channel.sendCalls()[0].message.text, "answer from before");
  EXPECT_TRUE(h.agents.turns().empty()) << "the agent is not asked again";
}

TEST_F(EngineTest, AReplysAttachmentsGoAfterItsTextAsMediaParts) {
  h.channel.description.sendsAttachments = true;
  h.agents.setReplier([](const host::AgentTurn&) -> sdk::Result<host::AgentReply> {
    host::AgentReply reply;
    reply.text = "Here it is:";
    reply.attachments = {{"image", "https://cdn.example.com/blue.jpg"},
                         {"file", "https://cdn.example.com/size-guide.pdf"}};
    return reply;
  });
  receive({userMessage("m1", "photo please")});
  drain();
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].message.text, "Here it is:");
  EXPECT_FALSE(calls[0].message.attachment.has_value());
  ASSERT_TRUE(calls[1].message.attachment.has_value());
  EXPECT_EQ(calls[1].message.attachment->type, "image");
  EXPECT_EQ(calls[1].message.attachment->url, "https://cdn.example.com/blue.jpg");
  EXPECT_TRUE(calls[1].message.text.empty());
  ASSERT_TRUE(calls[2].message.attachment.has_value());
  EXPECT_EQ(calls[2].message.attachment->type, "file");
  for (const auto& c : calls)
    EXPECT_TRUE(c.message.tag.empty()) << "agent replies are never tagged";
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].attachmentsJson,
            R"([{"type":"image","payload":{"url":"https://cdn.example.com/blue.jpg"}}])");
}

TEST_F(EngineTest, AChannelWithoutMediaGetsTheAttachmentsLinkAsText) {
  h.agents.setReplier([](const host::AgentTurn&) -> sdk::Result<host::AgentReply> {
    host::AgentReply reply;
    reply.attachments = {{"image", "https://cdn.example.com/blue.jpg"}};
    return reply;
  });
  receive({userMessage("m1", "photo please")});
  drain();
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.text, "https://cdn.example.com/blue.jpg");
  EXPECT_FALSE(calls[0].message.attachment.has_value());
}

TEST_F(EngineTest, AMediaEchoDoesNotReconcileATextPartNorTheReverse) {
  h.channel.description.sendsAttachments = true;
  h.agents.setReplier([](const host::AgentTurn&) -> sdk::Result<host::AgentReply> {
    host::AgentReply reply;
    reply.attachments = {{"image", "https://cdn.example.com/blue.jpg"}};
    return reply;
  });
  h.channel.sends.then(sdk::SendResult::failed(sdk::SendResult::Kind::kRetry, "timed out"));
  receive({userMessage("m1", "photo please")});
  deliverAll();  // our image's send timed out: it may or may not have arrived
  // An echo with neither text nor media (sent from the app by another tool) is not our image.
  receive({echo("m_from_app", "")});
  deliverAll();
  auto out = h.byDirection("outbound");
  ASSERT_EQ(out.size(), 2u) << "the echo without media is a message of its own";
  std::size_t pending = 0;
  for (const auto& m : out) pending += m.status == MessageStatus::kPending;
  EXPECT_EQ(pending, 1u) << "our image part is still to be sent";
}
