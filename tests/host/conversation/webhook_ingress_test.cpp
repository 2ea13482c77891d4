#include "conversation/webhook_ingress.h"
#include "conversation/event_record.h"
#include "harness.h"

#include <gtest/gtest.h>

#include <map>

using namespace chathost;
using namespace chathost::testing;
using host::WebhookIngress;
using sdk::ErrorCode;
using sdk::Method;

namespace {

const std::string kAgentPath = "/api/database/sub1/chat-agents/agent1/fakechat/webhook";
const std::string kChannelPath = "/webhooks/fakechat";
const std::string kAgentPattern =
    "/api/database/:subaccountId/chat-agents/:agentId/fakechat/webhook";

struct WebhookIngressTest : ::testing::Test {
  Harness h{2000};
  std::unique_ptr<WebhookIngress> ingress;

  void start() {
    if (ingress) return;
    ingress = std::make_unique<WebhookIngress>(h.registered(), h.services);
    ingress->registerRoutes(h.router);
  }
  sdk::Result<sdk::Response> post(const std::string& path, const std::string& body = "{}") {
    start();
    sdk::Request r;
    r.body = body;
    return h.router.invokePublic(Method::kPost, path, r);
  }
  sdk::Result<sdk::Response> challenge(const std::string& path) {
    start();
    sdk::Request r;
    r.query = {{"challenge", "12345"}};
    return h.router.invokePublic(Method::kGet, path, r);
  }
  double metric(const char* result) { return h.counter("webhook_events_total", result); }
  /// The channel parses every body into these events.
  void parsesInto(std::vector<sdk::InboundEvent> events, int ignored = 0) {
    h.channel.parse.then(parsedOf(std::move(events), ignored));
  }

  // Inline (network-thread) variants of the POST routes, as registerInline gives them.
  std::map<std::string, host::InlineHandler> inlineRoutes;
  struct InlineCall {
    bool taken = false;
    std::vector<sdk::Result<sdk::Response>> replies;
    std::vector<std::size_t> appendedAtReply;  // events in the inbox when each reply came
  };
  void startInline() {
    start();
    if (!inlineRoutes.empty()) return;
    auto status = ingress->registerInline(
        [this](Method method, const std::string& pattern, host::InlineHandler handler) {
          EXPECT_EQ(method, Method::kPost) << pattern;
          inlineRoutes[pattern] = std::move(handler);
          return sdk::Status::ok();
        });
    ASSERT_TRUE(status.isOk()) << status.message();
  }
  InlineCall postInline(const std::string& pattern, const std::string& path,
                        std::map<std::string, std::string> params, std::string body = "{}") {
    startInline();
    sdk::Request r;
    r.method = Method::kPost;
    r.path = path;
    r.pathParams = std::move(params);
    r.body = std::move(body);
    InlineCall call;
    call.taken = inlineRoutes.at(pattern)(r, [this, &call](sdk::Result<sdk::Response> reply) {
      call.replies.push_back(std::move(reply));
      call.appendedAtReply.push_back(h.inbox.appended().size());
    });
    return call;
  }
  InlineCall postInlineToAgent() {
    return postInline(kAgentPattern, kAgentPath, {{"subaccountId", "sub1"}, {"agentId", "agent1"}});
  }
  InlineCall postInlineToChannel() { return postInline(kChannelPath, kChannelPath, {}); }
  /// Puts the agent's connection (or its absence) in the cache, as an ordinary POST would.
  void cacheAgent() { ASSERT_TRUE(h.cache.byAgent("sub1", "agent1", kChannel).isOk()); }
  void cacheAccount(const std::string& accountId) {
    ASSERT_TRUE(h.cache.byAccount(kChannel, accountId).isOk());
  }
};

}  // namespace

TEST_F(WebhookIngressTest, RegistersTheFourPublicRoutes) {
  start();
  EXPECT_TRUE(h.router.has(Method::kGet,
                           "/api/database/:subaccountId/chat-agents/:agentId/fakechat/webhook"));
  EXPECT_TRUE(h.router.has(Method::kPost,
                           "/api/database/:subaccountId/chat-agents/:agentId/fakechat/webhook"));
  EXPECT_TRUE(h.router.has(Method::kGet, kChannelPath));
  EXPECT_TRUE(h.router.has(Method::kPost, kChannelPath));
  EXPECT_EQ(h.router.routes().size(), 4u);
  for (const auto& r : h.router.routes()) EXPECT_FALSE(r.agentScoped) << r.pattern;
}

TEST_F(WebhookIngressTest, TheAgentChallengeIsAnsweredWithTheAgentsConnection) {
  h.connect();
  auto ok = challenge(kAgentPath);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->body, "challenge-ok");
  auto calls = h.channel.challengeCalls();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0].has_value());
  EXPECT_EQ(calls[0]->secrets.at("verifyToken"), "verify-me");
  EXPECT_EQ(calls[0]->subaccountId, "sub1");
}

TEST_F(WebhookIngressTest, TheChannelsVerdictOnAChallengeIsTheAnswer) {
  h.connect();
  h.channel.challenge.then(sdk::Status(ErrorCode::kForbidden, "wrong token"));
  EXPECT_EQ(challenge(kAgentPath).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(challenge(kChannelPath).status().code(), ErrorCode::kForbidden);
}

TEST_F(WebhookIngressTest, AChallengeForAnAgentWithoutConnectionIsForbidden) {
  EXPECT_EQ(challenge(kAgentPath).status().code(), ErrorCode::kForbidden);
  h.connect();
  h.connections.disconnect("sub1", "agent1", kChannel);
  h.cache.invalidateAll();
  EXPECT_EQ(challenge(kAgentPath).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(challenge("/api/database/other/chat-agents/agent1/fakechat/webhook").status().code(),
            ErrorCode::kForbidden);
  EXPECT_TRUE(h.channel.challengeCalls().empty());
}

TEST_F(WebhookIngressTest, TheChannelWideChallengeHasNoConnection) {
  h.connect();
  auto ok = challenge(kChannelPath);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->body, "challenge-ok");
  auto calls = h.channel.challengeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].has_value());
}

TEST_F(WebhookIngressTest, ARefusedSignatureStoresNothing) {
  h.connect();
  parsesInto({userMessage("m1", "hi")});
  h.channel.verify.then(sdk::Status(ErrorCode::kForbidden, "bad signature"));
  EXPECT_EQ(post(kAgentPath).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(post(kChannelPath).status().code(), ErrorCode::kForbidden);
  EXPECT_TRUE(h.channel.parsedBodies().empty());
  EXPECT_TRUE(h.inbox.appended().empty());
  EXPECT_EQ(metric("accepted"), 0);
}

TEST_F(WebhookIngressTest, TheAgentUrlIsVerifiedWithTheAgentsConnection) {
  h.connect();
  parsesInto({});
  ASSERT_TRUE(post(kAgentPath).isOk());
  ASSERT_TRUE(post(kChannelPath).isOk());
  auto calls = h.channel.verifyCalls();
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_TRUE(calls[0].has_value());
  EXPECT_EQ(calls[0]->agentId, "agent1");
  EXPECT_EQ(calls[0]->secrets.at("token"), kToken);
  EXPECT_FALSE(calls[1].has_value());  // channel-wide: the channel's own secret
}

TEST_F(WebhookIngressTest, TheVerifiedRawBodyIsWhatIsParsed) {
  h.connect();
  parsesInto({});
  const std::string body = "{\"raw\" : [1, 2]}\n";
  ASSERT_TRUE(post(kAgentPath, body).isOk());
  EXPECT_EQ(h.channel.parsedBodies(), std::vector<std::string>{body});
}

TEST_F(WebhookIngressTest, ABatchIsAppendedOnceWithEveryEventBeforeTheAck) {
  h.connect();
  auto reaction = about(sdk::EventKind::kReaction, "m_echo_1", kStart + 5);
  reaction.reaction = "love";
  parsesInto({echo("m_echo_1", "hello"), userMessage("m1", "hi", kStart + 3), reaction,
              userMessage("m2", "other user", kStart + 4, "user-2")});
  auto r = post(kAgentPath);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "EVENT_RECEIVED");
  EXPECT_EQ(h.inbox.appendCalls(), 1);
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 4u);
  for (const auto& e : events) {
    EXPECT_EQ(e.channel, kChannel);
    EXPECT_EQ(e.agentId, "agent1");
    EXPECT_EQ(e.subaccountId, "sub1");
    EXPECT_FALSE(e.dedupKey.empty());
  }
  EXPECT_EQ(events[0].orderingKey, "sub1:agent1:user-1");  // echoes too: same conversation
  EXPECT_EQ(events[3].orderingKey, "sub1:agent1:user-2");
  EXPECT_EQ(events[0].kind, "echo");
  EXPECT_EQ(events[0].dedupKey, "mid:m_echo_1");
  EXPECT_EQ(events[1].kind, "message");
  EXPECT_EQ(events[1].eventTimestamp, kStart + 3);
  EXPECT_EQ(events[2].kind, "reaction");
  auto back = host::eventFromPayload(events[2].payload);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->reaction, "love");
  EXPECT_EQ(back->mid, "m_echo_1");
  EXPECT_EQ(metric("accepted"), 4);
}

TEST_F(WebhookIngressTest, IgnoredItemsAreCountedAndAcknowledged) {
  h.connect();
  parsesInto({userMessage("m1", "hi")}, 2);
  auto r = post(kAgentPath);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(h.inbox.appended().size(), 1u);
  EXPECT_EQ(metric("ignored"), 2);
}

TEST_F(WebhookIngressTest, ABodyWithNoEventsIsAcknowledgedWithoutTouchingTheInbox) {
  h.connect();
  parsesInto({}, 1);
  auto r = post(kAgentPath);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->body, "EVENT_RECEIVED");
  EXPECT_EQ(h.inbox.appendCalls(), 0);
}

TEST_F(WebhookIngressTest, EventsForDisconnectedOrUnknownAgentsAreDroppedWith200) {
  parsesInto({userMessage("m1", "hi"), userMessage("m2", "hey")});
  auto r = post(kAgentPath);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->body, "EVENT_RECEIVED");
  EXPECT_TRUE(h.inbox.appended().empty());
  EXPECT_EQ(metric("dropped"), 2);
  auto calls = h.channel.verifyCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].has_value());  // verified with the channel's own secret
}

TEST_F(WebhookIngressTest, TheChannelWideUrlRoutesEventsByAccount) {
  h.connect();
  auto other = userMessage("m_b", "to nobody");
  other.accountId = "acct-unknown";
  parsesInto({userMessage("m_a", "a"), other, userMessage("m_c", "c")});
  auto r = post(kChannelPath);
  ASSERT_TRUE(r.isOk());
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 2u);  // the second account has no agent
  EXPECT_EQ(events[0].dedupKey, "mid:m_a");
  EXPECT_EQ(events[1].dedupKey, "mid:m_c");
  EXPECT_EQ(events[0].agentId, "agent1");
  EXPECT_EQ(events[0].subaccountId, "sub1");
  EXPECT_EQ(metric("dropped"), 1);
  EXPECT_EQ(metric("accepted"), 2);
}

TEST_F(WebhookIngressTest, TheChannelWideUrlFindsAccountsOfThisChannelOnly) {
  auto elsewhere = h.connection();
  elsewhere.channel = "otherchat";
  h.connections.put(elsewhere);
  parsesInto({userMessage("m1", "hi")});
  ASSERT_TRUE(post(kChannelPath).isOk());
  EXPECT_TRUE(h.inbox.appended().empty());
  EXPECT_EQ(metric("dropped"), 1);
}

TEST_F(WebhookIngressTest, ConnectionLookupsAreCached) {
  h.connect();
  parsesInto({userMessage("m1", "hi")});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(post(kAgentPath).isOk());
  EXPECT_EQ(h.connections.getCalls(), 1);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(post(kChannelPath).isOk());
  EXPECT_EQ(h.connections.findByAccountCalls(), 1);
  h.now += 5000;
  ASSERT_TRUE(post(kAgentPath).isOk());
  EXPECT_EQ(h.connections.getCalls(), 2);
}

TEST_F(WebhookIngressTest, FailuresToRecordAreNotAcknowledged) {
  h.connect();
  parsesInto({userMessage("m1", "hi")});
  h.inbox.failWith = sdk::Status::unavailable("db down");
  auto r = post(kAgentPath);
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(post(kChannelPath).status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(metric("accepted"), 0);
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kError, "could not record"));
}

TEST_F(WebhookIngressTest, ABodyTheChannelCannotParseIsRefused) {
  h.connect();
  auto malformed = post(kAgentPath, "{not json");
  EXPECT_EQ(malformed.status().code(), ErrorCode::kValidation);
  EXPECT_EQ(post(kChannelPath, "{not json").status().code(), ErrorCode::kValidation);
  EXPECT_TRUE(h.inbox.appended().empty());
}

TEST_F(WebhookIngressTest, FailedConnectionLookupsAskThePlatformToRetry) {
  parsesInto({userMessage("m1", "hi")});
  h.connections.failWith = sdk::Status::unavailable("db down");
  EXPECT_EQ(post(kAgentPath).status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(post(kChannelPath).status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(challenge(kAgentPath).status().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(h.inbox.appended().empty());
}

TEST_F(WebhookIngressTest, AChannelThatThrowsIsAnErrorNotACrash) {
  h.connect();
  h.channel.verify.thenDo([]() -> sdk::Status { throw std::runtime_error("verify broke"); });
  auto verify = post(kAgentPath);
  EXPECT_EQ(verify.status().code(), ErrorCode::kInternal);
  EXPECT_NE(verify.status().message().find("verify broke"), std::string::npos);
  h.channel.verify.then(sdk::Status::ok());
  h.channel.parse.thenDo(
      []() -> sdk::Result<sdk::ParsedWebhook> { throw std::logic_error("parse broke"); });
  auto parse = post(kChannelPath);
  EXPECT_EQ(parse.status().code(), ErrorCode::kInternal);
  EXPECT_NE(parse.status().message().find("parse broke"), std::string::npos);
  h.channel.challenge.thenDo([]() -> sdk::Result<sdk::Response> { throw 42; });
  EXPECT_EQ(challenge(kChannelPath).status().code(), ErrorCode::kInternal);
  EXPECT_TRUE(h.inbox.appended().empty());
}

// Agent ids repeat across subaccounts: the path's subaccount picks the connection given to the
// channel and the recorded event's tenant.
TEST_F(WebhookIngressTest, TheSameAgentIdInAnotherSubaccountIsAnotherWebhook) {
  h.connect();
  auto other = h.connection();
  other.subaccountId = "sub2";
  other.accountId = "acct-2";
  other.secrets = {{"token", "other-token"}, {"verifyToken", "other-verify"}};
  h.connections.put(other);
  const std::string otherPath = "/api/database/sub2/chat-agents/agent1/fakechat/webhook";
  ASSERT_TRUE(challenge(otherPath).isOk());
  EXPECT_EQ(h.channel.challengeCalls().at(0)->secrets.at("verifyToken"), "other-verify");
  auto event = userMessage("m1", "hi");
  event.accountId = "acct-2";
  parsesInto({event});
  ASSERT_TRUE(post(otherPath).isOk());
  EXPECT_EQ(h.channel.verifyCalls().at(0)->secrets.at("token"), "other-token");
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].subaccountId, "sub2");
  EXPECT_EQ(events[0].agentId, "agent1");
  EXPECT_EQ(events[0].orderingKey, "sub2:agent1:user-1");
}

TEST_F(WebhookIngressTest, AnAgentsUrlRecordsOnlyEventsOfItsOwnAccount) {
  h.connect();
  sdk::InboundEvent other = userMessage("m2", "not yours");
  other.accountId = "another-account";
  parsesInto({userMessage("m1", "mine"), other});
  ASSERT_TRUE(post(kAgentPath).isOk());
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].payload.find("\"mine\""), std::string::npos);
  EXPECT_EQ(metric("dropped"), 1);
}

TEST_F(WebhookIngressTest, AnEventWithoutADedupKeyGetsOneThatIdentifiesIt) {
  h.connect();
  sdk::InboundEvent a = userMessage("m1", "one");
  sdk::InboundEvent b = userMessage("m2", "two");
  a.dedupKey.clear();
  b.dedupKey.clear();
  parsesInto({a, b});
  ASSERT_TRUE(post(kAgentPath).isOk());
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].dedupKey.empty());
  EXPECT_NE(events[0].dedupKey, events[1].dedupKey);
  auto decoded = host::eventFromPayload(events[0].payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->dedupKey, events[0].dedupKey) << "the engine sees the same key";
}

// ---------------------------------------------------------------------------------------------
// The inline POST routes, answered on the network thread from the connection cache.

TEST_F(WebhookIngressTest, RegisterInlineAttachesBothPostRoutes) {
  startInline();
  ASSERT_EQ(inlineRoutes.size(), 2u);
  EXPECT_TRUE(inlineRoutes.count(kAgentPattern));
  EXPECT_TRUE(inlineRoutes.count(kChannelPath));
}

TEST_F(WebhookIngressTest, RegisterInlinePassesOnARefusal) {
  start();
  auto status = ingress->registerInline([](Method, const std::string&, host::InlineHandler) {
    return sdk::Status::notFound("no such route");
  });
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
}

TEST_F(WebhookIngressTest, TheInlineAgentRouteDeclinesWhileTheConnectionIsNotCached) {
  h.connect();
  parsesInto({userMessage("m1", "hi")});
  auto call = postInlineToAgent();
  EXPECT_FALSE(call.taken);
  EXPECT_TRUE(call.replies.empty());
  EXPECT_EQ(h.connections.getCalls(), 0);  // no storage on the network thread
  EXPECT_TRUE(h.channel.verifyCalls().empty());
  EXPECT_TRUE(h.channel.parsedBodies().empty());
  EXPECT_EQ(h.inbox.appendCalls(), 0);
  EXPECT_EQ(metric("accepted"), 0);
  EXPECT_EQ(metric("dropped"), 0);
}

TEST_F(WebhookIngressTest, OnceCachedTheInlineAgentRouteRecordsTheEventsBeforeAnswering200) {
  h.connect();
  cacheAgent();
  parsesInto({userMessage("m1", "hi"), userMessage("m2", "there")}, 1);
  auto call = postInlineToAgent();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  ASSERT_TRUE(call.replies[0].isOk()) << call.replies[0].status().message();
  EXPECT_EQ(call.replies[0]->status, 200);
  EXPECT_EQ(call.replies[0]->body, "EVENT_RECEIVED");
  EXPECT_EQ(call.appendedAtReply[0], 2u);  // recorded before the answer
  EXPECT_EQ(h.inbox.appendCalls(), 1);
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].dedupKey, "mid:m1");
  EXPECT_EQ(events[0].subaccountId, "sub1");
  EXPECT_EQ(events[0].agentId, "agent1");
  EXPECT_EQ(events[0].orderingKey, "sub1:agent1:user-1");
  auto verified = h.channel.verifyCalls();
  ASSERT_EQ(verified.size(), 1u);
  ASSERT_TRUE(verified[0].has_value());
  EXPECT_EQ(verified[0]->secrets.at("token"), kToken);
  EXPECT_EQ(h.connections.getCalls(), 1);  // only the lookup that filled the cache
  EXPECT_EQ(metric("accepted"), 2);
  EXPECT_EQ(metric("ignored"), 1);
}

// Anyone may post a large body to the public URLs: its HMAC and parse run on a handler thread,
// not on the network thread every connection shares.
TEST_F(WebhookIngressTest, LargeBodiesAreLeftToAHandlerThread) {
  h.connect();
  cacheAgent();
  const std::string large(64 * 1024 + 1, ' ');
  auto toAgent = postInline(kAgentPattern, kAgentPath,
                            {{"subaccountId", "sub1"}, {"agentId", "agent1"}}, large);
  EXPECT_FALSE(toAgent.taken);
  auto toChannel = postInline(kChannelPath, kChannelPath, {}, large);
  EXPECT_FALSE(toChannel.taken);
  EXPECT_TRUE(toAgent.replies.empty());
  EXPECT_TRUE(toChannel.replies.empty());
  EXPECT_TRUE(h.channel.verifyCalls().empty());
  // At the limit it is still answered where it was read.
  parsesInto({userMessage("m1", "hi")});
  auto atLimit =
      postInline(kAgentPattern, kAgentPath, {{"subaccountId", "sub1"}, {"agentId", "agent1"}},
                 std::string(64 * 1024, ' '));
  EXPECT_TRUE(atLimit.taken);
}

TEST_F(WebhookIngressTest, AnOrdinaryPostCachesTheConnectionForTheInlineRoute) {
  h.connect();
  parsesInto({userMessage("m1", "hi")});
  ASSERT_TRUE(post(kAgentPath).isOk());
  auto call = postInlineToAgent();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  EXPECT_TRUE(call.replies[0].isOk());
  EXPECT_EQ(h.inbox.appendCalls(), 2);
}

TEST_F(WebhookIngressTest, TheInlineAgentRouteDeclinesAgainOnceTheCacheExpires) {
  h.connect();
  cacheAgent();
  parsesInto({userMessage("m1", "hi")});
  h.now += 5000;  // past the harness's 2 s TTL
  auto call = postInlineToAgent();
  EXPECT_FALSE(call.taken);
  EXPECT_TRUE(call.replies.empty());
  EXPECT_EQ(h.inbox.appendCalls(), 0);
}

TEST_F(WebhookIngressTest, ACachedAbsenceOfConnectionIsAnswered200AndDropsTheEvents) {
  cacheAgent();  // nothing connected: the cache remembers that
  parsesInto({userMessage("m1", "hi"), userMessage("m2", "hey")});
  auto call = postInlineToAgent();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  ASSERT_TRUE(call.replies[0].isOk());
  EXPECT_EQ(call.replies[0]->body, "EVENT_RECEIVED");
  EXPECT_EQ(h.inbox.appendCalls(), 0);
  EXPECT_EQ(metric("dropped"), 2);
  auto verified = h.channel.verifyCalls();
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_FALSE(verified[0].has_value());  // the channel's own secret
}

TEST_F(WebhookIngressTest, ARefusedSignatureIsAnsweredForbiddenThroughTheReply) {
  h.connect();
  cacheAgent();
  parsesInto({userMessage("m1", "hi")});
  h.channel.verify.then(sdk::Status(ErrorCode::kForbidden, "bad signature"));
  auto call = postInlineToAgent();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  EXPECT_EQ(call.replies[0].status().code(), ErrorCode::kForbidden);
  EXPECT_TRUE(h.channel.parsedBodies().empty());
  EXPECT_EQ(h.inbox.appendCalls(), 0);
  EXPECT_EQ(metric("accepted"), 0);
}

TEST_F(WebhookIngressTest, AFailingAppendIsAnsweredUnavailableThroughTheReply) {
  h.connect();
  cacheAgent();
  parsesInto({userMessage("m1", "hi")});
  h.inbox.failWith = sdk::Status::unavailable("db down");
  auto call = postInlineToAgent();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  EXPECT_EQ(call.replies[0].status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(metric("accepted"), 0);
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kError, "could not record"));
}

TEST_F(WebhookIngressTest, TheInlineChannelRouteDeclinesWhenAnEventsAccountIsNotCached) {
  h.connect();
  cacheAccount(kAccount);
  auto other = userMessage("m2", "to nobody");
  other.accountId = "acct-unknown";
  parsesInto({userMessage("m1", "hi"), other}, 1);
  auto call = postInlineToChannel();
  EXPECT_FALSE(call.taken);
  EXPECT_TRUE(call.replies.empty());
  EXPECT_EQ(h.inbox.appendCalls(), 0);
  EXPECT_EQ(metric("ignored"), 0);  // counted when the body is taken, not when declined
  EXPECT_EQ(h.connections.findByAccountCalls(), 1);  // only the lookup that filled the cache
}

TEST_F(WebhookIngressTest, TheInlineChannelRouteRecordsOnceEveryAccountIsCached) {
  h.connect();
  cacheAccount(kAccount);
  cacheAccount("acct-unknown");  // cached as having no agent
  auto other = userMessage("m2", "to nobody");
  other.accountId = "acct-unknown";
  parsesInto({userMessage("m1", "hi"), other}, 1);
  auto call = postInlineToChannel();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  ASSERT_TRUE(call.replies[0].isOk());
  EXPECT_EQ(call.replies[0]->body, "EVENT_RECEIVED");
  EXPECT_EQ(call.appendedAtReply[0], 1u);
  auto events = h.inbox.appended();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].dedupKey, "mid:m1");
  EXPECT_EQ(events[0].agentId, "agent1");
  EXPECT_EQ(metric("accepted"), 1);
  EXPECT_EQ(metric("dropped"), 1);
  EXPECT_EQ(metric("ignored"), 1);
}

TEST_F(WebhookIngressTest, ARefusedSignatureOnTheInlineChannelRouteIsAnsweredForbidden) {
  h.channel.verify.then(sdk::Status(ErrorCode::kForbidden, "bad signature"));
  auto call = postInlineToChannel();
  EXPECT_TRUE(call.taken);
  ASSERT_EQ(call.replies.size(), 1u);
  EXPECT_EQ(call.replies[0].status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(h.inbox.appendCalls(), 0);
}
