#include "agents/agent_service.h"
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
  EXPECT_EQ(failed.status().code(), sdk::ErrorCode::kApiError);
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

}  // namespace
}  // namespace chathost::host
