// Events about earlier messages (reactions, edits, unsends, reads), profiles, and inbox rows
// recorded in the Instagram plugin's own format before the host owned the conversation engine.
#include "engine_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using host::ProcessOutcome;
using sdk::EventKind;

namespace {

sdk::InboundEvent reaction(const std::string& mid, const std::string& action, std::int64_t ts) {
  auto e = about(EventKind::kReaction, mid, ts);
  e.reactionAction = action;
  e.reaction = action == "react" ? "love" : "";
  e.emoji = action == "react" ? "\xe2\x9d\xa4" : "";
  return e;
}

}  // namespace

TEST_F(EngineTest, ReactionsUnsendsEditsAndReads) {
  receive({userMessage("m1", "original", kStart + 1), userMessage("m2", "to edit", kStart + 2),
           echo("m_echo_1", "Thanks for writing!")});
  drain();
  auto edit = about(EventKind::kEdit, "m2", kStart + 20);
  edit.text = "this one, edited";
  receive({about(EventKind::kUnsend, "m1", kStart + 10), edit,
           reaction("m_echo_1", "react", kStart + 30), reaction("m_echo_1", "unreact", kStart + 31),
           about(EventKind::kRead, "m_echo_1", kStart + 40)});
  drain();
  for (const auto& o : h.inbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);

  auto deleted = byMid("m1");
  EXPECT_EQ(deleted->status, MessageStatus::kDeleted);
  EXPECT_TRUE(deleted->text.empty());
  EXPECT_EQ(byMid("m2")->text, "this one, edited");
  auto echoed = byMid("m_echo_1");
  // react then unreact: the reaction is gone again, and the read receipt is recorded.
  EXPECT_NE(echoed->metaJson.find("\"reactions\":{}"), std::string::npos) << echoed->metaJson;
  EXPECT_NE(echoed->metaJson.find(R"("read":{"by":"user-1","timestamp":1718000000040})"),
            std::string::npos)
      << echoed->metaJson;
  bool sawReaction = false;
  for (const auto& [mid, patch] : h.chats.metaPatches())
    sawReaction = sawReaction || patch.find("\"love\"") != std::string::npos;
  EXPECT_TRUE(sawReaction);
  EXPECT_EQ(h.counter("events_processed_total", "processed"), 8);
}

// Messenger's receipts carry a watermark ("read everything sent before"), not a message id.
sdk::InboundEvent watermarkRead(std::int64_t watermark, std::int64_t ts,
                                const std::string& user = kUser) {
  auto e = about(EventKind::kRead, "", ts, user);
  e.metaJson = "{\"read\":{\"watermark\":" + std::to_string(watermark) + "}}";
  e.dedupKey = "read:" + std::to_string(watermark) + ":" + user;
  return e;
}

TEST_F(EngineTest, AWatermarkReceiptIsKeptOnTheNewestOwnMessageItCovers) {
  auto early = echo("m_early", "First answer");
  early.timestamp = kStart + 5;
  auto middle = echo("m_middle", "Second answer");
  middle.timestamp = kStart + 10;
  auto late = echo("m_late", "Written after the receipt's watermark");
  late.timestamp = kStart + 50;
  receive({userMessage("m_user", "hello", kStart + 1), early, middle, late});
  drain();
  receive({watermarkRead(kStart + 20, kStart + 60)});
  drain();
  for (const auto& o : h.inbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
  EXPECT_NE(
      byMid("m_middle")
          ->metaJson.find(
              R"("read":{"by":"user-1","timestamp":1718000000060,"watermark":1718000000020})"),
      std::string::npos)
      << byMid("m_middle")->metaJson;
  EXPECT_EQ(byMid("m_early")->metaJson.find("read"), std::string::npos);
  EXPECT_EQ(byMid("m_late")->metaJson.find("read"), std::string::npos);
  EXPECT_EQ(byMid("m_user")->metaJson.find("read"), std::string::npos);  // the user's own
}

TEST_F(EngineTest, AWatermarkReceiptTouchesOnlyItsSendersChatAndNeedsAWatermark) {
  receive({echo("m_echo_1", "Thanks!")});
  drain();
  auto noWatermark = watermarkRead(0, kStart + 10);
  noWatermark.metaJson = "{\"read\":{}}";
  receive({watermarkRead(kStart + 100, kStart + 5, "user-2"), noWatermark,
           watermarkRead(kStart - 40000, kStart + 6)});  // before every message of the chat
  drain();
  for (const auto& o : h.inbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(byMid("m_echo_1")->metaJson.find("read"), std::string::npos)
      << byMid("m_echo_1")->metaJson;
}

TEST_F(EngineTest, AReactionIsKeptPerUserWithItsEmojiAndTime) {
  receive({echo("m_echo_1", "Thanks!")});
  drain();
  receive({reaction("m_echo_1", "react", kStart + 30)});
  drain();
  auto meta = json::parseObject(byMid("m_echo_1")->metaJson);
  ASSERT_TRUE(meta);
  auto mine = meta->getObject("reactions")->getObject(kUser);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->getValue<std::string>("reaction"), "love");
  EXPECT_EQ(mine->getValue<std::string>("emoji"), "\xe2\x9d\xa4");
  EXPECT_EQ(mine->getValue<std::int64_t>("timestamp"), kStart + 30);
}

TEST_F(EngineTest, EventsAboutAMessageNeverStoredAreAcknowledged) {
  receive({about(EventKind::kUnsend, "m_unknown", kStart + 10),
           reaction("m_unknown", "react", kStart + 11)});
  drain();
  for (const auto& o : h.inbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
  EXPECT_TRUE(h.chats.allMessages().empty());
}

// These events name their message by mid only: one user must not touch another chat's messages.
TEST_F(EngineTest, EventsAboutAnotherChatsMessageAreIgnored) {
  receive({userMessage("m1", "mine")});
  drain();
  auto edit = about(EventKind::kEdit, "m1", kStart + 20, "user-2");
  edit.text = "hijacked";
  receive({about(EventKind::kUnsend, "m1", kStart + 10, "user-2"), edit,
           reaction("m1", "react", kStart + 30)});
  auto foreign = reaction("m1", "react", kStart + 31);
  foreign.userId = foreign.senderId = "user-2";
  receive({foreign});
  drain();
  auto m1 = byMid("m1");
  EXPECT_EQ(m1->status, MessageStatus::kReceived);
  EXPECT_EQ(m1->text, "mine");
  EXPECT_EQ(m1->metaJson.find("user-2"), std::string::npos) << m1->metaJson;
  EXPECT_NE(m1->metaJson.find(kUser), std::string::npos) << m1->metaJson;  // its own user's
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "another chat"));
}

TEST_F(EngineTest, AnotherAgentsEventsNeverTouchThisAgentsMessages) {
  auto other = h.connection();
  other.agentId = "agent2";
  other.accountId = "acct-2";
  h.connections.put(other);
  receive({userMessage("m1", "for agent1")});
  drain();
  h.receive({about(EventKind::kUnsend, "m1", kStart + 10)}, "sub1", "agent2");
  drain();
  EXPECT_EQ(byMid("m1")->status, MessageStatus::kReceived);
}

TEST_F(EngineTest, ProfileIsFetchedOnceAndKeptOnTheChat) {
  h.channel.description.fetchesProfiles = true;
  h.channel.profiles.then(std::optional<sdk::UserProfile>(sdk::UserProfile{"Ana", "ana"}));
  receive({userMessage("m1", "", kStart + 1), userMessage("m2", "", kStart + 2)});
  drain();
  auto chats = h.chats.allChats();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].userName, "Ana");
  EXPECT_EQ(chats[0].userUsername, "ana");
  auto calls = h.channel.profileCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].userId, kUser);
  EXPECT_EQ(calls[0].connection.secrets.at("token"), kToken);
}

TEST_F(EngineTest, ProfilesAreFetchedAfterTheReplyIsQueued) {
  h.channel.description.fetchesProfiles = true;
  h.agents.replyWith("answer");
  h.channel.profiles.thenDo([this]() -> sdk::Result<std::optional<sdk::UserProfile>> {
    EXPECT_EQ(h.outbox.appended().size(), 1u);
    return std::optional<sdk::UserProfile>(sdk::UserProfile{"Ana", "ana"});
  });
  receive({userMessage("m1", "hi")});
  drain();
  EXPECT_EQ(h.channel.profileCalls().size(), 1u);
}

TEST_F(EngineTest, AFailedProfileFetchIsTriedAgainWithTheNextMessage) {
  h.channel.description.fetchesProfiles = true;
  h.channel.profiles.then(sdk::Status::unavailable("Graph down"));
  h.channel.profiles.thenDo(
      []() -> sdk::Result<std::optional<sdk::UserProfile>> { throw std::runtime_error("broken"); });
  h.channel.profiles.then(std::optional<sdk::UserProfile>(sdk::UserProfile{"Ana", "ana"}));
  receive({userMessage("m1", "", kStart + 1), userMessage("m2", "", kStart + 2),
           userMessage("m3", "", kStart + 3), userMessage("m4", "", kStart + 4)});
  drain();
  for (const auto& o : h.inbox.outcomes()) EXPECT_EQ(o.kind, ProcessOutcome::Kind::kDone);
  EXPECT_EQ(h.channel.profileCalls().size(), 3u);
  EXPECT_EQ(h.chats.allChats().at(0).userUsername, "ana");
}

TEST_F(EngineTest, AProfileThePlatformRefusesForGoodIsNotAskedAgain) {
  h.channel.description.fetchesProfiles = true;  // the default answer: no profile
  receive({userMessage("m1", "", kStart + 1), userMessage("m2", "", kStart + 2)});
  drain();
  EXPECT_EQ(h.channel.profileCalls().size(), 1u);
  EXPECT_EQ(h.chats.allChats().at(0).userName, "");
}

TEST_F(EngineTest, ProfilesAreNotFetchedWhenTheChannelHasNone) {
  receive({userMessage("m1", "")});
  drain();
  EXPECT_TRUE(h.channel.profileCalls().empty());
}

// ---------------------------------------------------------------------------------------------
// Rows recorded by the Instagram plugin before the host owned the engine.

namespace {

const char* kLegacyItem =
    R"({"sender":{"id":"user-1"},"recipient":{"id":"acct-1"},"timestamp":1718000001000,)"
    R"("message":{"mid":"m_old","text":"still there?"}})";

void recordLegacy(Harness& h, const std::string& payload) {
  host::NewInboxEvent row;
  row.channel = kChannel;
  row.subaccountId = "sub1";
  row.agentId = "agent1";
  row.orderingKey = "sub1:agent1:user-1";
  row.dedupKey = "mid:m_old";
  row.kind = "message";
  row.payload = payload;
  ASSERT_TRUE(h.inbox.append({row}).isOk());
}

std::string legacyPayload(bool standby) {
  return std::string(R"({"entryId":"acct-1","standby":)") + (standby ? "true" : "false") +
         R"(,"subaccountId":"sub1","agentId":"agent1","event":)" + kLegacyItem + "}";
}

}  // namespace

TEST_F(EngineTest, ALegacyRowIsReadThroughTheChannelsParser) {
  h.agents.replyWith("yes!");
  h.channel.parse.then(parsedOf({userMessage("m_old", "still there?")}));
  recordLegacy(h, legacyPayload(false));
  drain();
  EXPECT_EQ(lastOutcome().kind, ProcessOutcome::Kind::kDone);
  auto bodies = h.channel.parsedBodies();
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0],
            std::string(R"({"object":"instagram","entry":[{"id":"acct-1","messaging":[)") +
                kLegacyItem + "]}]}");
  auto in = byMid("m_old");
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(in->text, "still there?");
  EXPECT_EQ(sends(), 1u);
}

TEST_F(EngineTest, ALegacyStandbyRowIsParsedAsStandby) {
  auto standby = userMessage("m_old", "still there?");
  standby.standby = true;
  h.channel.parse.then(parsedOf({standby}));
  h.agents.replyWith("never");
  recordLegacy(h, legacyPayload(true));
  drain();
  ASSERT_EQ(h.channel.parsedBodies().size(), 1u);
  EXPECT_NE(h.channel.parsedBodies()[0].find("\"standby\":["), std::string::npos);
  EXPECT_TRUE(byMid("m_old").has_value());
  EXPECT_EQ(sends(), 0u);
}

TEST_F(EngineTest, ALegacyRowTheChannelCannotReadAsOneEventFails) {
  recordLegacy(h, legacyPayload(false));  // the default parser refuses it
  h.channel.parse.then(sdk::Status::validation("not mine"));
  h.channel.parse.then(parsedOf({}));
  h.channel.parse.then(parsedOf({userMessage("a", "1"), userMessage("b", "2")}));
  h.channel.parse.thenDo(
      []() -> sdk::Result<sdk::ParsedWebhook> { throw std::runtime_error("x"); });
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(redeliverFirst(1).kind, ProcessOutcome::Kind::kFailed) << i;
  }
  EXPECT_EQ(h.channel.parsedBodies().size(), 4u);
  EXPECT_TRUE(h.chats.allMessages().empty());
}
