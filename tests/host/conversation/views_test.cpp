#include "conversation/views.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using host::chatPageJson;
using host::chatThreadJson;
using host::connectionStatusJson;

namespace {

host::Message stored(const std::string& mid, const std::string& meta = "{}",
                     const std::string& attachments = "[]") {
  host::Message m;
  m.localId = "in:" + mid;
  m.chatId = "chat_1";
  m.mid = mid;
  m.direction = "inbound";
  m.text = "hi";
  m.timestamp = 1000;
  m.senderId = kUser;
  m.metaJson = meta;
  m.attachmentsJson = attachments;
  return m;
}

host::ChatPage pageWith(std::vector<host::Message> messages) {
  host::Chat c;
  c.chatId = "chat_1";
  c.key = {"sub1", "agent1", kChannel, kUser};
  c.startTimestamp = 900;
  c.messageCount = static_cast<std::int64_t>(messages.size());
  host::ChatPage page;
  page.chats.push_back({c, std::move(messages)});
  page.count = 7;
  return page;
}

json::ObjectPtr firstMessage(const std::string& pageJson) {
  auto root = json::parseObject(pageJson);
  if (!root) return nullptr;
  return root->getArray("chats")->getObject(0)->getArray("messages")->getObject(0);
}

}  // namespace

TEST(StatusView, NoConnectionOrADisconnectedOne) {
  const std::string none = R"({"isConnected":false,"isActive":false,"accountInfo":null})";
  EXPECT_EQ(connectionStatusJson(std::nullopt), none);
  Harness h;
  auto gone = h.connection();
  gone.connected = false;
  EXPECT_EQ(connectionStatusJson(gone), none);
}

TEST(StatusView, AnActiveConnection) {
  Harness h;
  EXPECT_EQ(connectionStatusJson(h.connection()),
            R"({"isConnected":true,"isActive":true,"accountInfo":)"
            R"({"id":"acct-1","username":"shop","accountType":"BUSINESS","tokenExpiresAt":null}})");
}

TEST(StatusView, AnExpiringTokenSaysWhen) {
  Harness h;
  auto c = h.connection();
  c.tokenExpiresAt = 1723000000000;
  auto info = json::parseObject(connectionStatusJson(c))->getObject("accountInfo");
  EXPECT_EQ(info->getValue<std::int64_t>("tokenExpiresAt"), 1723000000000);
  c.tokenExpiresAt = 0;
  info = json::parseObject(connectionStatusJson(c))->getObject("accountInfo");
  EXPECT_TRUE(info->isNull("tokenExpiresAt"));
}

TEST(StatusView, AnInactiveConnectionSaysWhyWhenItKnows) {
  Harness h;
  auto c = h.connection();
  c.active = false;
  c.inactiveReason = "token \"expired\"";
  auto o = json::parseObject(connectionStatusJson(c));
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->getValue<bool>("isActive"));
  EXPECT_EQ(o->getValue<std::string>("inactiveReason"), "token \"expired\"");
  c.inactiveReason.clear();
  EXPECT_FALSE(json::parseObject(connectionStatusJson(c))->has("inactiveReason"));
  c.active = true;
  c.inactiveReason = "stale";
  EXPECT_FALSE(json::parseObject(connectionStatusJson(c))->has("inactiveReason"));
}

TEST(StatusView, AnUnknownAccountType) {
  Harness h;
  auto c = h.connection();
  c.accountType.clear();
  auto info = json::parseObject(connectionStatusJson(c))->getObject("accountInfo");
  EXPECT_EQ(info->getValue<std::string>("accountType"), "UNKNOWN");
}

TEST(ChatPageView, HasTheContractShape) {
  auto page = pageWith({stored("m1", "{}", R"([{"type":"image","url":"u"}])")});
  page.chats[0].chat.userName = "Ana";
  page.chats[0].chat.userUsername = "ana";
  auto root = json::parseObject(chatPageJson(page, kChannel));
  ASSERT_TRUE(root);
  EXPECT_EQ(json::names(root), (std::vector<std::string>{"chats", "count"}));
  EXPECT_EQ(root->getValue<int>("count"), 7);
  auto c = root->getArray("chats")->getObject(0);
  EXPECT_EQ(json::names(c),
            (std::vector<std::string>{"chat_id", "agent_id", "chat_status", "start_timestamp",
                                      "message_count", "last_message_at", "last_inbound_at",
                                      "reply_window_ends_at", "human_agent_window_ends_at",
                                      "messages", "metadata"}));
  EXPECT_EQ(c->getValue<std::string>("chat_id"), "chat_1");
  EXPECT_EQ(c->getValue<std::string>("agent_id"), "agent1");
  EXPECT_EQ(c->getValue<std::string>("chat_status"), "ongoing");
  EXPECT_EQ(c->getValue<std::int64_t>("start_timestamp"), 900);
  EXPECT_EQ(c->getValue<std::int64_t>("message_count"), 1);
  auto meta = c->getObject("metadata");
  EXPECT_EQ(json::names(meta),
            (std::vector<std::string>{"fakechat_user_id", "channel", "username", "name"}));
  EXPECT_EQ(meta->getValue<std::string>("fakechat_user_id"), kUser);
  EXPECT_EQ(meta->getValue<std::string>("channel"), kChannel);
  EXPECT_EQ(meta->getValue<std::string>("username"), "ana");
  EXPECT_EQ(meta->getValue<std::string>("name"), "Ana");
  auto m = c->getArray("messages")->getObject(0);
  EXPECT_EQ(json::names(m),
            (std::vector<std::string>{"mid", "direction", "text", "attachments", "timestamp",
                                      "sender_id", "seq", "status", "meta"}));
  EXPECT_EQ(m->getValue<std::string>("status"), "received");
  EXPECT_EQ(m->getArray("attachments")->size(), 1u);
}

TEST(ChatPageView, TheUserIdMemberIsNamedForTheChannel) {
  auto root = json::parseObject(chatPageJson(pageWith({}), "whatsapp"));
  auto meta = root->getArray("chats")->getObject(0)->getObject("metadata");
  EXPECT_EQ(meta->getValue<std::string>("whatsapp_user_id"), kUser);
  EXPECT_EQ(meta->getValue<std::string>("channel"), "whatsapp");
  EXPECT_FALSE(meta->has("username"));
  EXPECT_FALSE(meta->has("name"));
}

TEST(ChatPageView, AnEmptyPage) {
  host::ChatPage page;
  EXPECT_EQ(chatPageJson(page, kChannel), R"({"chats":[],"count":0})");
}

TEST(ChatPageView, ContractMetaMembersAreHoistedToTheMessage) {
  const std::string meta =
      R"({"reactions":{"u":{"emoji":"x"}},"reply_to":{"mid":"m0"},"quick_reply":{"payload":"A"},)"
      R"("referral":{"ref":"ad"},"postback":{"payload":"P"},"read":{"by":"u"},"edited":true})";
  auto m = firstMessage(chatPageJson(pageWith({stored("m1", meta)}), kChannel));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->getObject("reactions")->getObject("u")->getValue<std::string>("emoji"), "x");
  EXPECT_EQ(m->getObject("reply_to")->getValue<std::string>("mid"), "m0");
  EXPECT_EQ(m->getObject("quick_reply")->getValue<std::string>("payload"), "A");
  EXPECT_EQ(m->getObject("referral")->getValue<std::string>("ref"), "ad");
  EXPECT_EQ(m->getObject("postback")->getValue<std::string>("payload"), "P");
  EXPECT_FALSE(m->has("read"));
  EXPECT_FALSE(m->has("edited"));
  EXPECT_TRUE(m->getObject("meta")->has("read"));
  EXPECT_EQ(json::toText(m->get("meta")), meta);
}

TEST(ChatPageView, AFailedMessageCarriesItsError) {
  auto failed = stored("m1");
  failed.direction = "outbound";
  failed.status = host::MessageStatus::kFailed;
  failed.error = "Graph error 10: \"window\"";
  auto m = firstMessage(chatPageJson(pageWith({failed, stored("m2")}), kChannel));
  EXPECT_EQ(m->getValue<std::string>("status"), "failed");
  EXPECT_EQ(m->getValue<std::string>("error"), "Graph error 10: \"window\"");
  auto root = json::parseObject(chatPageJson(pageWith({failed, stored("m2")}), kChannel));
  auto second = root->getArray("chats")->getObject(0)->getArray("messages")->getObject(1);
  EXPECT_FALSE(second->has("error"));
}

TEST(ChatPageView, DamagedStoredJsonIsShownEmpty) {
  auto page =
      pageWith({stored("m1", "{broken", "[1,"), stored("m2", "[]", "{}"), stored("m3", "", "")});
  const std::string text = chatPageJson(page, kChannel);
  auto root = json::parseObject(text);
  ASSERT_TRUE(root) << text;
  auto messages = root->getArray("chats")->getObject(0)->getArray("messages");
  ASSERT_EQ(messages->size(), 3u);
  for (std::size_t i = 0; i < messages->size(); ++i) {
    auto m = messages->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(json::toText(m->get("meta")), "{}") << i;
    EXPECT_EQ(json::toText(m->get("attachments")), "[]") << i;
    EXPECT_EQ(m->getValue<std::string>("text"), "hi");
  }
}

TEST(ChatPageView, UnknownTimesAreNull) {
  auto root = json::parseObject(chatPageJson(pageWith({}), kChannel, {86400000, 604800000}));
  auto c = root->getArray("chats")->getObject(0);
  for (const char* k :
       {"last_message_at", "last_inbound_at", "reply_window_ends_at", "human_agent_window_ends_at"})
    EXPECT_TRUE(c->isNull(k)) << k;
}

TEST(ChatPageView, WindowsAreCountedFromTheUsersLastMessage) {
  auto page = pageWith({stored("m1")});
  page.chats[0].chat.lastActivity = 5000;
  page.chats[0].chat.lastInboundAt = 4000;
  auto root = json::parseObject(chatPageJson(page, kChannel, {86400000, 604800000}));
  auto c = root->getArray("chats")->getObject(0);
  EXPECT_EQ(c->getValue<std::int64_t>("last_message_at"), 5000);
  EXPECT_EQ(c->getValue<std::int64_t>("last_inbound_at"), 4000);
  EXPECT_EQ(c->getValue<std::int64_t>("reply_window_ends_at"), 4000 + 86400000);
  EXPECT_EQ(c->getValue<std::int64_t>("human_agent_window_ends_at"), 4000 + 604800000);
}

TEST(ChatPageView, AChannelWithoutWindowsHasNoWindowEnds) {
  auto page = pageWith({});
  page.chats[0].chat.lastActivity = 5000;
  page.chats[0].chat.lastInboundAt = 4000;
  auto c = json::parseObject(chatPageJson(page, kChannel))->getArray("chats")->getObject(0);
  EXPECT_EQ(c->getValue<std::int64_t>("last_inbound_at"), 4000);
  EXPECT_TRUE(c->isNull("reply_window_ends_at"));
  EXPECT_TRUE(c->isNull("human_agent_window_ends_at"));
  // A reply window without tags: only the reply window ends.
  c = json::parseObject(chatPageJson(page, kChannel, {3600000, 0}))
          ->getArray("chats")
          ->getObject(0);
  EXPECT_EQ(c->getValue<std::int64_t>("reply_window_ends_at"), 4000 + 3600000);
  EXPECT_TRUE(c->isNull("human_agent_window_ends_at"));
}

TEST(ChatPageView, MessagesCarryTheirSeq) {
  auto first = stored("m1");
  first.seq = 41;
  auto second = stored("m2");
  second.seq = 42;
  auto root = json::parseObject(chatPageJson(pageWith({first, second}), kChannel));
  auto messages = root->getArray("chats")->getObject(0)->getArray("messages");
  EXPECT_EQ(messages->getObject(0)->getValue<std::int64_t>("seq"), 41);
  EXPECT_EQ(messages->getObject(1)->getValue<std::int64_t>("seq"), 42);
}

TEST(ChatThreadView, HasTheChatWithoutMessagesBesideOnePage) {
  auto page = pageWith({});
  host::ChatThread thread;
  thread.chat = page.chats[0].chat;
  thread.chat.lastInboundAt = 4000;
  thread.chat.lastActivity = 4500;
  thread.chat.userUsername = "ana";
  auto m = stored("m9");
  m.seq = 9;
  thread.messages = {m};
  thread.hasMore = true;
  const std::string text = chatThreadJson(thread, kChannel, {86400000, 604800000});
  auto root = json::parseObject(text);
  ASSERT_TRUE(root) << text;
  EXPECT_EQ(json::names(root), (std::vector<std::string>{"chat", "messages", "hasMore"}));
  auto chat = root->getObject("chat");
  EXPECT_EQ(
      json::names(chat),
      (std::vector<std::string>{"chat_id", "agent_id", "chat_status", "start_timestamp",
                                "message_count", "last_message_at", "last_inbound_at",
                                "reply_window_ends_at", "human_agent_window_ends_at", "metadata"}));
  EXPECT_EQ(chat->getValue<std::string>("chat_id"), "chat_1");
  EXPECT_EQ(chat->getValue<std::int64_t>("reply_window_ends_at"), 4000 + 86400000);
  EXPECT_EQ(chat->getObject("metadata")->getValue<std::string>("username"), "ana");
  EXPECT_EQ(chat->getObject("metadata")->getValue<std::string>("fakechat_user_id"), kUser);
  auto messages = root->getArray("messages");
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("mid"), "m9");
  EXPECT_EQ(messages->getObject(0)->getValue<std::int64_t>("seq"), 9);
  EXPECT_TRUE(root->getValue<bool>("hasMore"));
}

TEST(ChatThreadView, ALastPage) {
  host::ChatThread thread;
  thread.chat = pageWith({}).chats[0].chat;
  auto root = json::parseObject(chatThreadJson(thread, kChannel));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->getArray("messages")->size(), 0u);
  EXPECT_FALSE(root->getValue<bool>("hasMore"));
}
