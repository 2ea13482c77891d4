// Webhook and Graph API edge cases of the Instagram channel, black-box: the real host and plugin,
// the fake Graph API, SQLite. Asynchronous effects are awaited by polling with deadlines (Graph
// sends, stored history, the inbox's done counter), never by fixed sleeps.

#include "support/edge_instance.h"
#include "support/edge_payloads.h"
#include "support/edge_wait.h"
#include "support/signing.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <random>
#include <thread>

namespace chathost::testing {
namespace {

using namespace edge;
using namespace std::chrono_literals;

const EdgeAccount kAccountA{"EAAB-edge-token-a", "17841400000000101", "200300401", "acme_shop"};
const EdgeAccount kAccountB{"EAAB-edge-token-b", "17841400000000202", "200300402", "acme_outlet"};
constexpr const char* kUnconnectedAccount = "17841400000000999";
constexpr const char* kWebhookSecret = "edge-agent-webhook-secret";
constexpr const char* kUser = "5566000001";
constexpr const char* kUser2 = "5566000002";
constexpr const char* kUser3 = "5566000003";
constexpr const char* kPriceReply = "The blue one is 49 EUR.";
constexpr const char* kFallback = "Thanks!";
constexpr int kNumberedRules = 30;

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

std::string twoDigits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}
// "#m07" is answered "r07": one distinct reply per numbered message.
std::string numberedText(int n) {
  return "#m" + twoDigits(n);
}
std::string numberedReply(int n) {
  return "r" + twoDigits(n);
}

std::string rulesConfig() {
  std::string rules = "{\"match\":\"price\",\"reply\":" + quote(kPriceReply) + "}";
  for (int n = 1; n <= kNumberedRules; ++n)
    rules +=
        ",{\"match\":" + quote(numberedText(n)) + ",\"reply\":" + quote(numberedReply(n)) + "}";
  return "{\"rules\":[" + rules + "],\"fallback\":" + quote(kFallback) + "}";
}

std::vector<std::string> texts(const std::vector<SentRecord>& sent) {
  std::vector<std::string> out;
  for (const auto& s : sent) out.push_back(s.text);
  return out;
}

std::string str(const Json& o, const std::string& key) {
  return o->optValue<std::string>(key, "");
}

class InstagramEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EdgeOptions options;
    options.accounts = {kAccountA, kAccountB};
    options.serverYaml = "  max_body_bytes: 65536\n";
    // Short retry budget so the backoff (1 s, 2 s, ...) stays within a few seconds per test.
    options.pluginYaml = "      reply_retry_seconds: 2\n      graph_timeout_ms: 1500\n";
    std::string failure;
    edge_ = EdgeInstance::start(options, failure);
    ASSERT_TRUE(edge_) << failure;
    auto created = edge_->createAgent("shop", "rules", rulesConfig());
    ASSERT_EQ(created.status, 201) << created.body;
    auto connected = edge_->connect("shop", kAccountA, kWebhookSecret);
    ASSERT_EQ(connected.status, 200) << connected.body;
  }

  HttpResult post(const std::string& body) const {
    return edge_->postWebhook("shop", body, kWebhookSecret);
  }
  HttpResult postText(const std::string& mid, const std::string& text, long long ts = nowMs(),
                      const std::string& user = kUser) const {
    return post(textWebhook(user, kAccountA.igId, ts, mid, text));
  }
  HttpResult apiSend(const std::string& text) const {
    return edge_->api("POST", "/shop/instagram/send",
                      std::string("{\"to\":\"") + kUser + "\",\"message\":" + quote(text) + "}");
  }
  double done() const {
    return edge_->metric("chathost_inbox_events_total",
                         {{"channel", "instagram"}, {"outcome", "done"}});
  }
  int sendCalls() const {
    return edge_->graphRequests("POST /v21.0/" + kAccountA.pageId + "/messages");
  }
  std::vector<Json> outbound(const std::string& agent = "shop") const {
    std::vector<Json> out;
    for (const auto& m : edge_->messages(agent))
      if (str(m, "direction") == "outbound") out.push_back(m);
    return out;
  }
  int countMid(const std::string& mid) const {
    int n = 0;
    for (const auto& m : edge_->messages("shop")) n += str(m, "mid") == mid ? 1 : 0;
    return n;
  }

  std::unique_ptr<EdgeInstance> edge_;
};

// --- Graph faults while replying ------------------------------------------------------------

TEST_F(InstagramEdgeTest, ReplyRetriedAfterTwoServerErrorsIsSentExactlyOnce) {
  edge_->graph().injectFault("/messages", "http500", 2);
  ASSERT_EQ(postText("aWdfZA500", "price?").status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(1, 20s)) << edge_->host().log();
  EXPECT_EQ(texts(edge_->sent()), std::vector<std::string>{kPriceReply});
  EXPECT_EQ(sendCalls(), 3);  // two 500s, then the one that went through
  auto out = outbound();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(str(out[0], "status"), "sent");
  EXPECT_EQ(str(out[0], "mid"), edge_->sent()[0].messageId);
  EXPECT_EQ(edge_->metric("chathost_instagram_sends_total", {{"result", "error"}}), 2);
  EXPECT_EQ(edge_->metric("chathost_instagram_sends_total", {{"result", "ok"}}), 1);
}

TEST_F(InstagramEdgeTest, ThrottledReplyIsRetriedThenSent) {
  edge_->graph().injectFault("/messages", "throttle", 1);
  ASSERT_EQ(postText("aWdfZA613", "price?").status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(1, 20s)) << edge_->host().log();
  EXPECT_EQ(texts(edge_->sent()), std::vector<std::string>{kPriceReply});
  EXPECT_EQ(sendCalls(), 2);
  auto out = outbound();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(str(out[0], "status"), "sent");
}

TEST_F(InstagramEdgeTest, RejectedTokenFailsTheReplyDeactivatesAndStopsSending) {
  edge_->graph().injectFault("/messages", "auth", 1);
  ASSERT_EQ(postText("aWdfZA190", "price?").status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(1)) << edge_->host().log();
  auto out = outbound();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(str(out[0], "status"), "failed");
  EXPECT_NE(str(out[0], "error").find("190"), std::string::npos) << str(out[0], "error");

  auto status = edge_->api("GET", "/shop/instagram/status");
  ASSERT_EQ(status.status, 200);
  auto st = parse(status.body)->getObject("data");
  EXPECT_TRUE(st->getValue<bool>("isConnected"));
  EXPECT_FALSE(st->getValue<bool>("isActive"));

  // A later message is stored but not answered: the user must reconnect first.
  ASSERT_EQ(postText("aWdfZA190b", "price again?").status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(2)) << edge_->host().log();
  EXPECT_EQ(countMid("aWdfZA190b"), 1);
  EXPECT_EQ(sendCalls(), 1);
  EXPECT_TRUE(edge_->sent().empty());
  EXPECT_EQ(outbound().size(), 1u);
}

TEST_F(InstagramEdgeTest, PermanentErrorFailsTheMessageAndProcessingContinues) {
  edge_->graph().injectFault("/messages", "permanent", 1);
  ASSERT_EQ(postText("aWdfZA100", "price?").status, 200);
  ASSERT_EQ(postText("aWdfZA100b", numberedText(1)).status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(2)) << edge_->host().log();
  EXPECT_EQ(texts(edge_->sent()), std::vector<std::string>{numberedReply(1)});
  EXPECT_EQ(sendCalls(), 2);  // the permanent failure is not retried

  auto out = outbound();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(str(out[0], "text"), kPriceReply);
  EXPECT_EQ(str(out[0], "status"), "failed");
  const std::string error = str(out[0], "error");
  EXPECT_NE(error.find("100/2018001"), std::string::npos) << error;
  EXPECT_NE(error.find("No matching user found"), std::string::npos) << error;
  EXPECT_EQ(str(out[1], "status"), "sent");
  auto status = parse(edge_->api("GET", "/shop/instagram/status").body)->getObject("data");
  EXPECT_TRUE(status->getValue<bool>("isActive"));
}

// --- Synchronous /send faults ----------------------------------------------------------------

TEST_F(InstagramEdgeTest, SynchronousSendMapsGraphFaultsWithoutRetrying) {
  struct Case {
    const char* fault;
    int http;
    const char* code;
    int graphCode;
  };
  // Token errors last: they deactivate the connection.
  for (const Case& c :
       {Case{"throttle", 429, "RATE_LIMITED", 613}, Case{"http500", 502, "API_ERROR", 2},
        Case{"auth", 401, "AUTH_FAILED", 190}}) {
    SCOPED_TRACE(c.fault);
    const int before = sendCalls();
    edge_->graph().injectFault("/messages", c.fault, 1);
    auto r = apiSend("Hello from the dashboard");
    EXPECT_EQ(r.status, c.http) << r.body;
    auto body = parse(r.body);
    EXPECT_FALSE(body->getValue<bool>("success"));
    EXPECT_EQ(str(body, "code"), c.code);
    auto graphError = body->getObject("meta")->getObject("graphError");
    ASSERT_TRUE(graphError) << r.body;
    EXPECT_EQ(graphError->getValue<int>("code"), c.graphCode);
    EXPECT_FALSE(str(graphError, "message").empty());
    EXPECT_EQ(str(graphError, "fbtraceId"), "AfakeTrace" + std::to_string(c.graphCode));
    EXPECT_EQ(sendCalls(), before + 1);  // one attempt, no retry
  }
  EXPECT_TRUE(edge_->sent().empty());
  auto status = parse(edge_->api("GET", "/shop/instagram/status").body)->getObject("data");
  EXPECT_FALSE(status->getValue<bool>("isActive"));
  for (const auto& m : outbound()) EXPECT_EQ(str(m, "status"), "failed");
}

// The synchronous Graph timeout is a fixed 10 s (GraphClient::kSyncTimeoutMs, not configurable),
// too slow for the regular run. Run with --gtest_also_run_disabled_tests.
TEST_F(InstagramEdgeTest, SynchronousSendThatHangsIsApiErrorAfterTheTimeout) {
  edge_->graph().injectFault("/messages", "hang", 1, 5000);
  const auto started = std::chrono::steady_clock::now();
  auto r = edge_->api("POST", "/shop/instagram/send",
                      std::string("{\"to\":\"") + kUser + "\",\"message\":\"hi\"}", 30000);
  EXPECT_EQ(r.status, 502) << r.body << r.error;
  EXPECT_EQ(str(parse(r.body), "code"), "API_ERROR");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);  // graph_timeout_ms is 1.5 s
}

// --- Batches, echoes, duplicates -------------------------------------------------------------

TEST_F(InstagramEdgeTest, BatchedDeliveryStoresEveryEventInOrderAndAnswersEachOnce) {
  // 3 users x 10 messages, shuffled over 3 entries of one POST.
  const std::vector<std::string> users = {kUser, kUser2, kUser3};
  const long long base = nowMs() - 60000;
  std::vector<std::pair<int, std::string>> items;  // (number, item)
  for (int u = 0; u < 3; ++u)
    for (int k = 0; k < 10; ++k) {
      const int n = u * 10 + k + 1;
      items.emplace_back(n, textItem(users[u], kAccountA.igId, base + n * 10,
                                     "aWdfZAbatch" + twoDigits(n), numberedText(n)));
    }
  std::shuffle(items.begin(), items.end(), std::mt19937(20240611));
  std::vector<std::vector<std::string>> perEntry(3);
  for (std::size_t i = 0; i < items.size(); ++i) perEntry[i % 3].push_back(items[i].second);
  std::vector<std::string> entries;
  for (const auto& list : perEntry) entries.push_back(entry(kAccountA.igId, nowMs(), list));
  auto ack = post(envelope(entries));
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");

  ASSERT_TRUE(edge_->waitInboxDone(30, 30s)) << edge_->host().log();
  auto sent = edge_->sent();
  EXPECT_EQ(sent.size(), 30u);
  for (int u = 0; u < 3; ++u) {
    SCOPED_TRACE(users[u]);
    std::vector<std::string> expectedIn, expectedOut, gotOut, storedIn, storedOut;
    for (int k = 0; k < 10; ++k) {
      expectedIn.push_back(numberedText(u * 10 + k + 1));
      expectedOut.push_back(numberedReply(u * 10 + k + 1));
    }
    for (const auto& s : sent)
      if (s.recipientId == users[u]) gotOut.push_back(s.text);
    EXPECT_EQ(gotOut, expectedOut);  // each answered once, in timestamp order
    auto chat = edge_->chatWith("shop", users[u]);
    ASSERT_TRUE(chat);
    auto list = chat->getArray("messages");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto m = list->getObject(static_cast<unsigned>(i));
      (str(m, "direction") == "inbound" ? storedIn : storedOut).push_back(str(m, "text"));
    }
    EXPECT_EQ(storedIn, expectedIn);
    EXPECT_EQ(storedOut, expectedOut);
    EXPECT_EQ(chat->getValue<int>("message_count"), 20);
  }
}

TEST_F(InstagramEdgeTest, EchoOfTheHostsOwnReplyIsNeitherStoredTwiceNorAnswered) {
  ASSERT_EQ(postText("aWdfZAecho1", "price?").status, 200);
  ASSERT_TRUE(eventually([&] { return edge_->sent().size() == 1; })) << edge_->host().log();
  const std::string replyMid = edge_->sent()[0].messageId;
  ASSERT_TRUE(edge_->waitInboxDone(1));

  // Meta echoes our reply back: sender = account, recipient = user, mid = the Send API's id.
  ASSERT_EQ(
      post(envelope({entry(kAccountA.igId, nowMs(),
                           {echoItem(kAccountA.igId, kUser, nowMs(), replyMid, kPriceReply)})}))
          .status,
      200);
  // A later message of the same chat is processed after the echo.
  ASSERT_EQ(postText("aWdfZAecho2", numberedText(1), nowMs() + 5).status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(3)) << edge_->host().log();

  EXPECT_EQ(texts(edge_->sent()), (std::vector<std::string>{kPriceReply, numberedReply(1)}));
  EXPECT_EQ(countMid(replyMid), 1);
  auto chat = edge_->chatWith("shop", kUser);
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->getValue<int>("message_count"), 4);
  EXPECT_EQ(edge_->chats("shop").size(), 1u);
}

TEST_F(InstagramEdgeTest, EchoOfAMessageSentFromTheInstagramAppIsStoredAsOutbound) {
  const long long ts = nowMs();
  ASSERT_EQ(post(envelope({entry(kAccountA.igId, ts,
                                 {echoItem(kAccountA.igId, kUser, ts, "aWdfZAfromapp",
                                           "Sent from the phone")})}))
                .status,
            200);
  ASSERT_EQ(postText("aWdfZAafterapp", numberedText(2), ts + 5).status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(2)) << edge_->host().log();

  EXPECT_EQ(texts(edge_->sent()), std::vector<std::string>{numberedReply(2)});
  auto m = edge_->messageByMid("shop", "aWdfZAfromapp");
  ASSERT_TRUE(m);
  EXPECT_EQ(str(m, "direction"), "outbound");
  EXPECT_EQ(str(m, "text"), "Sent from the phone");
  EXPECT_EQ(str(m, "sender_id"), kAccountA.igId);
  EXPECT_EQ(str(m, "status"), "sent");
  EXPECT_EQ(countMid("aWdfZAfromapp"), 1);
  // The echo belongs to the chat with the user it was sent to.
  auto chat = edge_->chatWith("shop", kUser);
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->getValue<int>("message_count"), 3);
}

TEST_F(InstagramEdgeTest, SameDeliveryPostedConcurrentlyIsStoredAndAnsweredOnce) {
  const std::string body = textWebhook(kUser, kAccountA.igId, nowMs(), "aWdfZAdup", "price?");
  constexpr int kThreads = 8;
  std::latch ready(kThreads);
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      statuses[i] = post(body).status;
    });
  for (auto& t : threads) t.join();
  for (int s : statuses) EXPECT_EQ(s, 200);

  ASSERT_EQ(postText("aWdfZAdupafter", numberedText(3), nowMs() + 5).status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(kThreads + 1)) << edge_->host().log();
  EXPECT_EQ(texts(edge_->sent()), (std::vector<std::string>{kPriceReply, numberedReply(3)}));
  EXPECT_EQ(countMid("aWdfZAdup"), 1);
  EXPECT_EQ(edge_->metric("chathost_instagram_events_processed_total", {{"result", "duplicate"}}),
            kThreads - 1);
}

// --- Other event kinds -----------------------------------------------------------------------

TEST_F(InstagramEdgeTest, EveryEventKindInOneBatchIsStoredOrAppliedWithoutFailingTheBatch) {
  const long long t0 = nowMs() - 10000;
  ASSERT_EQ(post(envelope({entry(kAccountA.igId, t0,
                                 {textItem(kUser, kAccountA.igId, t0, "aWdfZAbase", "price?"),
                                  textItem(kUser, kAccountA.igId, t0 + 1, "aWdfZAdel", "oops")})}))
                .status,
            200);
  ASSERT_TRUE(edge_->waitInboxDone(2));
  ASSERT_EQ(edge_->sent().size(), 2u);
  const std::string replyMid = edge_->sent()[0].messageId;

  const std::string& a = kAccountA.igId;
  const long long t = nowMs();
  std::vector<std::string> messaging = {
      item(kUser, a, t + 1,
           "\"reaction\":{\"mid\":\"aWdfZAbase\",\"action\":\"react\",\"reaction\":\"love\","
           "\"emoji\":\"\\u2764\"}"),
      item(kUser, a, t + 2, "\"message\":{\"mid\":\"aWdfZAdel\",\"is_deleted\":true}"),
      item(kUser, a, t + 3, "\"read\":{\"mid\":" + quote(replyMid) + "}"),
      item(kUser, a, t + 4,
           "\"postback\":{\"mid\":\"aWdfZApb\",\"title\":\"Get started\",\"payload\":"
           "\"GET_STARTED\"}"),
      item(kUser, a, t + 5,
           "\"message\":{\"mid\":\"aWdfZAstory\",\"text\":\"Love this story\",\"reply_to\":"
           "{\"story\":{\"url\":\"https://cdn.fake/story/1.jpg\",\"id\":\"1790001\"}}}"),
      item(kUser, a, t + 6,
           "\"message\":{\"mid\":\"aWdfZAimg\",\"attachments\":[{\"type\":\"image\",\"payload\":"
           "{\"url\":\"https://cdn.fake/img/1.jpg\"}}]}"),
      item(kUser, a, t + 7,
           "\"message\":{\"mid\":\"aWdfZAshare\",\"attachments\":[{\"type\":\"share\",\"payload\":"
           "{\"url\":\"https://www.instagram.com/p/Cxyz/\"}}]}"),
  };
  const std::string unknownKind = item(kUser, a, t + 8, "\"optin\":{\"ref\":\"promo\"}");
  const std::string change =
      "{\"field\":\"comments\",\"value\":{\"id\":\"c1\",\"text\":\"nice\",\"from\":{\"id\":"
      "\"77\"}}}";
  auto ack = post(envelope({entry(a, t, messaging), entry(a, t, {unknownKind}, {change})}));
  ASSERT_EQ(ack.status, 200) << ack.body;
  ASSERT_TRUE(edge_->waitInboxDone(2 + 8)) << edge_->host().log();

  auto base = edge_->messageByMid("shop", "aWdfZAbase");
  ASSERT_TRUE(base);
  auto reactions = base->getObject("reactions");
  ASSERT_TRUE(reactions) << "reaction not applied";
  ASSERT_TRUE(reactions->getObject(kUser));
  EXPECT_EQ(str(reactions->getObject(kUser), "reaction"), "love");
  EXPECT_EQ(str(reactions->getObject(kUser), "emoji"), "\xE2\x9D\xA4");

  auto deleted = edge_->messageByMid("shop", "aWdfZAdel");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(str(deleted, "status"), "deleted");
  EXPECT_EQ(str(deleted, "text"), "");  // an unsent message keeps no text

  auto read = edge_->messageByMid("shop", replyMid);
  ASSERT_TRUE(read);
  ASSERT_TRUE(read->getObject("meta")->getObject("read")) << "read receipt not applied";
  EXPECT_EQ(str(read->getObject("meta")->getObject("read"), "by"), kUser);

  auto postback = edge_->messageByMid("shop", "aWdfZApb");
  ASSERT_TRUE(postback);
  EXPECT_EQ(str(postback, "direction"), "inbound");
  EXPECT_EQ(str(postback, "text"), "Get started");
  ASSERT_TRUE(postback->getObject("postback"));
  EXPECT_EQ(str(postback->getObject("postback"), "payload"), "GET_STARTED");

  auto story = edge_->messageByMid("shop", "aWdfZAstory");
  ASSERT_TRUE(story);
  EXPECT_EQ(str(story, "text"), "Love this story");
  ASSERT_TRUE(story->getObject("reply_to") && story->getObject("reply_to")->getObject("story"));
  EXPECT_EQ(str(story->getObject("reply_to")->getObject("story"), "url"),
            "https://cdn.fake/story/1.jpg");

  for (auto [mid, type, url] :
       {std::tuple{"aWdfZAimg", "image", "https://cdn.fake/img/1.jpg"},
        std::tuple{"aWdfZAshare", "share", "https://www.instagram.com/p/Cxyz/"}}) {
    SCOPED_TRACE(mid);
    auto m = edge_->messageByMid("shop", mid);
    ASSERT_TRUE(m);
    auto atts = m->getArray("attachments");
    ASSERT_TRUE(atts);
    ASSERT_EQ(atts->size(), 1u);
    EXPECT_EQ(str(atts->getObject(0), "type"), type);
    EXPECT_EQ(str(atts->getObject(0), "url"), url);
  }
  // Answered: the postback (its title) and the story reply; not the reaction, unsend, read,
  // media without text, the unknown kind or the comment.
  EXPECT_EQ(texts(edge_->sent()),
            (std::vector<std::string>{kPriceReply, kFallback, kFallback, kFallback}));
  EXPECT_EQ(edge_->metric("chathost_inbox_events_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(edge_->chats("shop").size(), 1u);
}

// --- Signatures and size -----------------------------------------------------------------------

TEST_F(InstagramEdgeTest, BadSignaturesAreRefusedAndStoreNothing) {
  const long long ts = nowMs();
  // Meta signs its escaped-unicode serialisation; a re-serialised body has other bytes.
  const std::string original = envelope(
      {entry(kAccountA.igId, ts,
             {item(kUser, kAccountA.igId, ts,
                   "\"message\":{\"mid\":\"aWdfZAsig\",\"text\":\"caf\\u00e9 price?\"}")})});
  std::string reserialised = original;
  reserialised.replace(reserialised.find("\\u00e9"), 6, "\xC3\xA9");
  const std::string url =
      edge_->baseUrl() + "/api/database/acme/chat-agents/shop/instagram/webhook";
  using Headers = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Headers>> cases = {
      {"missing", {}},
      {"wrong secret", {{"X-Hub-Signature-256", hubSignature("not-the-secret", original)}}},
      {"sha1 only", {{"X-Hub-Signature", hubSignatureSha1(kWebhookSecret, original)}}},
      {"re-serialised", {{"X-Hub-Signature-256", hubSignature(kWebhookSecret, reserialised)}}},
      {"app secret instead of the agent's",
       {{"X-Hub-Signature-256", hubSignature(kAppSecret, original)}}},
      {"truncated",
       {{"X-Hub-Signature-256", hubSignature(kWebhookSecret, original).substr(0, 40)}}},
  };
  for (const auto& [name, headers] : cases) {
    SCOPED_TRACE(name);
    Headers h = headers;
    h.emplace_back("Content-Type", "application/json");
    auto r = httpCall("POST", url, original, h);
    EXPECT_EQ(r.status, 403) << r.body;
  }
  EXPECT_GE(edge_->metric("chathost_instagram_webhook_rejected_total"), cases.size());

  // The same bytes, properly signed, go through: only they are stored.
  ASSERT_EQ(post(original).status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(1)) << edge_->host().log();
  auto all = edge_->messages("shop");
  ASSERT_EQ(all.size(), 2u);  // the message and its reply
  EXPECT_EQ(str(all[0], "text"), "caf\xC3\xA9 price?");
  EXPECT_EQ(edge_->sent().size(), 1u);
}

TEST_F(InstagramEdgeTest, BodyAboveMaxBodyBytesIs413) {
  const std::string body =
      textWebhook(kUser, kAccountA.igId, nowMs(), "aWdfZAbig", std::string(70000, 'x'));
  auto r = post(body);
  EXPECT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(str(parse(r.body), "code"), "PAYLOAD_TOO_LARGE");
  // The host keeps serving: a normal delivery still goes through.
  ASSERT_EQ(postText("aWdfZAsmall", "price?").status, 200);
  ASSERT_TRUE(edge_->waitInboxDone(1));
  EXPECT_EQ(countMid("aWdfZAbig"), 0);
  EXPECT_EQ(countMid("aWdfZAsmall"), 1);
}

// --- App-level webhook -------------------------------------------------------------------------

class InstagramAppWebhookTest : public InstagramEdgeTest {
 protected:
  void SetUp() override {
    InstagramEdgeTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(edge_->createAgent("outlet", "rules", rulesConfig()).status, 201);
    auto connected = edge_->connect("outlet", kAccountB);  // no webhookSecret of its own
    ASSERT_EQ(connected.status, 200) << connected.body;
  }
  double dropped() const {
    return edge_->metric("chathost_instagram_webhook_events_total", {{"result", "dropped"}});
  }
};

TEST_F(InstagramAppWebhookTest, VerificationUsesThePluginVerifyToken) {
  auto ok = httpCall("GET", edge_->baseUrl() +
                                "/webhooks/instagram?hub.mode=subscribe&hub.verify_token=" +
                                kAppVerifyToken + "&hub.challenge=4242");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "4242");
  for (const char* token : {"verify-shop", "wrong", ""}) {
    auto r =
        httpCall("GET", edge_->baseUrl() +
                            "/webhooks/instagram?hub.mode=subscribe&hub.verify_token=" + token +
                            "&hub.challenge=1");
    EXPECT_EQ(r.status, 403) << token;
  }
}

TEST_F(InstagramAppWebhookTest, EntriesAreRoutedByAccountAndUnknownAccountsDropped) {
  const long long ts = nowMs();
  const std::string body = envelope({
      entry(kAccountA.igId, ts, {textItem(kUser, kAccountA.igId, ts, "aWdfZAappA", "price?")}),
      entry(kAccountB.igId, ts,
            {textItem(kUser2, kAccountB.igId, ts, "aWdfZAappB", numberedText(2))}),
      entry(kUnconnectedAccount, ts,
            {textItem(kUser3, kUnconnectedAccount, ts, "aWdfZAappC", "hello")}),
  });
  const double droppedBefore = dropped();
  EXPECT_EQ(edge_->postAppWebhook(body, kWebhookSecret).status, 403);  // key is app_secret
  EXPECT_EQ(edge_->postAppWebhook(body, "").status, 403);
  auto ack = edge_->postAppWebhook(body, kAppSecret);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");
  EXPECT_EQ(dropped() - droppedBefore, 1);

  ASSERT_TRUE(edge_->waitInboxDone(2)) << edge_->host().log();
  auto sent = edge_->sent();
  ASSERT_EQ(sent.size(), 2u);
  std::sort(sent.begin(), sent.end(),
            [](const SentRecord& x, const SentRecord& y) { return x.recipientId < y.recipientId; });
  EXPECT_EQ(sent[0].recipientId, kUser);
  EXPECT_EQ(sent[0].senderId, kAccountA.pageId);
  EXPECT_EQ(sent[0].text, kPriceReply);
  EXPECT_EQ(sent[1].recipientId, kUser2);
  EXPECT_EQ(sent[1].senderId, kAccountB.pageId);
  EXPECT_EQ(sent[1].text, numberedReply(2));

  auto shopChats = edge_->chats("shop");
  ASSERT_EQ(shopChats.size(), 1u);
  EXPECT_EQ(str(shopChats[0]->getObject("metadata"), "instagram_user_id"), kUser);
  auto outletChats = edge_->chats("outlet");
  ASSERT_EQ(outletChats.size(), 1u);
  EXPECT_EQ(str(outletChats[0]->getObject("metadata"), "instagram_user_id"), kUser2);
  EXPECT_EQ(countMid("aWdfZAappC"), 0);
}

TEST_F(InstagramAppWebhookTest, EventsForADisconnectedAgentAreAcknowledgedDroppedNeverAnswered) {
  ASSERT_EQ(edge_->api("POST", "/outlet/instagram/disconnect").status, 200);
  const double droppedBefore = dropped();
  const long long ts = nowMs();
  const std::string forOutlet = envelope({entry(
      kAccountB.igId, ts, {textItem(kUser2, kAccountB.igId, ts, "aWdfZAgone", numberedText(4))})});
  EXPECT_EQ(edge_->postAppWebhook(forOutlet, kAppSecret).status, 200);
  // Its own URL too: with the webhook secret erased, the app secret signs.
  EXPECT_EQ(edge_->postWebhook("outlet", forOutlet, kAppSecret).status, 200);
  EXPECT_EQ(dropped() - droppedBefore, 2);

  // A connected agent's event posted afterwards is answered; the dropped ones never are.
  ASSERT_EQ(edge_
                ->postAppWebhook(
                    textWebhook(kUser, kAccountA.igId, ts + 1, "aWdfZAstill", numberedText(5)),
                    kAppSecret)
                .status,
            200);
  ASSERT_TRUE(edge_->waitInboxDone(1)) << edge_->host().log();
  EXPECT_EQ(texts(edge_->sent()), std::vector<std::string>{numberedReply(5)});
  EXPECT_TRUE(edge_->messages("outlet").empty());
  auto status = parse(edge_->api("GET", "/outlet/instagram/status").body)->getObject("data");
  EXPECT_FALSE(status->getValue<bool>("isConnected"));
}

}  // namespace
}  // namespace chathost::testing
