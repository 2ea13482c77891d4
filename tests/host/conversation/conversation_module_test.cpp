#include "conversation/conversation_module.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using host::ConversationModule;
using sdk::Method;

namespace {

struct NamedChannel : FakeChannel {
  explicit NamedChannel(const std::string& name) { description.name = name; }
};

struct ConversationModuleTest : ::testing::Test {
  Harness h;
  ConversationModule module{h.router, h.services};

  std::vector<std::string> patterns(bool agentScoped) const {
    std::vector<std::string> out;
    for (const auto& r : h.router.routes())
      if (r.agentScoped == agentScoped) out.push_back(r.pattern);
    return out;
  }
  sdk::Result<sdk::Response> postWebhook(const std::string& channel,
                                         const std::string& sub = "sub1") {
    sdk::Request r;
    r.body = "{}";
    return h.router.invokePublic(
        Method::kPost, "/api/database/" + sub + "/chat-agents/agent1/" + channel + "/webhook", r);
  }
};

}  // namespace

TEST_F(ConversationModuleTest, AddingAChannelMountsItsRoutesAndInboxConsumer) {
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  const std::string agentWebhook =
      "/api/database/:subaccountId/chat-agents/:agentId/fakechat/webhook";
  for (auto [m, p] :
       std::vector<std::pair<Method, std::string>>{{Method::kGet, agentWebhook},
                                                   {Method::kPost, agentWebhook},
                                                   {Method::kGet, "/webhooks/fakechat"},
                                                   {Method::kPost, "/webhooks/fakechat"},
                                                   {Method::kPost, "fakechat/connect"},
                                                   {Method::kGet, "fakechat/status"},
                                                   {Method::kPost, "fakechat/send"},
                                                   {Method::kGet, "fakechat/messages"},
                                                   {Method::kGet, "fakechat/messages/:chatId"},
                                                   {Method::kPost, "fakechat/disconnect"}})
    EXPECT_TRUE(h.router.has(m, p)) << p;
  EXPECT_EQ(patterns(false).size(), 4u);
  EXPECT_EQ(patterns(true).size(), 6u);
  EXPECT_TRUE(h.inbox.hasConsumer(kChannel));
  EXPECT_TRUE(h.outbox.hasConsumer(kChannel));
  EXPECT_TRUE(module.registry().find(kChannel));
}

TEST_F(ConversationModuleTest, EachChannelGetsItsOwnRoutesAndConsumer) {
  NamedChannel other("otherchat");
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  ASSERT_TRUE(module.registry().add(other).isOk());
  EXPECT_EQ(h.router.routes().size(), 20u);
  EXPECT_TRUE(h.router.has(Method::kPost, "otherchat/send"));
  EXPECT_TRUE(h.router.has(Method::kPost, "/webhooks/otherchat"));
  EXPECT_TRUE(h.inbox.hasConsumer("fakechat"));
  EXPECT_TRUE(h.inbox.hasConsumer("otherchat"));
  EXPECT_TRUE(h.outbox.hasConsumer("otherchat"));
}

TEST_F(ConversationModuleTest, ARefusedChannelMountsNothing) {
  NamedChannel bad("Bad Name");
  EXPECT_FALSE(module.registry().add(bad).isOk());
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  NamedChannel twin(kChannel);
  EXPECT_EQ(module.registry().add(twin).code(), sdk::ErrorCode::kConflict);
  EXPECT_EQ(h.router.routes().size(), 10u);
  EXPECT_EQ(module.registry().all().size(), 1u);
}

TEST_F(ConversationModuleTest, ClearDropsEveryChannel) {
  NamedChannel other("otherchat");
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  ASSERT_TRUE(module.registry().add(other).isOk());
  module.clear();
  EXPECT_TRUE(module.registry().all().empty());
  EXPECT_EQ(module.registry().find(kChannel), nullptr);
  EXPECT_EQ(&module.cache(), &h.cache);
}

TEST_F(ConversationModuleTest, AWebhookEventIsRecordedThenAnsweredThroughTheChannel) {
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  h.connect();
  h.agents.replyWith("Hello from the agent");
  h.channel.parse.then(parsedOf({userMessage("m1", "hi")}));
  auto r = postWebhook(kChannel);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  ASSERT_EQ(h.inbox.appended().size(), 1u);
  h.inbox.drain(kChannel);
  ASSERT_EQ(h.outbox.appended().size(), 1u);  // the reply, queued for the channel's sender
  EXPECT_TRUE(h.channel.sendCalls().empty());
  h.outbox.drain(kChannel);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.text, "Hello from the agent");
  EXPECT_EQ(calls[0].message.recipientId, kUser);
  auto page = h.chats.listChats("sub1", "agent1", kChannel, 10, 0);
  ASSERT_EQ(page->chats.size(), 1u);
  EXPECT_EQ(page->chats[0].messages.size(), 2u);
}

// Dedup keys are unique within a channel only: two channels may use the same ones.
TEST_F(ConversationModuleTest, ChannelsSharingDedupKeysKeepTheirMessagesApart) {
  NamedChannel other("otherchat");
  ASSERT_TRUE(module.registry().add(h.channel).isOk());
  ASSERT_TRUE(module.registry().add(other).isOk());
  h.connect();
  auto elsewhere = h.connection();
  elsewhere.channel = "otherchat";
  h.connections.put(elsewhere);
  h.agents.replyWith("answer");
  h.channel.parse.then(parsedOf({userMessage("42", "hi on fakechat")}));
  other.parse.then(parsedOf({userMessage("42", "hi on otherchat")}));
  ASSERT_TRUE(postWebhook(kChannel).isOk());
  h.inbox.drain(kChannel);  // the fake inbox hands every pending event to the drained channel
  h.outbox.drain(kChannel);
  ASSERT_TRUE(postWebhook("otherchat").isOk());
  h.inbox.drain("otherchat");
  h.outbox.drain("otherchat");
  ASSERT_EQ(h.channel.sendCalls().size(), 1u);
  ASSERT_EQ(other.sendCalls().size(), 1u);
  for (const char* channel : {"fakechat", "otherchat"}) {
    SCOPED_TRACE(channel);
    auto page = h.chats.listChats("sub1", "agent1", channel, 10, 0);
    ASSERT_EQ(page->chats.size(), 1u);
    auto& messages = page->chats[0].messages;
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].text, std::string("hi on ") + channel);
    EXPECT_EQ(messages[1].status, host::MessageStatus::kSent);
    EXPECT_EQ(messages[1].mid, "sent_1");
  }
}
