// The `openai` and `http` agent runtimes through the real host: a signed webhook makes the agent
// call a fake endpoint served by this test process, and its answer arrives at the fake Graph API.
// Failing and hanging endpoints leave the inbound message stored, send nothing, show up in the
// metrics, and do not stop the host from serving other webhooks.

#include "support/edge_agent_endpoint.h"
#include "support/edge_instance.h"
#include "support/edge_payloads.h"
#include "support/edge_wait.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <csignal>

namespace chathost::testing {
namespace {

using namespace edge;
using namespace std::chrono_literals;

const EdgeAccount kAccountA{"EAAB-runtime-token-a", "17841400000000301", "200300501", "acme_ai"};
const EdgeAccount kAccountB{"EAAB-runtime-token-b", "17841400000000402", "200300502", "acme_hook"};
constexpr const char* kUser = "6677000001";
constexpr const char* kUser2 = "6677000002";
constexpr const char* kKeyVariable = "CHATHOST_AGENT_EDGE_OPENAI_KEY";
constexpr const char* kApiKey = "sk-edge-runtime-key-0123456789";
constexpr const char* kHookToken = "hook-shared-token-42";
constexpr const char* kSystemPrompt = "You are the shop's assistant. Be brief.";
constexpr const char* kCompletions = "/v1/chat/completions";
constexpr const char* kHookPath = "/hooks/agent";

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}
std::string str(const Json& o, const std::string& key) {
  return o->optValue<std::string>(key, "");
}

class AgentRuntimesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(endpoint_.ok());
    EdgeOptions options;
    options.accounts = {kAccountA, kAccountB};
    options.env = {{kKeyVariable, kApiKey}, {"CHATHOST_AGENT_EDGE_HOOK_TOKEN", kHookToken}};
    std::string failure;
    edge_ = EdgeInstance::start(options, failure);
    ASSERT_TRUE(edge_) << failure;
    auto ai =
        edge_->createAgent("ai", "openai",
                           "{\"base_url\":" + quote(endpoint_.baseUrl() + "/v1") +
                               ",\"model\":\"gpt-edge-mini\",\"api_key\":\"${" + kKeyVariable +
                               "}\",\"system_prompt\":" + quote(kSystemPrompt) +
                               ",\"history\":10,\"timeout_ms\":400}");
    ASSERT_EQ(ai.status, 201) << ai.body;
    auto hook = edge_->createAgent("hook", "http",
                                   "{\"url\":" + quote(endpoint_.baseUrl() + kHookPath) +
                                       ",\"timeout_ms\":400,\"headers\":{\"X-Hook-Token\":\"${"
                                       "CHATHOST_AGENT_EDGE_HOOK_TOKEN}\"}}");
    ASSERT_EQ(hook.status, 201) << hook.body;
    ASSERT_EQ(edge_->connect("ai", kAccountA, "ai-secret").status, 200);
    ASSERT_EQ(edge_->connect("hook", kAccountB, "hook-secret").status, 200);
  }

  HttpResult toAi(const std::string& mid, const std::string& text, long long ts = nowMs()) const {
    return edge_->postWebhook("ai", textWebhook(kUser, kAccountA.igId, ts, mid, text), "ai-secret");
  }
  HttpResult toHook(const std::string& mid, const std::string& text, long long ts = nowMs()) const {
    return edge_->postWebhook("hook", textWebhook(kUser2, kAccountB.igId, ts, mid, text),
                              "hook-secret");
  }
  std::vector<SentRecord> sentTo(const std::string& user) const {
    std::vector<SentRecord> out;
    for (const auto& s : edge_->sent())
      if (s.recipientId == user) out.push_back(s);
    return out;
  }
  double turns(const std::string& type, const std::string& outcome) const {
    return edge_->metric("chathost_agent_turns_total", {{"type", type}, {"outcome", outcome}});
  }
  std::string headerOf(const RecordedRequest& r, const std::string& name) const {
    for (const auto& [k, v] : r.headers)
      if (Poco::icompare(k, name) == 0) return v;
    return "";
  }

  FakeAgentEndpoint endpoint_;
  std::unique_ptr<EdgeInstance> edge_;
};

// role/content pairs of an OpenAI request body.
std::vector<std::pair<std::string, std::string>> chatMessages(const Json& body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto list = body->getArray("messages");
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    auto m = list->getObject(static_cast<unsigned>(i));
    out.emplace_back(str(m, "role"), str(m, "content"));
  }
  return out;
}

using Turns = std::vector<std::pair<std::string, std::string>>;

TEST_F(AgentRuntimesTest, OpenAiAgentAnswersWithSystemPromptAndHistory) {
  endpoint_.setReply("Hello! How can I help?");
  ASSERT_EQ(toAi("aWdfZAai1", "Hi there").status, 200);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser).size() == 1; })) << edge_->host().log();
  EXPECT_EQ(sentTo(kUser)[0].text, "Hello! How can I help?");
  EXPECT_EQ(sentTo(kUser)[0].senderId, kAccountA.pageId);
  ASSERT_TRUE(edge_->waitInboxDone(1));

  endpoint_.setReply("Shipping takes two days.");
  ASSERT_EQ(toAi("aWdfZAai2", "What about shipping?").status, 200);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser).size() == 2; })) << edge_->host().log();
  EXPECT_EQ(sentTo(kUser)[1].text, "Shipping takes two days.");

  auto calls = endpoint_.requestsTo("/chat/completions");
  ASSERT_EQ(calls.size(), 2u);
  for (const auto& call : calls) {
    EXPECT_EQ(call.method, "POST");
    EXPECT_EQ(call.path, kCompletions);
    EXPECT_EQ(call.authorization, std::string("Bearer ") + kApiKey);
    EXPECT_NE(call.contentType.find("application/json"), std::string::npos);
    EXPECT_EQ(str(parse(call.body), "model"), "gpt-edge-mini");
  }
  EXPECT_EQ(chatMessages(parse(calls[0].body)),
            (Turns{{"system", kSystemPrompt}, {"user", "Hi there"}}));
  EXPECT_EQ(chatMessages(parse(calls[1].body)), (Turns{{"system", kSystemPrompt},
                                                       {"user", "Hi there"},
                                                       {"assistant", "Hello! How can I help?"},
                                                       {"user", "What about shipping?"}}));
  // The key came from the host's environment and is never written to its log.
  EXPECT_EQ(edge_->host().log().find(kApiKey), std::string::npos);
  EXPECT_EQ(turns("openai", "replied"), 2);
}

TEST_F(AgentRuntimesTest, HttpAgentReceivesTheTurnAndItsReplyIsSent) {
  endpoint_.setReply("Hook reply one");
  const long long ts = nowMs();
  ASSERT_EQ(toHook("aWdfZAhook1", "First question", ts).status, 200);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser2).size() == 1; })) << edge_->host().log();
  EXPECT_EQ(sentTo(kUser2)[0].text, "Hook reply one");
  EXPECT_EQ(sentTo(kUser2)[0].senderId, kAccountB.pageId);
  ASSERT_TRUE(edge_->waitInboxDone(1));
  endpoint_.setReply("Hook reply two");
  ASSERT_EQ(toHook("aWdfZAhook2", "Second question", ts + 1000).status, 200);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser2).size() == 2; })) << edge_->host().log();

  auto calls = endpoint_.requestsTo(kHookPath);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(headerOf(calls[0], "X-Hook-Token"), kHookToken);
  auto first = parse(calls[0].body);
  EXPECT_EQ(str(first, "agentId"), "hook");
  EXPECT_EQ(str(first, "subaccountId"), kSubaccount);
  EXPECT_EQ(str(first, "channel"), "instagram");
  EXPECT_EQ(str(first, "userId"), kUser2);
  EXPECT_EQ(str(first, "text"), "First question");
  EXPECT_FALSE(str(first, "chatId").empty());
  ASSERT_TRUE(first->getArray("history"));
  EXPECT_EQ(first->getArray("history")->size(), 0u);

  auto second = parse(calls[1].body);
  EXPECT_EQ(str(second, "text"), "Second question");
  EXPECT_EQ(str(second, "chatId"), str(first, "chatId"));
  auto history = second->getArray("history");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(str(history->getObject(0), "direction"), "inbound");
  EXPECT_EQ(str(history->getObject(0), "text"), "First question");
  EXPECT_EQ(history->getObject(0)->getValue<long long>("timestamp"), ts);
  EXPECT_EQ(str(history->getObject(1), "direction"), "outbound");
  EXPECT_EQ(str(history->getObject(1), "text"), "Hook reply one");
  EXPECT_EQ(turns("http", "replied"), 2);
}

TEST_F(AgentRuntimesTest, FailingEndpointStoresTheMessageSendsNothingAndIsCounted) {
  endpoint_.setMode(kHookPath, FakeAgentEndpoint::Mode::kFail);
  endpoint_.setReply("never sent");
  ASSERT_EQ(toHook("aWdfZAfail", "Are you there?").status, 200);
  ASSERT_TRUE(eventually([&] { return turns("http", "error") >= 1; })) << edge_->host().log();

  // Meanwhile another agent's webhook is acknowledged and answered.
  endpoint_.setReply("Still here.");
  ASSERT_EQ(toAi("aWdfZAaiok", "ping").status, 200);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser).size() == 1; })) << edge_->host().log();

  auto stored = edge_->messageByMid("hook", "aWdfZAfail");
  ASSERT_TRUE(stored);
  EXPECT_EQ(str(stored, "direction"), "inbound");
  EXPECT_EQ(str(stored, "text"), "Are you there?");
  EXPECT_TRUE(sentTo(kUser2).empty());
  for (const auto& m : edge_->messages("hook")) EXPECT_EQ(str(m, "direction"), "inbound");
  EXPECT_GE(edge_->metric("chathost_inbox_events_total",
                          {{"channel", "instagram"}, {"outcome", "retry"}}),
            1);
}

TEST_F(AgentRuntimesTest, EndpointThatTimesOutSendsNothingAndTheHostKeepsServing) {
  endpoint_.setMode(kCompletions, FakeAgentEndpoint::Mode::kHang, 5000);
  ASSERT_EQ(toAi("aWdfZAslow", "Anyone?").status, 200);
  ASSERT_TRUE(eventually([&] { return !endpoint_.requestsTo(kCompletions).empty(); }));

  // While the openai call hangs, webhooks are still acknowledged at once and processed.
  endpoint_.setReply("The hook answers.");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(toHook("aWdfZAquick", "hello").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  ASSERT_TRUE(eventually([&] { return sentTo(kUser2).size() == 1; })) << edge_->host().log();

  ASSERT_TRUE(eventually([&] { return turns("openai", "timeout") >= 1; })) << edge_->host().log();
  auto stored = edge_->messageByMid("ai", "aWdfZAslow");
  ASSERT_TRUE(stored);
  EXPECT_EQ(str(stored, "direction"), "inbound");
  EXPECT_TRUE(sentTo(kUser).empty());
  EXPECT_EQ(edge_->messages("ai").size(), 1u);
  EXPECT_EQ(edge_->host().log().find(kApiKey), std::string::npos);
}

// SPEC section 10: shutdown does not wait for an agent that never answers. Calls still running
// when the grace period (server.shutdown_timeout_seconds, 10 s by default) ends are abandoned,
// the host exits within 15 s, and their events stay in the inbox for the next start.
TEST_F(AgentRuntimesTest, ShutdownDoesNotWaitForAnAgentThatNeverAnswers) {
  auto patched = edge_->api(
      "PATCH", "/hook",
      "{\"config\":{\"url\":" + quote(endpoint_.baseUrl() + kHookPath) + ",\"timeout_ms\":30000}}");
  ASSERT_EQ(patched.status, 200) << patched.body;
  endpoint_.setMode(kHookPath, FakeAgentEndpoint::Mode::kHang, 60000);
  ASSERT_EQ(toHook("aWdfZAhung", "anyone?").status, 200);
  ASSERT_TRUE(eventually([&] { return !endpoint_.requestsTo(kHookPath).empty(); }));

  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(edge_->host().stop(SIGTERM, std::chrono::seconds(20)), 0) << edge_->host().log();
  const auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_LT(took, 15s);
  const std::string log = edge_->host().log();
  EXPECT_NE(log.find("abandoning the agent calls still running"), std::string::npos) << log;
  EXPECT_TRUE(sentTo(kUser2).empty());
}

}  // namespace
}  // namespace chathost::testing
