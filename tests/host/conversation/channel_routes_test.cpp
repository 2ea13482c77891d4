#include "channel_routes_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using sdk::ErrorCode;
using sdk::Method;

TEST_F(ChannelRoutesTest, RegistersTheSixRoutesUnderTheChannelsName) {
  start();
  for (auto [m, p] :
       std::vector<std::pair<Method, std::string>>{{Method::kPost, "fakechat/connect"},
                                                   {Method::kGet, "fakechat/status"},
                                                   {Method::kPost, "fakechat/send"},
                                                   {Method::kGet, "fakechat/messages"},
                                                   {Method::kGet, "fakechat/messages/:chatId"},
                                                   {Method::kPost, "fakechat/disconnect"}})
    EXPECT_TRUE(h.router.has(m, p)) << p;
  EXPECT_EQ(h.router.routes().size(), 6u);
  for (const auto& r : h.router.routes()) EXPECT_TRUE(r.agentScoped) << r.pattern;
}

TEST_F(ChannelRoutesTest, StatusReflectsTheConnection) {
  auto none = call(Method::kGet, "status");
  ASSERT_TRUE(none.isOk());
  EXPECT_NE(none->body.find(R"("isConnected":false,"isActive":false,"accountInfo":null)"),
            std::string::npos);
  h.connect();
  auto d = dataOf(*call(Method::kGet, "status"));
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->getValue<bool>("isConnected"));
  EXPECT_TRUE(d->getValue<bool>("isActive"));
  EXPECT_EQ(d->getObject("accountInfo")->getValue<std::string>("id"), kAccount);
  EXPECT_EQ(d->getObject("accountInfo")->getValue<std::string>("accountType"), "BUSINESS");
  h.connections.setActive("sub1", "agent1", kChannel, false, "token rejected");
  auto inactive = dataOf(*call(Method::kGet, "status"));
  EXPECT_FALSE(inactive->getValue<bool>("isActive"));
  EXPECT_EQ(inactive->getValue<std::string>("inactiveReason"), "token rejected");
}

TEST_F(ChannelRoutesTest, StatusPassesStorageErrorsOn) {
  h.connections.failWith = sdk::Status::unavailable("db down");
  EXPECT_EQ(call(Method::kGet, "status").status().code(), ErrorCode::kUnavailable);
}

TEST_F(ChannelRoutesTest, MessagesHasTheContractShape) {
  h.connect();
  auto chat = h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, 1000);
  h.chats.setProfile(chat->chatId, "Ana", "ana");
  host::Message m;
  m.chatId = chat->chatId;
  m.mid = "m1";
  m.direction = "inbound";
  m.text = "hi";
  m.timestamp = 1000;
  m.senderId = kUser;
  m.attachmentsJson = R"([{"type":"image","url":"u"}])";
  m.metaJson = R"({"reactions":{"1":{"emoji":"x"}}})";
  h.chats.addMessage(m);
  h.chats.ensureChat({"sub1", "agent1", "otherchat", kUser}, 1000);  // another channel's chat
  auto r = call(Method::kGet, "messages", "", {{"limit", "10"}, {"skip", "0"}});
  ASSERT_TRUE(r.isOk());
  auto d = dataOf(*r);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->getValue<int>("count"), 1);
  auto chats = d->getArray("chats");
  ASSERT_TRUE(chats && chats->size() == 1);
  auto c = chats->getObject(0);
  EXPECT_EQ(c->getValue<std::string>("chat_id"), chat->chatId);
  EXPECT_EQ(c->getValue<std::string>("agent_id"), "agent1");
  EXPECT_EQ(c->getValue<std::string>("chat_status"), "ongoing");
  EXPECT_EQ(c->getValue<int>("start_timestamp"), 1000);
  EXPECT_EQ(c->getValue<int>("message_count"), 1);
  auto meta = c->getObject("metadata");
  EXPECT_EQ(meta->getValue<std::string>("fakechat_user_id"), kUser);
  EXPECT_EQ(meta->getValue<std::string>("channel"), kChannel);
  EXPECT_EQ(meta->getValue<std::string>("username"), "ana");
  auto msg = c->getArray("messages")->getObject(0);
  for (const char* k : {"mid", "direction", "text", "timestamp", "sender_id", "status"})
    EXPECT_TRUE(msg->has(k)) << k;
  EXPECT_TRUE(msg->getArray("attachments"));
  EXPECT_TRUE(msg->getObject("reactions"));
}

TEST_F(ChannelRoutesTest, MessagesValidatesPaging) {
  for (const char* bad : {"0", "201", "-1", "abc", "", "1.5", "9999999999"})
    EXPECT_EQ(call(Method::kGet, "messages", "", {{"limit", bad}}).status().code(),
              ErrorCode::kValidation)
        << bad;
  EXPECT_EQ(call(Method::kGet, "messages", "", {{"skip", "-3"}}).status().code(),
            ErrorCode::kValidation);
  EXPECT_TRUE(call(Method::kGet, "messages", "", {{"limit", "200"}}).isOk());
  auto empty = call(Method::kGet, "messages");
  ASSERT_TRUE(empty.isOk());
  EXPECT_NE(empty->body.find(R"("chats":[],"count":0)"), std::string::npos);
}

TEST_F(ChannelRoutesTest, MessagesPagesThroughTheChats) {
  for (int i = 0; i < 3; ++i)
    h.chats.ensureChat({"sub1", "agent1", kChannel, "user-" + std::to_string(i)}, 1000 + i);
  auto d = dataOf(*call(Method::kGet, "messages", "", {{"limit", "1"}, {"skip", "1"}}));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->getValue<int>("count"), 3);
  ASSERT_EQ(d->getArray("chats")->size(), 1u);
  EXPECT_EQ(d->getArray("chats")
                ->getObject(0)
                ->getObject("metadata")
                ->getValue<std::string>("fakechat_user_id"),
            "user-1");
}

TEST_F(ChannelRoutesTest, DisconnectLetsTheChannelUndoErasesSecretsAndKeepsHistory) {
  h.connect();
  h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, 1000);
  auto r = call(Method::kPost, "disconnect");
  ASSERT_TRUE(r.isOk());
  EXPECT_NE(r->body.find("\"message\":\"FakeChat disconnected.\""), std::string::npos);
  EXPECT_FALSE(dataOf(*r)->getValue<bool>("isConnected"));
  auto undone = h.channel.disconnectCalls();
  ASSERT_EQ(undone.size(), 1u);
  EXPECT_EQ(undone[0].secrets.at("token"), kToken);
  auto c = stored();
  EXPECT_FALSE(c->connected);
  EXPECT_TRUE(c->secrets.empty());
  EXPECT_FALSE(dataOf(*call(Method::kGet, "status"))->getValue<bool>("isConnected"));
  EXPECT_EQ(h.chats.allChats().size(), 1u);
}

TEST_F(ChannelRoutesTest, DisconnectGoesAheadWhenTheChannelCannotUndo) {
  h.connect();
  h.channel.disconnects.then(sdk::Status::internal("unsubscribe failed"));
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  EXPECT_FALSE(stored()->connected);
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "could not undo"));
}

TEST_F(ChannelRoutesTest, DisconnectGoesAheadWhenTheChannelThrows) {
  h.connect();
  h.channel.disconnects.thenDo([]() -> sdk::Status { throw std::runtime_error("gone"); });
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  EXPECT_FALSE(stored()->connected);
}

TEST_F(ChannelRoutesTest, DisconnectWithoutAConnectionDoesNotBotherTheChannel) {
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  h.connect();
  h.connections.disconnect("sub1", "agent1", kChannel);
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  EXPECT_TRUE(h.channel.disconnectCalls().empty());
}

TEST_F(ChannelRoutesTest, DisconnectKeepsThePagesSubscriptionWhileAnotherConnectionUsesIt) {
  auto mine = h.connection();
  mine.pageId = "page-1";
  h.connections.put(mine);
  // Another tenant's agent on another channel of the platform, on the same Page.
  sdk::Connection theirs;
  theirs.subaccountId = "sub2";
  theirs.agentId = "agent9";
  theirs.channel = "otherchat";
  theirs.accountId = "page-1";
  theirs.pageId = "page-1";
  theirs.connected = true;
  h.connections.put(theirs);

  auto r = call(Method::kPost, "disconnect");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_FALSE(dataOf(*r)->getValue<bool>("isConnected"));
  EXPECT_TRUE(h.channel.disconnectCalls().empty());
  EXPECT_FALSE(stored()->connected);
  EXPECT_TRUE(stored()->secrets.empty());
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kInfo, "kept the Page's webhook subscription"));
  EXPECT_FALSE(h.log.mentions(kToken));

  // Once the Page's last connection leaves, its channel ends the subscription.
  h.connections.put(mine);
  h.connections.disconnect("sub2", "agent9", "otherchat");
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  ASSERT_EQ(h.channel.disconnectCalls().size(), 1u);
  EXPECT_EQ(h.channel.disconnectCalls()[0].pageId, "page-1");
}

TEST_F(ChannelRoutesTest, ConnectionsWithoutAPageNeverKeepEachOthersSubscription) {
  h.connect();  // no page id
  auto other = h.connection();
  other.subaccountId = "sub2";
  other.accountId = "acct-2";
  h.connections.put(other);  // connected, no page id either
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  EXPECT_EQ(h.channel.disconnectCalls().size(), 1u);
}

TEST_F(ChannelRoutesTest, DisconnectMakesTheWebhookPathSeeIt) {
  h.connect();
  ASSERT_TRUE((*h.cache.byAgent("sub1", "agent1", kChannel))->connected);
  ASSERT_TRUE(call(Method::kPost, "disconnect").isOk());
  EXPECT_FALSE((*h.cache.byAgent("sub1", "agent1", kChannel))->connected);
}
