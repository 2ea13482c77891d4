#include "webhook.h"
#include "connection_cache.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Request;

namespace {
const std::string kAgentPath = "/api/database/sub1/chat-agents/agent1/instagram/webhook";

struct WebhookTest : ::testing::Test {
  Harness h;
  ConnectionCache cache{h.ctx.connectionStore, 2000, [this] { return h.now; }};
  std::unique_ptr<Webhook> hook;

  void start() {
    hook = std::make_unique<Webhook>(h.services, h.settings, cache);
    hook->registerAll(h.ctx.routes);
  }
  chathost::sdk::Result<chathost::sdk::Response> post(const std::string& path, Request r) {
    return h.ctx.routes.invokePublic(Method::kPost, path, std::move(r));
  }
  chathost::sdk::Result<chathost::sdk::Response> verify(const std::string& path,
                                                        const std::string& token) {
    Request r;
    r.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", token}, {"hub.challenge", "12345"}};
    return h.ctx.routes.invokePublic(Method::kGet, path, r);
  }
  double metric(const char* result) {
    return h.ctx.metricsFake.counterValue("chathost_instagram_webhook_events_total",
                                          {{"result", result}});
  }
};
}  // namespace

TEST_F(WebhookTest, VerificationAnswersTheChallengeOnlyForTheRightToken) {
  h.settings.verifyToken = "app-verify";
  h.connect();
  start();
  auto ok = verify(kAgentPath, "verify-me");
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "12345");
  EXPECT_EQ(ok->contentType.rfind("text/plain", 0), 0u);
  EXPECT_EQ(verify(kAgentPath, "wrong").status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(verify("/api/database/other/chat-agents/agent1/instagram/webhook", "verify-me")
                .status()
                .code(),
            ErrorCode::kForbidden);
  EXPECT_EQ(verify("/webhooks/instagram", "app-verify")->body, "12345");
  EXPECT_EQ(verify("/webhooks/instagram", "verify-me").status().code(), ErrorCode::kForbidden);
}

TEST_F(WebhookTest, BadOrMissingSignatureStoresNothing) {
  h.connect();
  start();
  std::string body = readCorpus("text_and_replies.json");
  Request unsigned_;
  unsigned_.body = body;
  EXPECT_EQ(post(kAgentPath, unsigned_).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(post(kAgentPath, signedPost(body, "wrong-secret")).status().code(),
            ErrorCode::kForbidden);
  auto tampered = signedPost(body, kAppSecret);
  tampered.body += " ";
  EXPECT_EQ(post(kAgentPath, tampered).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(post("/webhooks/instagram", signedPost(body, "nope")).status().code(),
            ErrorCode::kForbidden);
  EXPECT_TRUE(h.ctx.inboxFake.appended().empty());
  EXPECT_EQ(h.ctx.metricsFake.counterValue("chathost_instagram_webhook_rejected_total"), 4);
}

TEST_F(WebhookTest, AgentWebhookSecretWinsOverAppSecret) {
  h.connect(/*withWebhookSecret=*/true);
  start();
  std::string body = readCorpus("text_and_replies.json");
  EXPECT_EQ(post(kAgentPath, signedPost(body, kAppSecret)).status().code(), ErrorCode::kForbidden);
  EXPECT_TRUE(post(kAgentPath, signedPost(body, "agent-hook-secret")).isOk());
}

TEST_F(WebhookTest, NoSecretAtAllIsRefusedUnlessVerificationIsDisabled) {
  h.settings.appSecret.clear();
  h.connect();
  start();
  Request r;
  r.body = readCorpus("text_and_replies.json");
  EXPECT_EQ(post(kAgentPath, r).status().code(), ErrorCode::kForbidden);
  h.settings.requireSignature = false;
  auto ok = post(kAgentPath, r);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(h.ctx.inboxFake.appended().size(), 5u);
}

TEST_F(WebhookTest, ABatchIsAppendedOnceWithEveryEventBeforeTheAck) {
  h.connect();
  start();
  std::string body = readCorpus("other_events.json");
  auto r = post(kAgentPath, signedPost(body, kAppSecret));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "EVENT_RECEIVED");
  EXPECT_EQ(h.ctx.inboxFake.appendCalls(), 1);
  auto events = h.ctx.inboxFake.appended();
  ASSERT_EQ(events.size(), 10u);
  for (const auto& e : events) {
    EXPECT_EQ(e.channel, "instagram");
    EXPECT_EQ(e.agentId, "agent1");
    EXPECT_EQ(e.subaccountId, "sub1");
    EXPECT_EQ(e.orderingKey, "sub1:agent1:5500000000000001");  // echoes too: same conversation
    EXPECT_FALSE(e.dedupKey.empty());
    EXPECT_NE(e.payload.find("\"agentId\":\"agent1\""), std::string::npos);
  }
  EXPECT_EQ(events[0].kind, "echo");
  EXPECT_EQ(events[0].dedupKey, "mid:m_echo_1");
  EXPECT_EQ(metric("accepted"), 10);
}

TEST_F(WebhookTest, ChangesEntriesAreAcknowledgedAndIgnored) {
  h.connect();
  start();
  auto r = post(kAgentPath, signedPost(readCorpus("standby_changes_unknown.json"), kAppSecret));
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(h.ctx.inboxFake.appended().size(), 2u);  // the standby message and the unknown kind
  EXPECT_EQ(metric("ignored"), 2);
}

TEST_F(WebhookTest, EventsForDisconnectedOrUnknownAgentsAreDroppedWith200) {
  start();
  auto r = post(kAgentPath, signedPost(readCorpus("text_and_replies.json"), kAppSecret));
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->body, "EVENT_RECEIVED");
  EXPECT_TRUE(h.ctx.inboxFake.appended().empty());
  EXPECT_EQ(metric("dropped"), 5);
}

TEST_F(WebhookTest, AppWebhookRoutesEntriesByAccount) {
  h.connect();
  start();
  auto r =
      post("/webhooks/instagram", signedPost(readCorpus("unsorted_multi_entry.json"), kAppSecret));
  ASSERT_TRUE(r.isOk());
  auto events = h.ctx.inboxFake.appended();
  ASSERT_EQ(events.size(), 2u);  // the second account has no agent
  EXPECT_EQ(events[0].dedupKey, "mid:m_a");
  EXPECT_EQ(events[1].dedupKey, "mid:m_c");
  EXPECT_EQ(metric("dropped"), 1);
}

TEST_F(WebhookTest, ConnectionLookupsAreCached) {
  h.connect();
  start();
  std::string body = readCorpus("text_and_replies.json");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(post(kAgentPath, signedPost(body, kAppSecret)).isOk());
  EXPECT_EQ(h.ctx.connectionStore.getCalls(), 1);
  h.now += 5000;
  ASSERT_TRUE(post(kAgentPath, signedPost(body, kAppSecret)).isOk());
  EXPECT_EQ(h.ctx.connectionStore.getCalls(), 2);
}

TEST_F(WebhookTest, FailuresToRecordAreNotAcknowledged) {
  h.connect();
  start();
  h.ctx.inboxFake.failWith = chathost::sdk::Status::unavailable("db down");
  auto r = post(kAgentPath, signedPost(readCorpus("text_and_replies.json"), kAppSecret));
  EXPECT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
  auto malformed = post(kAgentPath, signedPost("{not json", kAppSecret));
  EXPECT_EQ(malformed.status().code(), ErrorCode::kValidation);
}

// Agent ids repeat across subaccounts: the path's subaccount picks the connection, its secret
// and the recorded event's tenant.
TEST_F(WebhookTest, TheSameAgentIdInAnotherSubaccountIsAnotherWebhook) {
  h.connect(/*withWebhookSecret=*/true);
  auto other = h.connection();
  other.subaccountId = "sub2";
  other.accountId = "17841400000000002";
  other.secrets = {{"accessToken", "other-token"},
                   {"verifyToken", "other-verify"},
                   {"webhookSecret", "other-hook-secret"}};
  h.ctx.connectionStore.put(other);
  start();
  const std::string otherPath = "/api/database/sub2/chat-agents/agent1/instagram/webhook";
  EXPECT_EQ(verify(otherPath, "verify-me").status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(verify(otherPath, "other-verify")->body, "12345");
  std::string body = readCorpus("text_and_replies.json");
  EXPECT_EQ(post(otherPath, signedPost(body, "agent-hook-secret")).status().code(),
            ErrorCode::kForbidden);
  ASSERT_TRUE(post(otherPath, signedPost(body, "other-hook-secret")).isOk());
  auto events = h.ctx.inboxFake.appended();
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) {
    EXPECT_EQ(e.subaccountId, "sub2");
    EXPECT_EQ(e.agentId, "agent1");
    EXPECT_EQ(e.orderingKey.rfind("sub2:agent1:", 0), 0u) << e.orderingKey;
  }
}
