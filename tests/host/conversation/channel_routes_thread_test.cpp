// GET <channel>/messages with messageLimit, GET <channel>/messages/:chatId (one chat paged by
// seq), and what status tells about the sign-in flow.
#include "channel_routes_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using sdk::ErrorCode;
using sdk::Method;

namespace {

constexpr std::int64_t kDay = 86400000;

// A chat of `user` with `count` messages, the user's and the account's in turn ("m1"... in
// order, seq 1...).
host::Chat chatWith(Harness& h, const std::string& user, int count,
                    const std::string& subaccountId = "sub1",
                    const std::string& agentId = "agent1") {
  auto chat = h.chats.ensureChat({subaccountId, agentId, kChannel, user}, 1000);
  for (int i = 1; i <= count; ++i) {
    host::Message m;
    m.chatId = chat->chatId;
    m.mid = subaccountId + "-" + agentId + "-" + user + "-m" + std::to_string(i);
    m.direction = i % 2 ? "inbound" : "outbound";
    m.text = "message " + std::to_string(i);
    m.timestamp = 1000 + i;
    m.senderId = i % 2 ? user : kAccount;
    EXPECT_TRUE(*h.chats.addMessage(m));
  }
  return **h.chats.findChat(chat->key);
}

std::vector<std::string> textsOf(const json::ArrayPtr& messages) {
  std::vector<std::string> out;
  for (std::size_t i = 0; messages && i < messages->size(); ++i)
    out.push_back(messages->getObject(static_cast<unsigned>(i))->getValue<std::string>("text"));
  return out;
}

}  // namespace

TEST_F(ChannelRoutesTest, MessageLimitCapsTheMessagesOfEachChat) {
  chatWith(h, "user-a", 3);
  chatWith(h, "user-b", 2);
  auto d = dataOf(*call(Method::kGet, "messages", "", {{"messageLimit", "1"}}));
  ASSERT_TRUE(d);
  auto chats = d->getArray("chats");
  ASSERT_EQ(chats->size(), 2u);
  for (std::size_t i = 0; i < chats->size(); ++i) {
    auto c = chats->getObject(static_cast<unsigned>(i));
    auto messages = c->getArray("messages");
    ASSERT_EQ(messages->size(), 1u) << i;
    // The newest one, while message_count still tells them all.
    const int count = c->getValue<int>("message_count");
    EXPECT_EQ(messages->getObject(0)->getValue<std::string>("text"),
              "message " + std::to_string(count));
  }
  auto none = dataOf(*call(Method::kGet, "messages", "", {{"messageLimit", "0"}}));
  ASSERT_TRUE(none);
  for (std::size_t i = 0; i < none->getArray("chats")->size(); ++i)
    EXPECT_EQ(
        none->getArray("chats")->getObject(static_cast<unsigned>(i))->getArray("messages")->size(),
        0u);
  auto all = dataOf(*call(Method::kGet, "messages"));
  EXPECT_EQ(textsOf(all->getArray("chats")->getObject(0)->getArray("messages")).size() +
                textsOf(all->getArray("chats")->getObject(1)->getArray("messages")).size(),
            5u);
}

TEST_F(ChannelRoutesTest, AMessageLimitOutOfRangeIsRefused) {
  for (const char* bad : {"201", "-1", "abc", "", "1.5", "9999999999"})
    EXPECT_EQ(call(Method::kGet, "messages", "", {{"messageLimit", bad}}).status().code(),
              ErrorCode::kValidation)
        << bad;
  EXPECT_TRUE(call(Method::kGet, "messages", "", {{"messageLimit", "200"}}).isOk());
}

TEST_F(ChannelRoutesTest, MessagesTellWhenTheWindowsEnd) {
  h.channel.description.replyWindowMs = kDay;
  h.channel.description.messageTags = {"HUMAN_AGENT"};
  h.channel.description.taggedWindowMs = 7 * kDay;
  chatWith(h, "user-a", 2);  // the user wrote last at 1001
  auto c = dataOf(*call(Method::kGet, "messages"))->getArray("chats")->getObject(0);
  EXPECT_EQ(c->getValue<std::int64_t>("last_inbound_at"), 1001);
  EXPECT_EQ(c->getValue<std::int64_t>("last_message_at"), 1002);
  EXPECT_EQ(c->getValue<std::int64_t>("reply_window_ends_at"), 1001 + kDay);
  EXPECT_EQ(c->getValue<std::int64_t>("human_agent_window_ends_at"), 1001 + 7 * kDay);
}

TEST_F(ChannelRoutesTest, TagsWithoutATaggedWindowShowNoTaggedWindowEnd) {
  h.channel.description.replyWindowMs = kDay;
  h.channel.description.taggedWindowMs = 7 * kDay;  // no tags: nothing can use it
  chatWith(h, "user-a", 1);
  auto c = dataOf(*call(Method::kGet, "messages"))->getArray("chats")->getObject(0);
  EXPECT_EQ(c->getValue<std::int64_t>("reply_window_ends_at"), 1001 + kDay);
  EXPECT_TRUE(c->isNull("human_agent_window_ends_at"));
}

TEST_F(ChannelRoutesTest, AThreadIsPagedBackwardsBySeq) {
  auto chat = chatWith(h, "user-a", 5);
  chatWith(h, "user-b", 2);
  auto first = call(Method::kGet, "messages/" + chat.chatId, "", {{"limit", "2"}});
  ASSERT_TRUE(first.isOk()) << first.status().message();
  auto d = dataOf(*first);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->getObject("chat")->getValue<std::string>("chat_id"), chat.chatId);
  EXPECT_FALSE(d->getObject("chat")->has("messages"));
  EXPECT_EQ(textsOf(d->getArray("messages")), (std::vector<std::string>{"message 4", "message 5"}));
  EXPECT_TRUE(d->getValue<bool>("hasMore"));
  const auto oldestSeq = d->getArray("messages")->getObject(0)->getValue<std::int64_t>("seq");
  EXPECT_EQ(oldestSeq, 4);

  auto second = dataOf(*call(Method::kGet, "messages/" + chat.chatId, "",
                             {{"limit", "2"}, {"before", std::to_string(oldestSeq)}}));
  ASSERT_TRUE(second);
  EXPECT_EQ(textsOf(second->getArray("messages")),
            (std::vector<std::string>{"message 2", "message 3"}));
  EXPECT_TRUE(second->getValue<bool>("hasMore"));

  auto last =
      dataOf(*call(Method::kGet, "messages/" + chat.chatId, "", {{"limit", "2"}, {"before", "2"}}));
  ASSERT_TRUE(last);
  EXPECT_EQ(textsOf(last->getArray("messages")), std::vector<std::string>{"message 1"});
  EXPECT_FALSE(last->getValue<bool>("hasMore"));

  auto whole = dataOf(*call(Method::kGet, "messages/" + chat.chatId));
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->getArray("messages")->size(), 5u);
  EXPECT_FALSE(whole->getValue<bool>("hasMore"));
}

TEST_F(ChannelRoutesTest, AnotherAgentsOrTenantsChatIsNotFound) {
  auto mine = chatWith(h, "user-a", 1);
  auto otherAgent = chatWith(h, "user-a", 1, "sub1", "agent2");
  auto otherTenant = chatWith(h, "user-a", 1, "sub2", "agent1");
  auto otherChannel = h.chats.ensureChat({"sub1", "agent1", "otherchat", "user-a"}, 1000);
  EXPECT_TRUE(call(Method::kGet, "messages/" + mine.chatId).isOk());
  for (const std::string& id :
       {otherAgent.chatId, otherTenant.chatId, otherChannel->chatId, std::string("no-such-chat")})
    EXPECT_EQ(call(Method::kGet, "messages/" + id).status().code(), ErrorCode::kNotFound) << id;
}

TEST_F(ChannelRoutesTest, ThreadPagingIsValidated) {
  auto chat = chatWith(h, "user-a", 1);
  const std::string path = "messages/" + chat.chatId;
  for (const char* bad : {"0", "-1", "abc", "", "1.5", "9999999999"})
    EXPECT_EQ(call(Method::kGet, path, "", {{"before", bad}}).status().code(),
              ErrorCode::kValidation)
        << bad;
  for (const char* bad : {"0", "201", "-1", "x"})
    EXPECT_EQ(call(Method::kGet, path, "", {{"limit", bad}}).status().code(),
              ErrorCode::kValidation)
        << bad;
  EXPECT_TRUE(call(Method::kGet, path, "", {{"limit", "200"}, {"before", "1"}}).isOk());
}

TEST_F(ChannelRoutesTest, AThreadPassesStorageErrorsOn) {
  auto chat = chatWith(h, "user-a", 1);
  h.chats.failWith = sdk::Status::unavailable("db down");
  EXPECT_EQ(call(Method::kGet, "messages/" + chat.chatId).status().code(), ErrorCode::kUnavailable);
}

// ---- status and the sign-in flow ----------------------------------------------------------------

TEST_F(ChannelRoutesTest, StatusOffersNoSignInForAChannelWithoutTheFlow) {
  auto d = dataOf(*call(Method::kGet, "status"));
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->getValue<bool>("oauthAvailable")) << "neither a flow nor a key";
  h.services.oauthStateKey = "state-key";
  d = dataOf(*call(Method::kGet, "status"));
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->getValue<bool>("oauthAvailable")) << "a key but no flow";
}

TEST_F(ChannelRoutesTest, StatusOffersSignInOnlyWithAStateKey) {
  h.channel.description.oauthConnect = true;
  auto d = dataOf(*call(Method::kGet, "status"));
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->getValue<bool>("oauthAvailable"));
  h.services.oauthStateKey = "state-key";
  d = dataOf(*call(Method::kGet, "status"));
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->getValue<bool>("oauthAvailable"));
  h.connect();
  d = dataOf(*call(Method::kGet, "status"));
  EXPECT_TRUE(d->getValue<bool>("isConnected"));
  EXPECT_TRUE(d->getValue<bool>("oauthAvailable"));
  EXPECT_TRUE(d->getObject("accountInfo")->isNull("tokenExpiresAt"));
}
