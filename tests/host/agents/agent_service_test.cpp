#include "agents/agent_service.h"
#include "agents/agent_busy.h"
#include "fake_agent_store.h"
#include "fake_observability.h"
#include "scripted_http_client.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using namespace chathost::testing;

class AgentServiceTest : public ::testing::Test {
 protected:
  AgentServiceTest()
      : service_(store_, http_, metrics_, logger_, [](const std::string& name) {
          return name == "CHATHOST_AGENT_KEY" ? std::optional<std::string>("sk-env-key-000SECRET")
                                              : std::nullopt;
        }) {}

  void add(const std::string& id, const std::string& type, const std::string& config) {
    ASSERT_TRUE(store_.create({id, "sub1", "Agent " + id, type, config, 0, 0}).isOk());
  }
  host::AgentTurn turn(const std::string& agentId, const std::string& text,
                       const std::string& subaccount = "sub1") {
    return {agentId, subaccount, "chat", "instagram", "user", text, {}};
  }
  double turns(const std::string& type, const std::string& outcome) {
    return metrics_.value("chathost_agent_turns_total", {{"type", type}, {"outcome", outcome}});
  }

  FakeAgentStore store_;
  ScriptedHttpClient http_;
  FakeMetrics metrics_;
  FakeLogger logger_;
  AgentService service_;
};

TEST_F(AgentServiceTest, FindsAgentsOnlyInTheirSubaccount) {
  add("a1", "rules", "{}");
  EXPECT_TRUE(service_.find("sub1", "a1")->has_value());
  EXPECT_FALSE(service_.find("sub2", "a1")->has_value());
  store_.setFailing(true);
  EXPECT_EQ(service_.find("sub1", "a1").status().code(), sdk::ErrorCode::kUnavailable);
}

TEST_F(AgentServiceTest, RulesTurnsAreCountedByOutcome) {
  add("r", "rules", R"({"rules":[{"match":"hi","reply":"Hello"}]})");
  EXPECT_EQ(service_.reply(turn("r", "Hi!"))->text, "Hello");
  EXPECT_FALSE(service_.reply(turn("r", "bye"))->text.has_value());
  EXPECT_EQ(turns("rules", "replied"), 1);
  EXPECT_EQ(turns("rules", "silent"), 1);
  EXPECT_EQ(
      metrics_.observations("chathost_agent_turn_duration_seconds", {{"type", "rules"}}).size(),
      2u);
}

TEST_F(AgentServiceTest, UnknownAgentOrOtherSubaccountIsAgentNotFound) {
  add("r", "rules", "{}");
  EXPECT_EQ(service_.reply(turn("missing", "x")).status().code(), sdk::ErrorCode::kAgentNotFound);
  EXPECT_EQ(service_.reply(turn("r", "x", "sub2")).status().code(), sdk::ErrorCode::kAgentNotFound);
}

TEST_F(AgentServiceTest, DispatchesToOpenAiWithTheEnvironmentKey) {
  add("o", "openai",
      R"({"base_url":"http://fake/v1","model":"m","api_key":"${CHATHOST_AGENT_KEY}"})");
  http_.respond(200, R"({"choices":[{"message":{"content":"From the model"}}]})");
  EXPECT_EQ(service_.reply(turn("o", "q"))->text, "From the model");
  EXPECT_EQ(ScriptedHttpClient::header(http_.requests().at(0), "Authorization"),
            "Bearer sk-env-key-000SECRET");
  EXPECT_EQ(turns("openai", "replied"), 1);
}

TEST_F(AgentServiceTest, RemoteFailuresAreReturnedCountedAndLoggedWithoutSecrets) {
  add("o", "openai",
      R"({"base_url":"http://fake/v1","model":"m","api_key":"${CHATHOST_AGENT_KEY}"})");
  add("h", "http", R"({"url":"http://fake/hook"})");
  http_.respond(401, R"({"error":{"message":"bad key sk-env-key-000SECRET"}})");
  http_.fail(sdk::ErrorCode::kTimeout, "timed out");
  auto failed = service_.reply(turn("o", "q"));
  EXPECT_EQ(failed.status().code(), sdk::ErrorCode::kAuthFailed);
  auto timedOut = service_.reply(turn("h", "q"));
  EXPECT_EQ(timedOut.status().code(), sdk::ErrorCode::kTimeout);
  EXPECT_EQ(turns("openai", "error"), 1);
  EXPECT_EQ(turns("http", "timeout"), 1);
  EXPECT_EQ(logger_.count(sdk::LogLevel::kWarning), 2);
  std::string logged = logger_.allText();
  EXPECT_NE(logged.find("bad key"), std::string::npos);
  EXPECT_EQ(logged.find("000SECRET"), std::string::npos);
  EXPECT_EQ(failed.status().message().find("000SECRET"), std::string::npos);
}

TEST_F(AgentServiceTest, UnknownTypeIsAnInternalError) {
  add("x", "smoke-signals", "{}");
  EXPECT_EQ(service_.reply(turn("x", "q")).status().code(), sdk::ErrorCode::kInternal);
}

TEST_F(AgentServiceTest, HistoryWantedFollowsTheAgentsTypeAndConfig) {
  add("r", "rules", R"({"fallback":"hi"})");
  add("o", "openai", R"({"base_url":"http://fake/v1","model":"m","history":42})");
  add("o0", "openai", R"({"base_url":"http://fake/v1","model":"m","history":0})");
  add("od", "openai", R"({"base_url":"http://fake/v1","model":"m"})");
  add("h", "http", R"({"url":"http://fake/hook"})");
  EXPECT_EQ(service_.historyWanted("sub1", "r"), 0);
  EXPECT_EQ(service_.historyWanted("sub1", "o"), 42);
  EXPECT_EQ(service_.historyWanted("sub1", "o0"), 0);
  EXPECT_EQ(service_.historyWanted("sub1", "od"), 10);
  EXPECT_EQ(service_.historyWanted("sub1", "h"), 10);
  EXPECT_EQ(service_.historyWanted("sub1", "missing"), 0);
  EXPECT_EQ(service_.historyWanted("sub2", "o"), 0);  // another subaccount's agent
  store_.setFailing(true);
  EXPECT_EQ(service_.historyWanted("sub1", "o"), 10);
}

TEST_F(AgentServiceTest, ATurnReadsItsAgentOnce) {
  add("o", "openai", R"({"base_url":"http://fake/v1","model":"m","history":3})");
  http_.respond(200, R"({"choices":[{"message":{"content":"one"}}]})");
  http_.respond(200, R"({"choices":[{"message":{"content":"two"}}]})");
  const int before = store_.gets();
  ASSERT_EQ(service_.historyWanted("sub1", "o"), 3);
  EXPECT_EQ(service_.reply(turn("o", "q"))->text, "one");
  EXPECT_EQ(store_.gets() - before, 1);
  // The agent read for that turn is not kept: the next turn reads it again.
  EXPECT_EQ(service_.reply(turn("o", "q"))->text, "two");
  EXPECT_EQ(store_.gets() - before, 2);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(AgentServiceTest, HistoryWantedOfOneAgentDoesNotServeAnother) {
  add("a", "openai", R"({"base_url":"http://fake/a","model":"m"})");
  add("b", "openai", R"({"base_url":"http://fake/b","model":"m"})");
  http_.respond(200, R"({"choices":[{"message":{"content":"from b"}}]})");
  service_.historyWanted("sub1", "a");
  EXPECT_EQ(service_.reply(turn("b", "q"))->text, "from b");
  EXPECT_EQ(http_.requests().at(0).url, "http://fake/b/chat/completions");
}

TEST_F(AgentServiceTest, CountsTheTokensOpenAiEndpointsReport) {
  add("o", "openai", R"({"base_url":"http://fake/v1","model":"m"})");
  http_.respond(200, R"({"choices":[{"message":{"content":"a"}}],)"
                     R"("usage":{"prompt_tokens":100,"completion_tokens":20}})");
  http_.respond(200, R"({"choices":[{"message":{"content":"<think>only</think>"}}],)"
                     R"("usage":{"prompt_tokens":30,"completion_tokens":5}})");
  http_.respond(200, R"({"choices":[{"message":{"content":"b"}}]})");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(service_.reply(turn("o", "q")).isOk());
  EXPECT_EQ(metrics_.value("chathost_agent_tokens_total", {{"kind", "prompt"}}), 130);
  EXPECT_EQ(metrics_.value("chathost_agent_tokens_total", {{"kind", "completion"}}), 25);
  EXPECT_EQ(turns("openai", "replied"), 2);
  EXPECT_EQ(turns("openai", "silent"), 1);
}

TEST_F(AgentServiceTest, PermanentRefusalsAreReturnedAsSuch) {
  add("o", "openai", R"({"base_url":"http://fake/v1","model":"m"})");
  http_.respond(404, R"({"error":{"message":"The model `m` does not exist."}})");
  http_.respond(429, R"({"error":{"message":"Rate limit reached"}})");
  auto refused = service_.reply(turn("o", "q"));
  ASSERT_FALSE(refused.isOk());
  EXPECT_TRUE(isAgentPermanent(refused.status()));
  EXPECT_NE(refused.status().message().find("HTTP 404: The model `m` does not exist."),
            std::string::npos)
      << refused.status().message();
  auto limited = service_.reply(turn("o", "q"));
  ASSERT_FALSE(limited.isOk());
  EXPECT_FALSE(isAgentPermanent(limited.status()));
  EXPECT_EQ(turns("openai", "error"), 2);
}

TEST_F(AgentServiceTest, AttachmentRepliesCountAsRepliesAndBadOnesAreLogged) {
  add("r", "rules",
      R"({"rules":[{"match":"menu","attachment":{"type":"image","url":"https://x/m.png"}}]})");
  add("h", "http", R"({"url":"http://fake/hook"})");
  auto menu = service_.reply(turn("r", "menu?"));
  ASSERT_TRUE(menu.isOk());
  EXPECT_FALSE(menu->text.has_value());
  ASSERT_EQ(menu->attachments.size(), 1u);
  EXPECT_EQ(turns("rules", "replied"), 1);

  http_.respond(200, R"({"attachments":[{"type":"image","url":"https://x/ok.png"},)"
                     R"({"type":"gif","url":"https://x/no.gif"}]})");
  auto hook = service_.reply(turn("h", "q"));
  ASSERT_TRUE(hook.isOk()) << hook.status().message();
  ASSERT_EQ(hook->attachments.size(), 1u);
  EXPECT_EQ(hook->attachments[0].url, "https://x/ok.png");
  EXPECT_EQ(turns("http", "replied"), 1);
  ASSERT_EQ(logger_.count(sdk::LogLevel::kWarning), 1);
  auto line = logger_.lines().at(0);
  EXPECT_EQ(line.message, "agent reply attachment left out");
  std::string logged = logger_.allText();
  EXPECT_NE(logged.find("agentId=h"), std::string::npos) << logged;
  EXPECT_NE(logged.find("attachments[1].type must be one of"), std::string::npos) << logged;
}

}  // namespace
}  // namespace chathost::host
