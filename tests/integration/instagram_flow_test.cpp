// The seed's whole flow against the real host, the real Instagram plugin and the fake Graph API:
// connect -> QR -> status -> signed webhook -> agent reply at the fake -> history -> send ->
// disconnect; plus tenancy, redelivery and a kill -9 between acknowledgement and reply.

#include "support/fake_graph_process.h"
#include "support/host_process.h"
#include "support/http_call.h"
#include "support/jwt_craft.h"
#include "support/signing.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace chathost::testing {
namespace {

constexpr const char* kSecret = "instagram-flow-test-secret-0123456789abcdef";
constexpr const char* kAccount = "17841400000000001";
constexpr const char* kPage = "100200300";
constexpr const char* kPageToken = "EAAB-page-token-1";
constexpr const char* kWebhookSecret = "agent-webhook-secret";
constexpr const char* kUser = "5566778899";

using Json = Poco::JSON::Object::Ptr;

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

std::string messageWebhook(const std::string& mid, const std::string& text, long long ts) {
  return std::string("{\"object\":\"instagram\",\"entry\":[{\"id\":\"") + kAccount +
         "\",\"time\":" + std::to_string(ts) + ",\"messaging\":[{\"sender\":{\"id\":\"" + kUser +
         "\"},\"recipient\":{\"id\":\"" + kAccount + "\"},\"timestamp\":" + std::to_string(ts) +
         ",\"message\":{\"mid\":\"" + mid + "\",\"text\":\"" + text + "\"}}]}]}";
}

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class InstagramFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto graph = FakeGraphProcess::start(
        {std::string(kPageToken) + ":" + kAccount + ":" + kPage + ":acme_shop"}, dir_.path());
    ASSERT_TRUE(graph);
    graph_.emplace(std::move(*graph));
    config_ = dir_.write("chathost.yaml", config());
    startHost();
    token_ = craftJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                      "{\"sub\":\"t\",\"subaccounts\":[\"acme\"],\"exp\":" +
                          std::to_string(nowSeconds() + 3600) + "}",
                      kSecret);
  }

  std::string config() const {
    return "server:\n  listen: 127.0.0.1:0\nauth:\n  jwt_secret: " + std::string(kSecret) +
           "\nstorage:\n  sqlite:\n    path: " + dir_.file("chathost.db") +
           "\nsecrets:\n  key_file: " + dir_.file("secret.key") +
           "\ndata_dir: " + dir_.file("var") +
           "\nworkers:\n  lease_ms: 2000\nplugins:\n  - name: instagram\n    config:\n"
           "      graph_base_url: " +
           graph_->baseUrl() +
           "\n      graph_api_version: v21.0\n      app_secret: app-secret-xyz\n"
           "      verify_token: app-verify\n";
  }

  void startHost() {
    std::string failure;
    auto host = HostProcess::start(config_, dir_.path(), {}, &failure);
    ASSERT_TRUE(host) << failure;
    host_.emplace(std::move(*host));
  }

  std::string api(const std::string& path) const {
    return host_->baseUrl() + "/api/database/acme/chat-agents" + path;
  }
  HttpResult call(const std::string& method, const std::string& path,
                  const std::string& body = "") const {
    return httpCall(method, api(path), body, bearer(token_));
  }
  void createAgent(const std::string& id) {
    auto r =
        call("POST", "",
             "{\"id\":\"" + id +
                 "\",\"name\":\"Shop\",\"type\":\"rules\",\"config\":{\"rules\":[{\"match\":"
                 "\"price\",\"reply\":\"The blue one is 49 EUR.\"}],\"fallback\":\"Thanks!\"}}");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  HttpResult connect(const std::string& agent, const std::string& token = kPageToken) {
    return call("POST", "/" + agent + "/instagram/connect",
                std::string("{\"accessToken\":\"") + token + "\",\"instagramAccountId\":\"" +
                    kAccount + "\",\"pageId\":\"" + kPage +
                    "\",\"webhookVerificationToken\":\"verify-me\",\"webhookSecret\":\"" +
                    kWebhookSecret + "\"}");
  }
  HttpResult postWebhook(const std::string& agent, const std::string& body,
                         const std::string& secret = kWebhookSecret) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}};
    if (!secret.empty()) headers.emplace_back("X-Hub-Signature-256", hubSignature(secret, body));
    return httpCall("POST", api("/" + agent + "/instagram/webhook"), body, headers);
  }

  TempDir dir_;
  std::optional<FakeGraphProcess> graph_;
  std::string config_;
  std::optional<HostProcess> host_;
  std::string token_;
};

TEST_F(InstagramFlowTest, SeedFlowEndToEnd) {
  createAgent("shop");

  // Validation and a token the Graph API rejects.
  auto missing = call("POST", "/shop/instagram/connect", "{\"accessToken\":\"x\"}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(parse(missing.body)->getValue<std::string>("code"), "VALIDATION_ERROR");
  auto rejected = connect("shop", "revoked-token");
  EXPECT_EQ(rejected.status, 401) << rejected.body;
  EXPECT_EQ(parse(rejected.body)->getValue<std::string>("code"), "AUTH_FAILED");
  auto notYet = call("POST", "/shop/instagram/send", "{\"to\":\"1\",\"message\":\"hi\"}");
  EXPECT_EQ(notYet.status, 409);
  EXPECT_EQ(parse(notYet.body)->getValue<std::string>("code"), "NOT_CONNECTED");

  // Connect: QR of the ig.me link, decodable by a standard reader.
  auto connected = connect("shop");
  ASSERT_EQ(connected.status, 200) << connected.body;
  auto data = parse(connected.body)->getObject("data");
  EXPECT_EQ(data->getValue<std::string>("qrCode"), "https://ig.me/m/acme_shop");
  EXPECT_EQ(data->getValue<std::string>("instagramUrl"), "https://www.instagram.com/acme_shop/");
  EXPECT_EQ(data->getValue<std::string>("username"), "acme_shop");
  EXPECT_FALSE(data->getValue<bool>("alreadyConnected"));
  const std::string dataUrl = data->getValue<std::string>("qrCodeDataUrl");
  const std::string prefix = "data:image/png;base64,";
  ASSERT_EQ(dataUrl.rfind(prefix, 0), 0u);
  {
    std::istringstream b64(dataUrl.substr(prefix.size()));
    Poco::Base64Decoder decoder(b64);
    std::ofstream(dir_.file("qr.png"), std::ios::binary) << decoder.rdbuf();
  }
  auto zbar = runCommand({"/usr/bin/zbarimg", "--quiet", "--raw", dir_.file("qr.png")});
  EXPECT_EQ(zbar.exitCode, 0) << zbar.err;
  EXPECT_EQ(zbar.out, "https://ig.me/m/acme_shop\n");
  auto again = connect("shop");
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(parse(again.body)->getObject("data")->getValue<bool>("alreadyConnected"));

  auto status = call("GET", "/shop/instagram/status");
  ASSERT_EQ(status.status, 200);
  auto st = parse(status.body)->getObject("data");
  EXPECT_TRUE(st->getValue<bool>("isConnected"));
  EXPECT_TRUE(st->getValue<bool>("isActive"));
  EXPECT_EQ(st->getObject("accountInfo")->getValue<std::string>("username"), "acme_shop");

  // Webhook verification and signatures.
  auto verify = httpCall("GET", api("/shop/instagram/webhook?hub.mode=subscribe&hub.verify_token="
                                    "verify-me&hub.challenge=1158201444"));
  EXPECT_EQ(verify.status, 200);
  EXPECT_EQ(verify.body, "1158201444");
  EXPECT_EQ(httpCall("GET", api("/shop/instagram/webhook?hub.mode=subscribe&hub.verify_token="
                                "wrong&hub.challenge=1"))
                .status,
            403);
  const std::string body = messageWebhook("aWdfZAmid1", "Hi! What is the price?", nowMs());
  EXPECT_EQ(postWebhook("shop", body, "").status, 403);
  EXPECT_EQ(postWebhook("shop", body, "not-the-secret").status, 403);
  auto ack = postWebhook("shop", body);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");

  // The agent's reply reaches the Graph API exactly once, also when Meta redelivers.
  ASSERT_TRUE(eventually([&] { return graph_->sentCount() >= 1; })) << host_->log();
  EXPECT_EQ(graph_->sentTexts().front(), "The blue one is 49 EUR.");
  ASSERT_EQ(postWebhook("shop", body).status, 200);
  const std::string second = messageWebhook("aWdfZAmid2", "thanks", nowMs() + 1);
  ASSERT_EQ(postWebhook("shop", second).status, 200);
  ASSERT_TRUE(eventually([&] { return graph_->sentCount() >= 2; }));
  EXPECT_EQ(graph_->sentTexts(), (std::vector<std::string>{"The blue one is 49 EUR.", "Thanks!"}));

  // History: one chat with the user, inbound and outbound, oldest first.
  auto history = call("GET", "/shop/instagram/messages?limit=50&skip=0");
  ASSERT_EQ(history.status, 200) << history.body;
  auto chats = parse(history.body)->getObject("data")->getArray("chats");
  ASSERT_EQ(chats->size(), 1u);
  auto chat = chats->getObject(0);
  EXPECT_EQ(chat->getValue<std::string>("agent_id"), "shop");
  EXPECT_EQ(chat->getValue<std::string>("chat_status"), "ongoing");
  EXPECT_EQ(chat->getObject("metadata")->getValue<std::string>("instagram_user_id"), kUser);
  EXPECT_EQ(chat->getObject("metadata")->getValue<std::string>("channel"), "instagram");
  auto messages = chat->getArray("messages");
  ASSERT_EQ(messages->size(), 4u);
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("direction"), "inbound");
  EXPECT_EQ(messages->getObject(1)->getValue<std::string>("direction"), "outbound");
  EXPECT_EQ(chat->getValue<int>("message_count"), 4);
  EXPECT_EQ(call("GET", "/shop/instagram/messages?limit=0").status, 400);

  // Send from the dashboard/API.
  auto sent = call("POST", "/shop/instagram/send",
                   std::string("{\"to\":\"") + kUser + "\",\"message\":\"A human here.\"}");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_FALSE(parse(sent.body)->getObject("data")->getValue<std::string>("messageId").empty());
  EXPECT_EQ(graph_->sentTexts().back(), "A human here.");
  auto tooLong = call(
      "POST", "/shop/instagram/send",
      std::string("{\"to\":\"") + kUser + "\",\"message\":\"" + std::string(1001, 'x') + "\"}");
  EXPECT_EQ(tooLong.status, 400);

  // Another agent cannot take the same Instagram account.
  createAgent("other");
  auto inUse = connect("other");
  EXPECT_EQ(inUse.status, 409);
  EXPECT_EQ(parse(inUse.body)->getValue<std::string>("code"), "ACCOUNT_IN_USE");

  // Disconnect: tokens gone, history kept, sends refused.
  auto off = call("POST", "/shop/instagram/disconnect");
  EXPECT_EQ(off.status, 200) << off.body;
  auto after = parse(call("GET", "/shop/instagram/status").body)->getObject("data");
  EXPECT_FALSE(after->getValue<bool>("isConnected"));
  EXPECT_EQ(call("POST", "/shop/instagram/send", "{\"to\":\"1\",\"message\":\"x\"}").status, 409);
  auto kept = parse(call("GET", "/shop/instagram/messages").body)->getObject("data");
  EXPECT_EQ(kept->getValue<int>("count"), 1);
}

TEST_F(InstagramFlowTest, TenancyNothingLeaksAcrossSubaccounts) {
  createAgent("shop");
  ASSERT_EQ(connect("shop").status, 200);
  const std::string otherToken = craftJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                                          "{\"sub\":\"o\",\"subaccounts\":[\"globex\"],\"exp\":" +
                                              std::to_string(nowSeconds() + 600) + "}",
                                          kSecret);
  for (const char* route : {"/instagram/status", "/instagram/messages"}) {
    // Token of another subaccount on acme's path: forbidden.
    auto r = httpCall("GET", api(std::string("/shop") + route), "", bearer(otherToken));
    EXPECT_EQ(r.status, 403) << route;
    // acme's agent through globex's path: not found.
    auto r2 = httpCall("GET", host_->baseUrl() + "/api/database/globex/chat-agents/shop" + route,
                       "", bearer(otherToken));
    EXPECT_EQ(r2.status, 404) << route;
    EXPECT_EQ(parse(r2.body)->getValue<std::string>("code"), "AGENT_NOT_FOUND");
  }
}

TEST_F(InstagramFlowTest, KillNineBetweenAckAndReplyStillRepliesExactlyOnce) {
  createAgent("shop");
  ASSERT_EQ(connect("shop").status, 200);
  // The first send stalls at the Graph API, so the host dies before any reply is acknowledged.
  graph_->injectFault("/messages", "hang", 1, 60000);
  ASSERT_EQ(postWebhook("shop", messageWebhook("aWdfZAkill", "price?", nowMs())).status, 200);
  ASSERT_TRUE(eventually([&] {
    auto r = httpCall("GET", graph_->baseUrl() + "/_fake/requests");
    return r.body.find("/messages") != std::string::npos;
  }));
  host_->kill9();
  startHost();
  ASSERT_TRUE(eventually([&] { return graph_->sentCount() >= 1; }, std::chrono::seconds(30)))
      << host_->log();
  EXPECT_EQ(graph_->sentTexts(), (std::vector<std::string>{"The blue one is 49 EUR."}));
  // Nothing else is pending: a further message is answered once, after the first.
  ASSERT_EQ(postWebhook("shop", messageWebhook("aWdfZAkill2", "price again", nowMs() + 5)).status,
            200);
  ASSERT_TRUE(eventually([&] { return graph_->sentCount() >= 2; }));
  EXPECT_EQ(graph_->sentCount(), 2);
}

}  // namespace
}  // namespace chathost::testing
