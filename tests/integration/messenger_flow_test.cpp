// The Messenger channel through the real host and plugin, against the fake Graph API's Pages, on
// both storage backends (SQLite + in-memory dedup; PostgreSQL + Redis from the ctest fixtures):
// connect -> QR -> signed webhook -> agent reply at the Page's Send API -> echoes, redeliveries
// -> history -> tagged send -> disconnect; classified send failures; the app-level webhook routed
// by Page id; tenancy; one agent on Instagram and Messenger at once; and a revoked Page token
// found by the periodic credential check.

#include "support/backend_client.h"
#include "support/backend_config.h"
#include "support/backend_services.h"
#include "support/edge_instance.h"
#include "support/fake_graph_process.h"
#include "support/host_process.h"
#include "support/page_payloads.h"
#include "support/signing.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace chathost::testing {
namespace {

using edge::SentRecord;

constexpr const char* kJwtSecret = "messenger-flow-jwt-secret-0123456789abcdef";
constexpr const char* kAppSecret = "messenger-app-secret";
constexpr const char* kAppVerifyToken = "messenger-app-verify";
constexpr const char* kWebhookSecret = "shop-page-webhook-secret";
constexpr const char* kUser = "6600000000000001";  // a page-scoped id (PSID)
constexpr const char* kUser2 = "6600000000000002";
constexpr const char* kPriceReply = "The blue one is 49 EUR.";
constexpr const char* kFallback = "Thanks!";
constexpr const char* kUserToken = "EAAB-a-persons-user-token";
constexpr const char* kAppId = "263902037430900";

const page::FakePage kShopPage{"EAAB-shop-page-token", "300400500", "Acme Bikes"};
const page::FakePage kOutletPage{"EAAB-outlet-page-token", "300400600", "Acme Outlet"};
const page::FakePage kAttackerPage{"EAAB-attacker-page-token", "300400700", "Not Acme"};
// An Instagram account of the same business, linked to another Page.
const IgAccount kInstagram{"EAAB-ig-page-token", "17841400000000501", "100200501", "acme_bikes",
                           "ig-agent-webhook-secret"};
// The Page that Instagram account is linked to, messaged through Messenger with its own token.
const page::FakePage kInstagramsPage{"EAAB-ig-linked-page-token", kInstagram.pageId,
                                     "Acme Bikes Social"};
const std::vector<std::string> kInstagramFields{"messages", "messaging_postbacks", "messaging_seen",
                                                "messaging_referral", "message_reactions"};

std::string str(const JsonObject& o, const std::string& key) {
  return o ? o->optValue<std::string>(key, "") : "";
}

class MessengerFlowTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto graph = FakeGraphProcess::start({kInstagram.fakeSpec()}, dir_.path());
    ASSERT_TRUE(graph) << "the fake Graph API did not start";
    graph_.emplace(std::move(*graph));
    for (const auto* p : {&kShopPage, &kOutletPage, &kAttackerPage, &kInstagramsPage})
      ASSERT_TRUE(p->registerWith(graph_->baseUrl())) << p->pageId;
    ASSERT_TRUE(page::registerUserToken(graph_->baseUrl(), kUserToken, "10158000000000001", "Ana"));

    HostConfigSpec spec;
    spec.backend = GetParam();
    spec.sqlitePath = dir_.file("chathost.db");
    std::string why;
    ASSERT_TRUE(useFixtureServices(spec, "messenger", &why)) << why;
    dsn_ = spec.postgresDsn;
    schema_ = spec.postgresSchema;
    // Message ids are unique per run: the fixture's Redis outlives a test and remembers them.
    midPrefix_ = (schema_.empty() ? std::string("sqlite") : schema_) + "_";
    std::string failure;
    auto host = HostProcess::start(dir_.write("chathost.yaml", configYaml(spec)), dir_.path(), {},
                                   &failure);
    ASSERT_TRUE(host) << failure;
    host_.emplace(std::move(*host));
    acme_.emplace(host_->baseUrl(), "acme", tokenFor(kJwtSecret, {"acme"}));
  }

  void TearDown() override {
    host_.reset();
    if (!schema_.empty()) dropSchema(dsn_, schema_);
  }

  // Both Meta channels on the fake Graph API; short retries so a throttled reply goes out soon.
  // With checkTokensEverySecond_, Messenger knows the app (app_id) and checks Page tokens with
  // debug_token every second, and the host offers every connection to its channel every second.
  std::string configYaml(const HostConfigSpec& spec) const {
    const std::string graph = graph_->baseUrl();
    const std::string workers =
        checkTokensEverySecond_ ? "  credential_check_seconds: 1\n" : std::string();
    const std::string tokenCheck = checkTokensEverySecond_
                                       ? std::string("      app_id: \"") + kAppId +
                                             "\"\n      token_check_interval_seconds: 1\n"
                                       : std::string();
    return "server:\n  listen: 127.0.0.1:0\nauth:\n  jwt_secret: " + std::string(kJwtSecret) +
           "\n" + storageAndDedupYaml(spec) + "secrets:\n  key_file: " + dir_.file("secret.key") +
           "\ndata_dir: " + dir_.file("var") + "\nworkers:\n  lease_ms: 2000\n" + workers +
           "plugins:\n  - name: instagram\n    config:\n      graph_base_url: " + graph +
           "\n      app_secret: ig-app-secret\n      verify_token: ig-app-verify\n" +
           "  - name: messenger\n    config:\n      graph_base_url: " + graph +
           "\n      app_secret: " + kAppSecret + "\n      verify_token: " + kAppVerifyToken +
           "\n      reply_retry_seconds: 5\n      graph_timeout_ms: 1500\n" + tokenCheck;
  }

  std::string mid(const std::string& name) const { return midPrefix_ + name; }

  HttpResult messenger(const std::string& method, const std::string& agent,
                       const std::string& route, const std::string& body = "") const {
    return acme_->call(method, "/" + agent + "/messenger" + route, body);
  }
  HttpResult connect(const std::string& agent, const std::string& body) const {
    return messenger("POST", agent, "/connect", body);
  }
  static HttpResult postSigned(const std::string& url, const std::string& body,
                               const std::string& secret) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}};
    if (!secret.empty()) headers.emplace_back("X-Hub-Signature-256", hubSignature(secret, body));
    return httpCall("POST", url, body, headers);
  }
  HttpResult postWebhook(const std::string& agent, const std::string& body,
                         const std::string& secret = kWebhookSecret) const {
    return postSigned(acme_->url("/" + agent + "/messenger/webhook"), body, secret);
  }
  HttpResult postAppWebhook(const std::string& body, const std::string& secret) const {
    return postSigned(host_->baseUrl() + "/webhooks/messenger", body, secret);
  }
  HttpResult text(const std::string& agent, const std::string& name, const std::string& words,
                  long long ts = nowMillis()) const {
    return postWebhook(agent, page::textWebhook(kUser, kShopPage.pageId, ts, mid(name), words));
  }

  std::vector<SentRecord> sent() const { return edge::sentRecords(graph_->baseUrl(), "sent"); }
  std::vector<std::string> sentTexts() const {
    std::vector<std::string> out;
    for (const auto& s : sent()) out.push_back(s.text);
    return out;
  }
  int graphRequests(const std::string& methodAndPath) const {
    auto r = httpCall("GET", graph_->baseUrl() + "/_fake/requests");
    return parseObject(r.body)->optValue<int>(methodAndPath, 0);
  }
  // Page id (or Instagram account id) -> subscribed fields, as the fake Graph API recorded them.
  JsonObject subscriptions() const {
    auto r = httpCall("GET", graph_->baseUrl() + "/_fake/subscriptions");
    auto list = parseObject(r.body)->getObject("subscriptions");
    return list ? list : JsonObject(new Poco::JSON::Object);
  }
  // The fields `node` is subscribed to at the fake, in order; empty when it is not subscribed.
  std::vector<std::string> subscribedFields(const std::string& node) const {
    std::vector<std::string> out;
    auto fields = subscriptions()->getArray(node);
    for (std::size_t i = 0; fields && i < fields->size(); ++i)
      out.push_back(fields->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
  }
  double metric(const std::string& name,
                const std::vector<std::pair<std::string, std::string>>& labels) const {
    return metricSum(host_->baseUrl(), name, labels);
  }
  // `n` events of `channel` done and every reply queued for them sent (or failed).
  bool settled(const std::string& channel, double n) const {
    return metric("chathost_inbox_events_total", {{"channel", channel}, {"outcome", "done"}}) >=
               n &&
           outboxSettled({host_->baseUrl()});
  }
  JsonObject statusOf(const std::string& agent, const std::string& channel = "messenger") const {
    return parseObject(acme_->call("GET", "/" + agent + "/" + channel + "/status").body)
        ->getObject("data");
  }
  std::vector<JsonObject> chats(const std::string& agent,
                                const std::string& channel = "messenger") const {
    std::vector<JsonObject> out;
    auto r = acme_->call("GET", "/" + agent + "/" + channel + "/messages?limit=50&skip=0");
    auto data = parseObject(r.body)->getObject("data");
    auto list = data ? data->getArray("chats") : nullptr;
    for (std::size_t i = 0; list && i < list->size(); ++i)
      out.push_back(list->getObject(static_cast<unsigned>(i)));
    return out;
  }
  // The only chat of `agent` on `channel` as "direction:text", oldest first.
  std::vector<std::string> history(const std::string& agent,
                                   const std::string& channel = "messenger") const {
    auto list = chats(agent, channel);
    if (list.size() != 1) return {"chats: " + std::to_string(list.size())};
    std::vector<std::string> out;
    auto messages = list[0]->getArray("messages");
    for (std::size_t i = 0; messages && i < messages->size(); ++i) {
      auto m = messages->getObject(static_cast<unsigned>(i));
      out.push_back(str(m, "direction") + ":" + str(m, "text"));
    }
    return out;
  }
  // The text a QR code data URL encodes, read by zbarimg.
  std::string decodeQr(const std::string& dataUrl) const {
    const std::string prefix = "data:image/png;base64,";
    if (dataUrl.rfind(prefix, 0) != 0) return "not a PNG data URL";
    {
      std::istringstream b64(dataUrl.substr(prefix.size()));
      Poco::Base64Decoder decoder(b64);
      std::ofstream(dir_.file("qr.png"), std::ios::binary) << decoder.rdbuf();
    }
    auto zbar = runCommand({"/usr/bin/zbarimg", "--quiet", "--raw", dir_.file("qr.png")});
    return zbar.exitCode == 0 ? zbar.out : "zbarimg: " + zbar.err;
  }

  TempDir dir_;
  std::optional<FakeGraphProcess> graph_;
  std::optional<HostProcess> host_;
  std::optional<AgentsApi> acme_;
  std::string dsn_;
  std::string schema_;
  std::string midPrefix_;
  bool checkTokensEverySecond_ = false;  // set by a derived fixture's constructor
};

// The same host with Page tokens checked every second, and the fake Graph API answering
// debug_token for Messenger's app.
class MessengerTokenCheckTest : public MessengerFlowTest {
 protected:
  MessengerTokenCheckTest() { checkTokensEverySecond_ = true; }
  void SetUp() override {
    MessengerFlowTest::SetUp();
    if (HasFatalFailure()) return;
    auto app =
        httpCall("POST", graph_->baseUrl() + "/_fake/oauth",
                 std::string(R"({"appId":")") + kAppId + R"(","appSecret":")" + kAppSecret + "\"}");
    ASSERT_EQ(app.status, 200) << app.body;
  }
  int debugTokenCalls() const { return graphRequests("GET /v21.0/debug_token"); }
};

TEST_P(MessengerFlowTest, ConnectWebhookReplyEchoesRedeliveriesHistoryTaggedSendDisconnect) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);

  // Refused connects: no token, a person's token instead of the Page's, a token Meta rejects.
  auto missing = connect("shop", "{}");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(errorCode(missing), "VALIDATION_ERROR");
  EXPECT_EQ(errorMessage(missing), "accessToken is required");
  auto person = connect("shop", std::string("{\"accessToken\":\"") + kUserToken + "\"}");
  EXPECT_EQ(person.status, 400) << person.body;
  EXPECT_EQ(errorCode(person), "VALIDATION_ERROR");
  EXPECT_NE(errorMessage(person).find("not a Page access token"), std::string::npos);
  auto rejected = connect("shop", R"({"accessToken":"EAAB-revoked-or-made-up"})");
  EXPECT_EQ(rejected.status, 401) << rejected.body;
  EXPECT_EQ(errorCode(rejected), "AUTH_FAILED");
  auto graphError = parseObject(rejected.body)->getObject("meta")->getObject("graphError");
  ASSERT_TRUE(graphError) << rejected.body;
  EXPECT_EQ(graphError->getValue<int>("code"), 190);
  auto notYet = messenger("POST", "shop", "/send", R"({"to":"1","message":"hi"})");
  EXPECT_EQ(notYet.status, 409);
  EXPECT_EQ(errorCode(notYet), "NOT_CONNECTED");
  EXPECT_FALSE(subscriptions()->has(kShopPage.pageId));

  // Connect: the Page is subscribed to its messaging fields; the QR code opens m.me.
  auto connected = connect("shop", kShopPage.connectBody(kWebhookSecret, "verify-shop"));
  ASSERT_EQ(connected.status, 200) << connected.body;
  auto data = parseObject(connected.body)->getObject("data");
  ASSERT_TRUE(data) << connected.body;
  EXPECT_EQ(str(data, "qrCode"), "https://m.me/300400500");
  EXPECT_EQ(str(data, "username"), "Acme Bikes");
  EXPECT_FALSE(data->getValue<bool>("alreadyConnected"));
  EXPECT_EQ(decodeQr(str(data, "qrCodeDataUrl")), "https://m.me/300400500\n");
  auto fields = subscriptions()->getArray(kShopPage.pageId);
  ASSERT_TRUE(fields);
  std::vector<std::string> subscribed;
  for (std::size_t i = 0; i < fields->size(); ++i)
    subscribed.push_back(fields->getElement<std::string>(static_cast<unsigned>(i)));
  EXPECT_EQ(subscribed,
            (std::vector<std::string>{"messages", "messaging_postbacks", "message_reads",
                                      "message_reactions", "messaging_referrals"}));
  auto status = statusOf("shop");
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->getValue<bool>("isConnected"));
  EXPECT_TRUE(status->getValue<bool>("isActive"));
  EXPECT_EQ(str(status->getObject("accountInfo"), "id"), kShopPage.pageId);
  EXPECT_EQ(str(status->getObject("accountInfo"), "username"), "Acme Bikes");

  // Meta's subscription check on the agent's URL.
  const std::string hook = acme_->url("/shop/messenger/webhook?hub.mode=subscribe");
  auto verified = httpCall("GET", hook + "&hub.verify_token=verify-shop&hub.challenge=77");
  EXPECT_EQ(verified.status, 200);
  EXPECT_EQ(verified.body, "77");
  EXPECT_EQ(httpCall("GET", hook + "&hub.verify_token=wrong&hub.challenge=1").status, 403);

  // A signed message is answered at the Page's Send API; unsigned or mis-signed ones are not.
  const std::string first =
      page::textWebhook(kUser, kShopPage.pageId, nowMillis(), mid("m1"), "Hi! What is the price?");
  EXPECT_EQ(postWebhook("shop", first, "").status, 403);
  EXPECT_EQ(postWebhook("shop", first, kAppSecret).status, 403);  // the agent has its own secret
  auto ack = postWebhook("shop", first);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");
  ASSERT_TRUE(eventually([&] { return !sent().empty(); })) << host_->log();
  const SentRecord reply = sent().front();
  EXPECT_EQ(reply.senderId, kShopPage.pageId);
  EXPECT_EQ(reply.recipientId, kUser);
  EXPECT_EQ(reply.text, kPriceReply);
  EXPECT_EQ(reply.messagingType, "RESPONSE");
  EXPECT_TRUE(reply.tag.empty());

  // Meta redelivers m1, then a new message: one more reply, none for the duplicate.
  ASSERT_EQ(postWebhook("shop", first).status, 200);
  ASSERT_EQ(text("shop", "m2", "ok, thank you").status, 200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 3); })) << host_->log();
  EXPECT_EQ(sentTexts(), (std::vector<std::string>{kPriceReply, kFallback}));

  // Echoes: the host's own reply (its mid is the Send API's message id) is not stored twice;
  // a message a person sent from the Page's inbox is stored as outbound and never answered.
  const long long ts = nowMillis();
  ASSERT_EQ(
      postWebhook("shop",
                  page::envelope({edge::entry(
                      kShopPage.pageId, ts,
                      {edge::echoItem(kShopPage.pageId, kUser, ts, reply.messageId, kPriceReply),
                       edge::echoItem(kShopPage.pageId, kUser, ts + 1, mid("inbox"),
                                      "Sent from the Page inbox")})}))
          .status,
      200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 5); })) << host_->log();
  EXPECT_EQ(sent().size(), 2u);
  EXPECT_EQ(history("shop"),
            (std::vector<std::string>{"inbound:Hi! What is the price?",
                                      std::string("outbound:") + kPriceReply,
                                      "inbound:ok, thank you", std::string("outbound:") + kFallback,
                                      "outbound:Sent from the Page inbox"}));
  // Messenger's read receipt names a time, not a message: it lands on the newest of the Page's
  // sent messages at or before that time (the inbox echo), and on no other message.
  ASSERT_EQ(
      postWebhook("shop",
                  page::envelope({edge::entry(
                      kShopPage.pageId, ts + 10,
                      {edge::item(kUser, kShopPage.pageId, ts + 10,
                                  "\"read\":{\"watermark\":" + std::to_string(ts + 1) + "}")})}))
          .status,
      200);
  auto readMarks = [&] {
    std::vector<std::string> out;
    auto list = chats("shop");
    auto messages = list.empty() ? nullptr : list[0]->getArray("messages");
    for (std::size_t i = 0; messages && i < messages->size(); ++i) {
      auto m = messages->getObject(static_cast<unsigned>(i));
      if (m->getObject("meta") && m->getObject("meta")->has("read")) out.push_back(str(m, "text"));
    }
    return out;
  };
  ASSERT_TRUE(eventually([&] { return !readMarks().empty(); })) << host_->log();
  EXPECT_EQ(readMarks(), (std::vector<std::string>{"Sent from the Page inbox"}));

  auto chat = chats("shop").at(0);
  EXPECT_EQ(str(chat->getObject("metadata"), "channel"), "messenger");
  EXPECT_EQ(str(chat->getObject("metadata"), "messenger_user_id"), kUser);
  EXPECT_TRUE(chats("shop", "instagram").empty());

  // A person's late answer carries the HUMAN_AGENT tag to the Send API.
  auto tagged = messenger(
      "POST", "shop", "/send",
      std::string(R"({"to":")") + kUser + R"(","message":"A person here.","tag":"HUMAN_AGENT"})");
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  EXPECT_EQ(sent().back().text, "A person here.");
  EXPECT_EQ(sent().back().tag, "HUMAN_AGENT");
  EXPECT_EQ(sent().back().messagingType, "MESSAGE_TAG");

  // The Page is this agent's: another agent cannot take it.
  ASSERT_EQ(acme_->createRulesAgent("other"), 201);
  auto inUse = connect("other", kShopPage.connectBody());
  EXPECT_EQ(inUse.status, 409);
  EXPECT_EQ(errorCode(inUse), "ACCOUNT_IN_USE");
  EXPECT_NE(errorMessage(inUse).find("This Messenger account"), std::string::npos);

  // Disconnect: the subscription ends, sends are refused, history stays.
  auto off = messenger("POST", "shop", "/disconnect");
  EXPECT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(statusOf("shop")->getValue<bool>("isConnected"));
  EXPECT_FALSE(subscriptions()->has(kShopPage.pageId));
  EXPECT_EQ(messenger("POST", "shop", "/send", R"({"to":"1","message":"x"})").status, 409);
  EXPECT_EQ(chats("shop").size(), 1u);
}

TEST_P(MessengerFlowTest, SendFailuresAreClassifiedAndARejectedTokenDeactivates) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
  ASSERT_EQ(connect("shop", kShopPage.connectBody(kWebhookSecret)).status, 200);
  const std::string sendPath = "/v21.0/" + kShopPage.pageId + "/messages";

  // A throttled reply is retried and then sent once.
  graph_->injectFault(sendPath, "throttle", 1);
  ASSERT_EQ(text("shop", "t1", "price?").status, 200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 1) && !sent().empty(); }))
      << host_->log();
  EXPECT_EQ(sentTexts(), std::vector<std::string>{kPriceReply});
  EXPECT_EQ(graphRequests("POST " + sendPath), 2);

  // Synchronous sends: one attempt each, the Graph error mapped and carried in meta.
  struct Case {
    const char* fault;
    int http;
    const char* code;
    int graphCode;
  };
  for (const Case& c :
       {Case{"throttle", 429, "RATE_LIMITED", 613},
        Case{"outside_window", 409, "OUTSIDE_WINDOW", 10}, Case{"http500", 502, "API_ERROR", 2},
        Case{"auth", 401, "AUTH_FAILED", 190}}) {
    SCOPED_TRACE(c.fault);
    const int before = graphRequests("POST " + sendPath);
    graph_->injectFault(sendPath, c.fault, 1);
    auto r = messenger("POST", "shop", "/send",
                       std::string(R"({"to":")") + kUser + R"(","message":"From the desk"})");
    EXPECT_EQ(r.status, c.http) << r.body;
    EXPECT_EQ(errorCode(r), c.code);
    auto meta = parseObject(r.body)->getObject("meta");
    auto graphError = meta ? meta->getObject("graphError") : nullptr;
    ASSERT_TRUE(graphError) << r.body;
    EXPECT_EQ(graphError->getValue<int>("code"), c.graphCode);
    EXPECT_EQ(graphRequests("POST " + sendPath), before + 1);
  }
  EXPECT_EQ(sent().size(), 1u);
  auto status = statusOf("shop");
  EXPECT_TRUE(status->getValue<bool>("isConnected"));
  EXPECT_FALSE(status->getValue<bool>("isActive"));
  EXPECT_NE(str(status, "inactiveReason").find("190"), std::string::npos)
      << str(status, "inactiveReason");

  // Inactive: a later message is stored but not answered until the Page is reconnected.
  ASSERT_EQ(text("shop", "t2", "price again?").status, 200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 2); })) << host_->log();
  EXPECT_EQ(sent().size(), 1u);
  const auto stored = history("shop");
  EXPECT_EQ(stored.back(), "inbound:price again?");
  EXPECT_EQ(std::count(stored.begin(), stored.end(), std::string("outbound:") + kPriceReply), 1);
}

TEST_P(MessengerFlowTest, TheAppLevelWebhookIsRoutedByPageId) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
  ASSERT_EQ(acme_->createRulesAgent("outlet"), 201);
  ASSERT_EQ(connect("shop", kShopPage.connectBody(kWebhookSecret)).status, 200);
  ASSERT_EQ(connect("outlet", kOutletPage.connectBody()).status, 200);  // no secret of its own

  const std::string verify = host_->baseUrl() + "/webhooks/messenger?hub.mode=subscribe";
  auto ok = httpCall("GET", verify + "&hub.verify_token=" + kAppVerifyToken + "&hub.challenge=42");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "42");
  EXPECT_EQ(httpCall("GET", verify + "&hub.verify_token=verify-shop&hub.challenge=1").status, 403);

  const long long ts = nowMillis();
  const std::string unknownPage = "300400999";
  const std::string body = page::envelope({
      edge::entry(kShopPage.pageId, ts,
                  {edge::textItem(kUser, kShopPage.pageId, ts, mid("a1"), "price?")}),
      edge::entry(kOutletPage.pageId, ts,
                  {edge::textItem(kUser2, kOutletPage.pageId, ts, mid("b1"), "hello")}),
      edge::entry(unknownPage, ts, {edge::textItem(kUser, unknownPage, ts, mid("c1"), "hi")}),
  });
  const auto dropped = [&] {
    return metric("chathost_messenger_webhook_events_total", {{"result", "dropped"}});
  };
  const double droppedBefore = dropped();
  EXPECT_EQ(postAppWebhook(body, kWebhookSecret).status, 403);  // the key is the app secret
  EXPECT_EQ(postAppWebhook(body, "").status, 403);
  auto ack = postAppWebhook(body, kAppSecret);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");
  EXPECT_EQ(dropped() - droppedBefore, 1);

  ASSERT_TRUE(eventually([&] { return settled("messenger", 2) && sent().size() == 2; }))
      << host_->log();
  auto out = sent();
  std::sort(out.begin(), out.end(),
            [](const SentRecord& a, const SentRecord& b) { return a.recipientId < b.recipientId; });
  EXPECT_EQ(out[0].senderId, kShopPage.pageId);
  EXPECT_EQ(out[0].recipientId, kUser);
  EXPECT_EQ(out[0].text, kPriceReply);
  EXPECT_EQ(out[1].senderId, kOutletPage.pageId);
  EXPECT_EQ(out[1].recipientId, kUser2);
  EXPECT_EQ(out[1].text, kFallback);
  EXPECT_EQ(history("shop"),
            (std::vector<std::string>{"inbound:price?", std::string("outbound:") + kPriceReply}));
  EXPECT_EQ(history("outlet"),
            (std::vector<std::string>{"inbound:hello", std::string("outbound:") + kFallback}));
}

TEST_P(MessengerFlowTest, AnotherTenantIsTurnedAwayFromEveryMessengerRoute) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
  ASSERT_EQ(connect("shop", kShopPage.connectBody(kWebhookSecret)).status, 200);
  ASSERT_EQ(text("shop", "x1", "price?").status, 200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 1) && sent().size() == 1; }))
      << host_->log();
  const std::string chatId = str(chats("shop").at(0), "chat_id");
  ASSERT_FALSE(chatId.empty());
  const std::string statusBefore = messenger("GET", "shop", "/status").body;
  const std::string messagesBefore = messenger("GET", "shop", "/messages").body;

  const auto globex = bearer(tokenFor(kJwtSecret, {"globex"}));
  const std::string sendBody = std::string(R"({"to":")") + kUser + R"(","message":"hijack"})";
  const std::vector<std::tuple<std::string, std::string, std::string>> routes = {
      {"POST", "/connect", kAttackerPage.connectBody()},
      {"GET", "/status", ""},
      {"POST", "/send", sendBody},
      {"GET", "/messages", ""},
      {"GET", "/messages/" + chatId, ""},
      {"POST", "/disconnect", ""},
  };
  for (const auto& [method, route, body] : routes) {
    SCOPED_TRACE(method + " " + route);
    // Another tenant's token on acme's path: forbidden, whatever the route.
    auto onAcme = httpCall(method, acme_->url("/shop/messenger" + route), body, globex);
    EXPECT_EQ(onAcme.status, 403) << onAcme.body;
    EXPECT_EQ(errorCode(onAcme), "FORBIDDEN");
    // acme's agent through the other tenant's own path: not found.
    auto onOwn = httpCall(
        method, host_->baseUrl() + "/api/database/globex/chat-agents/shop/messenger" + route, body,
        globex);
    EXPECT_EQ(onOwn.status, 404) << onOwn.body;
    EXPECT_EQ(errorCode(onOwn), "AGENT_NOT_FOUND");
    for (const std::string& answer : {onAcme.body, onOwn.body})
      for (const std::string& secret :
           {kShopPage.pageId, kShopPage.name, kShopPage.token, std::string(kUser), chatId})
        EXPECT_EQ(answer.find(secret), std::string::npos) << "leaked " << secret << ": " << answer;
  }
  EXPECT_EQ(messenger("GET", "shop", "/status").body, statusBefore);
  EXPECT_EQ(messenger("GET", "shop", "/messages").body, messagesBefore);
  EXPECT_EQ(sent().size(), 1u);
  EXPECT_FALSE(subscriptions()->has(kAttackerPage.pageId));
}

TEST_P(MessengerFlowTest, OneAgentOnInstagramAndMessengerKeepsTwoConversationsPerUser) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
  auto ig = acme_->call("POST", "/shop/instagram/connect", kInstagram.connectBody());
  ASSERT_EQ(ig.status, 200) << ig.body;
  ASSERT_EQ(connect("shop", kShopPage.connectBody(kWebhookSecret)).status, 200);

  // The same user id writes on both channels.
  const long long ts = nowMillis();
  auto onInstagram = postAgentWebhook(
      *acme_, "shop",
      messageWebhook(kInstagram.accountId, kUser, mid("ig1"), "price on instagram?", ts),
      kInstagram.webhookSecret);
  ASSERT_EQ(onInstagram.status, 200) << onInstagram.body;
  ASSERT_EQ(text("shop", "fb1", "hello from messenger", ts).status, 200);
  ASSERT_TRUE(eventually([&] {
    return settled("instagram", 1) && settled("messenger", 1) && sent().size() == 2;
  })) << host_->log();

  // Each reply left through its own channel's account.
  auto out = sent();
  std::sort(out.begin(), out.end(),
            [](const SentRecord& a, const SentRecord& b) { return a.senderId < b.senderId; });
  EXPECT_EQ(out[0].senderId, kInstagram.pageId);
  EXPECT_EQ(out[0].text, kPriceReply);
  EXPECT_EQ(out[1].senderId, kShopPage.pageId);
  EXPECT_EQ(out[1].text, kFallback);
  for (const auto& s : out) EXPECT_EQ(s.recipientId, kUser);

  // Two chats, one per channel, each with its own messages.
  EXPECT_EQ(history("shop", "instagram"),
            (std::vector<std::string>{"inbound:price on instagram?",
                                      std::string("outbound:") + kPriceReply}));
  EXPECT_EQ(history("shop", "messenger"),
            (std::vector<std::string>{"inbound:hello from messenger",
                                      std::string("outbound:") + kFallback}));
  auto igChat = chats("shop", "instagram").at(0);
  auto fbChat = chats("shop", "messenger").at(0);
  EXPECT_NE(str(igChat, "chat_id"), str(fbChat, "chat_id"));
  EXPECT_EQ(str(igChat->getObject("metadata"), "instagram_user_id"), kUser);
  EXPECT_EQ(str(fbChat->getObject("metadata"), "messenger_user_id"), kUser);

  // A message sent from one channel's route goes out through that channel only.
  auto desk = messenger("POST", "shop", "/send",
                        std::string(R"({"to":")") + kUser + R"(","message":"Via Messenger"})");
  ASSERT_EQ(desk.status, 200) << desk.body;
  EXPECT_EQ(sent().back().senderId, kShopPage.pageId);
  EXPECT_EQ(history("shop", "instagram").size(), 2u);
  EXPECT_EQ(history("shop", "messenger").size(), 3u);
}

// Messenger and Instagram (Facebook Login) on one Page share the app's subscription of it, even
// for agents of two tenants: each connect keeps the other's fields, and only the last disconnect
// ends the subscription.
TEST_P(MessengerFlowTest, APageSharedWithInstagramKeepsItsSubscriptionUntilTheLastDisconnect) {
  const std::string& page = kInstagram.pageId;
  const std::string edge = "/v21.0/" + page + "/subscribed_apps";
  AgentsApi globex(host_->baseUrl(), "globex", tokenFor(kJwtSecret, {"globex"}));
  ASSERT_EQ(acme_->createRulesAgent("social"), 201);
  ASSERT_EQ(globex.createRulesAgent("inbox"), 201);

  auto ig = acme_->call("POST", "/social/instagram/connect", kInstagram.connectBody());
  ASSERT_EQ(ig.status, 200) << ig.body;
  EXPECT_EQ(subscribedFields(page), kInstagramFields);

  // Messenger on the same Page adds its own fields to Instagram's instead of replacing them.
  auto fb =
      globex.call("POST", "/inbox/messenger/connect", kInstagramsPage.connectBody(kWebhookSecret));
  ASSERT_EQ(fb.status, 200) << fb.body;
  auto both = kInstagramFields;
  both.insert(both.end(), {"message_reads", "messaging_referrals"});
  EXPECT_EQ(subscribedFields(page), both);
  EXPECT_EQ(graphRequests("GET " + edge), 2);  // each connect read the Page's subscription

  // Messenger leaves: Instagram still uses the Page, so its subscription stays.
  auto fbOff = globex.call("POST", "/inbox/messenger/disconnect");
  ASSERT_EQ(fbOff.status, 200) << fbOff.body;
  EXPECT_FALSE(parseObject(globex.call("GET", "/inbox/messenger/status").body)
                   ->getObject("data")
                   ->getValue<bool>("isConnected"));
  EXPECT_EQ(graphRequests("DELETE " + edge), 0);
  const auto kept = subscribedFields(page);
  for (const auto& field : kInstagramFields)
    EXPECT_NE(std::find(kept.begin(), kept.end(), field), kept.end()) << field;
  EXPECT_TRUE(host_->waitForLog("kept the Page's webhook subscription")) << host_->log();
  EXPECT_EQ(host_->log().find(kInstagramsPage.token), std::string::npos);

  // The last connection of the Page leaves: the subscription ends.
  auto igOff = acme_->call("POST", "/social/instagram/disconnect");
  ASSERT_EQ(igOff.status, 200) << igOff.body;
  EXPECT_EQ(graphRequests("DELETE " + edge), 1);
  EXPECT_FALSE(subscriptions()->has(page));
}

TEST_P(MessengerTokenCheckTest, ARevokedPageTokenIsFoundByTheCheckAndMarkedInactive) {
  ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
  ASSERT_EQ(connect("shop", kShopPage.connectBody(kWebhookSecret)).status, 200);
  const auto checks = [&](const char* result) {
    return metric("chathost_credential_checks_total",
                  {{"channel", "messenger"}, {"result", result}});
  };

  // The valid token is checked (Meta confirms it) and the Page stays active.
  ASSERT_TRUE(eventually([&] { return checks("checked") >= 1; })) << host_->log();
  EXPECT_GE(debugTokenCalls(), 1);
  EXPECT_TRUE(statusOf("shop")->getValue<bool>("isActive"));
  EXPECT_EQ(checks("invalid"), 0);

  // The person changes their password: Meta revokes the Page token.
  auto revoked = httpCall("POST", graph_->baseUrl() + "/_fake/revoke",
                          std::string(R"({"token":")") + kShopPage.token + "\"}");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  JsonObject after;
  ASSERT_TRUE(eventually([&] {
    after = statusOf("shop");
    return after && !after->getValue<bool>("isActive");
  })) << host_->log();
  EXPECT_TRUE(after->getValue<bool>("isConnected"));
  const std::string reason = str(after, "inactiveReason");
  EXPECT_NE(reason.find("no longer valid"), std::string::npos) << reason;
  EXPECT_NE(reason.find("invalidated"), std::string::npos) << reason;  // Meta's own words
  EXPECT_NE(reason.find("reconnect"), std::string::npos) << reason;
  EXPECT_EQ(reason.find(kShopPage.token), std::string::npos) << reason;
  EXPECT_EQ(reason.find(kAppSecret), std::string::npos) << reason;
  EXPECT_EQ(checks("invalid"), 1);
  EXPECT_EQ(host_->log().find(kShopPage.token), std::string::npos);

  // Inactive: a message is stored but not answered until the Page is reconnected.
  ASSERT_EQ(text("shop", "after-revoke", "price?").status, 200);
  ASSERT_TRUE(eventually([&] { return settled("messenger", 1); })) << host_->log();
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(history("shop"), std::vector<std::string>{"inbound:price?"});
}

INSTANTIATE_TEST_SUITE_P(Backends, MessengerFlowTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });
INSTANTIATE_TEST_SUITE_P(Backends, MessengerTokenCheckTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

}  // namespace
}  // namespace chathost::testing
