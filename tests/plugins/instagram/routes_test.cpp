#include "routes.h"
#include "connection_cache.h"
#include "json_util.h"
#include "rate_limiter.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Request;
using chathost::sdk::testing::FakeHttpClient;

namespace {
struct RoutesTest : ::testing::Test {
  Harness h;
  GraphClient graph{h.ctx.httpFake, h.settings};
  RateLimiter limiter{100};
  ConnectionCache cache{h.ctx.connectionStore, 2000, [this] { return h.now; }};
  Routes routes{h.services, graph, limiter, cache};

  RoutesTest() { routes.registerAll(h.ctx.routes); }

  chathost::sdk::Result<chathost::sdk::Response> call(
      Method m, const std::string& sub, const std::string& body = "",
      std::vector<std::pair<std::string, std::string>> query = {}) {
    Request r;
    r.body = body;
    r.query = std::move(query);
    return h.ctx.routes.invokeAgent(m, sub, r, h.agent);
  }
  JsonObject::Ptr data(const chathost::sdk::Response& r) {
    auto root = parseObject(r.body);
    EXPECT_TRUE(root);
    EXPECT_EQ(getBool(*root, "success"), true);
    return root ? getObject(*root, "data") : nullptr;
  }
  void scriptIdentify() {
    h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount),
                      FakeHttpClient::json(200, R"({"id":"17841400000000001","username":"shop"})"));
  }
  std::string connectBody() const {
    return std::string(R"({"accessToken":")") + kToken +
           R"(","instagramAccountId":"17841400000000001","pageId":"100200300",
              "webhookVerificationToken":"verify-me","webhookSecret":"hook"})";
  }
};
}  // namespace

TEST_F(RoutesTest, RegistersTheContractRoutes) {
  for (auto [m, p] :
       std::vector<std::pair<Method, std::string>>{{Method::kPost, "instagram/connect"},
                                                   {Method::kGet, "instagram/status"},
                                                   {Method::kPost, "instagram/send"},
                                                   {Method::kGet, "instagram/messages"},
                                                   {Method::kPost, "instagram/disconnect"}})
    EXPECT_TRUE(h.ctx.routes.has(m, p)) << p;
}

TEST_F(RoutesTest, ConnectStoresTheConnectionAndAnswersTheQr) {
  scriptIdentify();
  auto r = call(Method::kPost, "instagram/connect", connectBody());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_NE(
      r->body.find("Instagram QR code generated. Scan with your mobile app or connect via API."),
      std::string::npos);
  auto d = data(*r);
  ASSERT_TRUE(d);
  EXPECT_EQ(getString(*d, "qrCode"), "https://ig.me/m/shop");
  EXPECT_EQ(getString(*d, "instagramUrl"), "https://www.instagram.com/shop/");
  EXPECT_EQ(getString(*d, "username"), "shop");
  EXPECT_EQ(getBool(*d, "alreadyConnected"), false);
  EXPECT_EQ(getString(*d, "qrCodeDataUrl").value_or("").rfind("data:image/png;base64,", 0), 0u);

  auto stored = h.ctx.connectionStore.get("sub1", "agent1", "instagram");
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  EXPECT_EQ((*stored)->secrets.at("accessToken"), kToken);
  EXPECT_EQ((*stored)->secrets.at("verifyToken"), "verify-me");
  EXPECT_EQ((*stored)->secrets.at("webhookSecret"), "hook");
  EXPECT_EQ((*stored)->subaccountId, "sub1");
  EXPECT_FALSE(h.ctx.log.mentions(kToken));

  auto again = call(Method::kPost, "instagram/connect", connectBody());
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(getBool(*data(*again), "alreadyConnected"), true);
}

TEST(RoutesInstagramLogin, ConnectionsKeepTheUserIdWebhooksCarry) {
  Harness h;
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  GraphClient graph{h.ctx.httpFake, h.settings};
  RateLimiter limiter{100};
  ConnectionCache cache{h.ctx.connectionStore, 2000, [&h] { return h.now; }};
  Routes routes{h.services, graph, limiter, cache};
  routes.registerAll(h.ctx.routes);
  h.ctx.httpFake.on(Method::kGet, h.graphUrl("me"),
                    FakeHttpClient::json(200, R"({"id":"9001","user_id":"17841400000000777",
                                                 "username":"shop","account_type":"BUSINESS"})"));
  Request req;
  req.body = std::string(R"({"accessToken":")") + kToken +
             R"(","instagramAccountId":"9001","webhookVerificationToken":"v"})";
  auto r = h.ctx.routes.invokeAgent(Method::kPost, "instagram/connect", req, h.agent);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto stored = h.ctx.connectionStore.get("sub1", "agent1", "instagram");
  ASSERT_TRUE(stored.isOk() && stored->has_value());
  EXPECT_EQ((*stored)->accountId, "17841400000000777");
  auto routed = cache.byAccount("17841400000000777");
  ASSERT_TRUE(routed.isOk() && routed->has_value());
  EXPECT_EQ((*routed)->agentId, "agent1");
}

TEST_F(RoutesTest, ConnectValidatesEveryField) {
  EXPECT_EQ(call(Method::kPost, "instagram/connect", "not json").status().code(),
            ErrorCode::kValidation);
  for (const char* field :
       {"accessToken", "instagramAccountId", "pageId", "webhookVerificationToken"}) {
    auto body = parseObject(connectBody());
    body->remove(field);
    auto r = call(Method::kPost, "instagram/connect", toJson(*body));
    ASSERT_FALSE(r.isOk());
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  }
  auto wrongType = parseObject(connectBody());
  wrongType->set("accessToken", 5);
  auto r = call(Method::kPost, "instagram/connect", toJson(*wrongType));
  EXPECT_NE(r.status().message().find("accessToken must be a string"), std::string::npos);
  auto badId = parseObject(connectBody());
  badId->set("instagramAccountId", "../../me");
  EXPECT_EQ(call(Method::kPost, "instagram/connect", toJson(*badId)).status().code(),
            ErrorCode::kValidation);
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

TEST_F(RoutesTest, ConnectMapsGraphFailures) {
  auto url = h.graphUrl(kAccount);
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(
                        400, R"({"error":{"message":"bad token","code":190,"fbtrace_id":"F"}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"slow down","code":4}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"no such id","code":100}})"));
  h.ctx.httpFake.on(Method::kGet, url, chathost::sdk::Status(ErrorCode::kUnavailable, "refused"));
  auto auth = call(Method::kPost, "instagram/connect", connectBody());
  EXPECT_EQ(auth.status().code(), ErrorCode::kAuthFailed);
  EXPECT_NE(auth.status().metaJson().find("\"fbtraceId\":\"F\""), std::string::npos);
  EXPECT_EQ(call(Method::kPost, "instagram/connect", connectBody()).status().code(),
            ErrorCode::kRateLimited);
  EXPECT_EQ(call(Method::kPost, "instagram/connect", connectBody()).status().code(),
            ErrorCode::kApiError);
  EXPECT_EQ(call(Method::kPost, "instagram/connect", connectBody()).status().code(),
            ErrorCode::kApiError);
  EXPECT_FALSE(h.ctx.connectionStore.get("sub1", "agent1", "instagram")->has_value());
}

TEST_F(RoutesTest, ConnectRefusesAnAccountInUseByAnotherAgent) {
  auto other = h.connection();
  other.agentId = "agent2";
  other.subaccountId = "sub2";
  h.ctx.connectionStore.put(other);
  scriptIdentify();
  auto r = call(Method::kPost, "instagram/connect", connectBody());
  EXPECT_EQ(r.status().code(), ErrorCode::kAccountInUse);
  EXPECT_EQ(r.status().message().find("sub2"), std::string::npos);
}

TEST_F(RoutesTest, StatusReflectsTheConnection) {
  auto none = call(Method::kGet, "instagram/status");
  ASSERT_TRUE(none.isOk());
  EXPECT_NE(none->body.find(R"("isConnected":false,"isActive":false,"accountInfo":null)"),
            std::string::npos);
  h.connect();
  auto d = data(*call(Method::kGet, "instagram/status"));
  EXPECT_EQ(getBool(*d, "isConnected"), true);
  EXPECT_EQ(getBool(*d, "isActive"), true);
  auto info = getObject(*d, "accountInfo");
  ASSERT_TRUE(info);
  EXPECT_EQ(getString(*info, "id"), kAccount);
  EXPECT_EQ(getString(*info, "accountType"), "BUSINESS");
  h.ctx.connectionStore.setActive("sub1", "agent1", "instagram", false, "token rejected");
  EXPECT_EQ(getBool(*data(*call(Method::kGet, "instagram/status")), "isActive"), false);
}

TEST_F(RoutesTest, SendValidatesAndNeedsAConnection) {
  EXPECT_EQ(call(Method::kPost, "instagram/send", R"({"message":"hi"})").status().code(),
            ErrorCode::kValidation);
  EXPECT_NE(
      call(Method::kPost, "instagram/send", R"({"to":"55"})").status().message().find("message"),
      std::string::npos);
  std::string big(1001, 'a');
  auto tooLong = call(Method::kPost, "instagram/send", R"({"to":"55","message":")" + big + "\"}");
  EXPECT_EQ(tooLong.status().code(), ErrorCode::kValidation);
  std::string exact(1000, 'a');
  EXPECT_EQ(call(Method::kPost, "instagram/send", R"({"to":"55","message":")" + exact + "\"}")
                .status()
                .code(),
            ErrorCode::kNotConnected);
}

TEST_F(RoutesTest, SendDeliversAndStoresTheMessage) {
  h.connect();
  h.scriptSendOk();
  auto r = call(Method::kPost, "instagram/send", R"({"to":"5500000000000001","message":"Hello"})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto d = data(*r);
  EXPECT_EQ(getString(*d, "messageId"), "sent_1");
  EXPECT_EQ(getString(*d, "recipientId"), "5500000000000001");
  auto msgs = h.ctx.chatStore.allMessages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].direction, "outbound");
  EXPECT_EQ(msgs[0].mid, "sent_1");
  EXPECT_EQ(msgs[0].status, chathost::sdk::MessageStatus::kSent);
  EXPECT_EQ(h.sendCalls(), 1u);
}

TEST_F(RoutesTest, SendFailuresAreMappedAndRecorded) {
  h.connect();
  auto url = h.graphUrl(std::string(kPage) + "/messages");
  h.ctx.httpFake.on(
      Method::kPost, url,
      FakeHttpClient::json(400,
                           R"({"error":{"message":"window","code":10,"error_subcode":2018278}})"));
  h.ctx.httpFake.on(Method::kPost, url,
                    FakeHttpClient::json(
                        401, R"({"error":{"message":"expired","code":190,"error_subcode":463}})"));
  auto permanent = call(Method::kPost, "instagram/send", R"({"to":"55","message":"a"})");
  EXPECT_EQ(permanent.status().code(), ErrorCode::kApiError);
  EXPECT_NE(permanent.status().metaJson().find("2018278"), std::string::npos);
  auto auth = call(Method::kPost, "instagram/send", R"({"to":"55","message":"b"})");
  EXPECT_EQ(auth.status().code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE((*h.ctx.connectionStore.get("sub1", "agent1", "instagram"))->active);
  auto msgs = h.ctx.chatStore.allMessages();
  ASSERT_EQ(msgs.size(), 2u);
  for (const auto& m : msgs) EXPECT_EQ(m.status, chathost::sdk::MessageStatus::kFailed);
  EXPECT_EQ(h.sendCalls(), 2u);  // one attempt each, no retry
}

TEST_F(RoutesTest, MessagesHasTheContractShape) {
  h.connect();
  auto chat = h.ctx.chatStore.ensureChat({"sub1", "agent1", "instagram", kUser}, 1000);
  h.ctx.chatStore.setProfile(chat->chatId, "Ana", "ana");
  chathost::sdk::Message m;
  m.chatId = chat->chatId;
  m.mid = "m1";
  m.direction = "inbound";
  m.text = "hi";
  m.timestamp = 1000;
  m.senderId = kUser;
  m.attachmentsJson = R"([{"type":"image","url":"u"}])";
  m.metaJson = R"({"reactions":{"1":{"emoji":"x"}}})";
  h.ctx.chatStore.addMessage(m);
  auto r = call(Method::kGet, "instagram/messages", "", {{"limit", "10"}, {"skip", "0"}});
  ASSERT_TRUE(r.isOk());
  auto d = data(*r);
  EXPECT_EQ(getInt(*d, "count"), 1);
  auto chats = getArray(*d, "chats");
  ASSERT_TRUE(chats && chats->size() == 1);
  auto c = chats->getObject(0);
  EXPECT_EQ(getString(*c, "chat_id"), chat->chatId);
  EXPECT_EQ(getString(*c, "agent_id"), "agent1");
  EXPECT_EQ(getString(*c, "chat_status"), "ongoing");
  EXPECT_EQ(getInt(*c, "start_timestamp"), 1000);
  EXPECT_EQ(getInt(*c, "message_count"), 1);
  auto meta = getObject(*c, "metadata");
  EXPECT_EQ(getString(*meta, "instagram_user_id"), kUser);
  EXPECT_EQ(getString(*meta, "channel"), "instagram");
  EXPECT_EQ(getString(*meta, "username"), "ana");
  auto msg = getArray(*c, "messages")->getObject(0);
  for (const char* k : {"mid", "direction", "text", "timestamp", "sender_id", "status"})
    EXPECT_TRUE(msg->has(k)) << k;
  EXPECT_TRUE(getArray(*msg, "attachments"));
  EXPECT_TRUE(getObject(*msg, "reactions"));
}

TEST_F(RoutesTest, MessagesValidatesPaging) {
  for (const char* bad : {"0", "201", "-1", "abc", ""})
    EXPECT_EQ(call(Method::kGet, "instagram/messages", "", {{"limit", bad}}).status().code(),
              ErrorCode::kValidation)
        << bad;
  EXPECT_EQ(call(Method::kGet, "instagram/messages", "", {{"skip", "-3"}}).status().code(),
            ErrorCode::kValidation);
  EXPECT_TRUE(call(Method::kGet, "instagram/messages", "", {{"limit", "200"}}).isOk());
  auto empty = call(Method::kGet, "instagram/messages");
  ASSERT_TRUE(empty.isOk());
  EXPECT_NE(empty->body.find(R"("chats":[],"count":0)"), std::string::npos);
}

TEST_F(RoutesTest, DisconnectErasesSecretsAndKeepsHistory) {
  h.connect();
  auto chat = h.ctx.chatStore.ensureChat({"sub1", "agent1", "instagram", kUser}, 1000);
  auto r = call(Method::kPost, "instagram/disconnect");
  ASSERT_TRUE(r.isOk());
  auto c = *h.ctx.connectionStore.get("sub1", "agent1", "instagram");
  EXPECT_FALSE(c->connected);
  EXPECT_TRUE(c->secrets.empty());
  EXPECT_EQ(getBool(*data(*call(Method::kGet, "instagram/status")), "isConnected"), false);
  EXPECT_EQ(h.ctx.chatStore.allChats().size(), 1u);
}
