// The operator's limits on agent configs: env references against agents.env_allowlist and the
// timeout cap, at create, at update and when a stored config runs.
#include "agents/agent_policy.h"
#include "agents/agent_validation.h"
#include "agents/env_ref.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

const std::string kOpenAi = R"({"base_url":"http://llm/v1","model":"m","api_key":)";

sdk::Status checked(const std::string& config, AgentPolicy policy = {}) {
  return checkAgentPolicy(config, policy);
}

void expectRefused(const sdk::Status& s, const std::string& field, const std::string& name) {
  ASSERT_EQ(s.code(), sdk::ErrorCode::kValidation) << s.message();
  EXPECT_EQ(s.message().rfind(field + " references environment variable " + name, 0), 0u)
      << s.message();
}

TEST(EnvRefNames, ListsReferencedNamesButNotEscapes) {
  EXPECT_EQ(envRefNames("a ${X} b ${Y:-d} $${Z} ${X}"), (std::vector<std::string>{"X", "Y", "X"}));
  EXPECT_TRUE(envRefNames("plain sk-123").empty());
  EXPECT_EQ(firstDisallowedEnvRef("${CHATHOST_AGENT_A}${HOME}", {"CHATHOST_AGENT_*"}), "HOME");
  EXPECT_EQ(firstDisallowedEnvRef("${CHATHOST_AGENT_A}", {"CHATHOST_AGENT_*"}), std::nullopt);
}

TEST(AllowlistedEnv, NeverReadsAVariableOutsideTheList) {
  std::vector<std::string> asked;
  EnvLookup env = allowlistedEnv(
      [&asked](const std::string& name) -> std::optional<std::string> {
        asked.push_back(name);
        return "value-of-" + name;
      },
      {"CHATHOST_AGENT_*"});
  EXPECT_EQ(env("CHATHOST_AGENT_KEY"), "value-of-CHATHOST_AGENT_KEY");
  EXPECT_EQ(env("CHATHOST_JWT_SECRET"), std::nullopt);
  EXPECT_EQ(asked, std::vector<std::string>{"CHATHOST_AGENT_KEY"});
}

TEST(CheckAgentPolicy, RefusesTheHostSecretAsAnApiKey) {
  expectRefused(checked(kOpenAi + R"("${CHATHOST_JWT_SECRET}"})"), "config.api_key",
                "CHATHOST_JWT_SECRET");
}

TEST(CheckAgentPolicy, ADefaultDoesNotMakeAReferenceAcceptable) {
  expectRefused(checked(kOpenAi + R"("${INSTAGRAM_APP_SECRET:-x}"})"), "config.api_key",
                "INSTAGRAM_APP_SECRET");
}

TEST(CheckAgentPolicy, NamesNestedFieldsAndListItems) {
  expectRefused(
      checked(
          R"({"url":"http://h","headers":{"X-Id":"a","Authorization":"Bearer ${PGPASSWORD}"}})"),
      "config.headers.Authorization", "PGPASSWORD");
  expectRefused(checked(R"({"rules":[{"match":"a","reply":"b"},{"match":"c","reply":"${HOME}"}]})"),
                "config.rules[1].reply", "HOME");
}

TEST(CheckAgentPolicy, AcceptsAllowedNamesLiteralsAndEscapes) {
  EXPECT_TRUE(checked(kOpenAi + R"("${CHATHOST_AGENT_OPENAI_KEY}"})").isOk());
  EXPECT_TRUE(checked(kOpenAi + R"("${CHATHOST_AGENT_K:-sk-fallback}"})").isOk());
  EXPECT_TRUE(checked(kOpenAi + R"("sk-literal-key"})").isOk());
  EXPECT_TRUE(checked(kOpenAi + R"("$${CHATHOST_JWT_SECRET}"})").isOk());
  AgentPolicy custom;
  custom.envAllowlist = {"OPENAI_API_KEY"};
  EXPECT_TRUE(checked(kOpenAi + R"("${OPENAI_API_KEY}"})", custom).isOk());
  expectRefused(checked(kOpenAi + R"("${CHATHOST_AGENT_X}"})", custom), "config.api_key",
                "CHATHOST_AGENT_X");
}

TEST(CheckAgentPolicy, AnEmptyAllowlistRefusesEveryReference) {
  AgentPolicy none;
  none.envAllowlist = {};
  expectRefused(checked(kOpenAi + R"("${CHATHOST_AGENT_X}"})", none), "config.api_key",
                "CHATHOST_AGENT_X");
}

TEST(CheckAgentPolicy, TimeoutAboveTheCapIsRefused) {
  AgentPolicy policy;
  policy.maxTimeoutMs = 5000;
  EXPECT_TRUE(checked(R"({"url":"http://h","timeout_ms":5000})", policy).isOk());
  auto s = checked(R"({"url":"http://h","timeout_ms":5001})", policy);
  EXPECT_EQ(s.code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(s.message().rfind("config.timeout_ms must be at most 5000", 0), 0u) << s.message();
}

TEST(CheckEnvRefsForTurn, FailsTheTurnOfAStoredAgent) {
  auto s = checkEnvRefsForTurn(kOpenAi + R"("${CHATHOST_JWT_SECRET}"})", {});
  EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(s.message().find("config.api_key"), std::string::npos);
  EXPECT_TRUE(checkEnvRefsForTurn(kOpenAi + R"("${CHATHOST_AGENT_A}"})", {}).isOk());
}

TEST(CheckEnvRefsForTurn, SeesAReferenceSpelledWithJsonEscapes) {
  // "\u0024{...}" is "${...}" once parsed: the quick check for '$' must not skip it.
  auto s = checkEnvRefsForTurn(kOpenAi + R"("\u0024{CHATHOST_JWT_SECRET}"})", {});
  EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
  EXPECT_TRUE(checkEnvRefsForTurn(R"({"rules":[],"fallback":"no references"})", {}).isOk());
}

TEST(CapAgentTimeout, CutsToTheCapAndLeavesSmallerOnesAlone) {
  EXPECT_EQ(capAgentTimeout(R"({"url":"u","timeout_ms":60000})", 30000),
            R"({"url":"u","timeout_ms":30000})");
  EXPECT_EQ(capAgentTimeout(R"({"url":"u","timeout_ms":1000})", 30000),
            R"({"url":"u","timeout_ms":1000})");
  // The runtimes' default (20 s) is above a 5 s cap: the cap is written in.
  EXPECT_EQ(capAgentTimeout(R"({"url":"u"})", 5000), R"({"url":"u","timeout_ms":5000})");
  EXPECT_EQ(capAgentTimeout(R"({"url":"u"})", 30000), R"({"url":"u"})");
  EXPECT_EQ(capAgentTimeout("not json", 5000), "not json");
}

TEST(AgentCreate, RefusesADisallowedReferenceNamingTheField) {
  auto r = parseAgentCreate(
      R"({"name":"a","type":"openai","config":{"base_url":"http://x/v1","model":"m","api_key":"${CHATHOST_JWT_SECRET}"}})",
      "sub1", AgentPolicy{});
  expectRefused(r.status(), "config.api_key", "CHATHOST_JWT_SECRET");
  auto h = parseAgentCreate(
      R"({"name":"h","type":"http","config":{"url":"http://x","headers":{"X-Key":"${DB_PASSWORD}"}}})",
      "sub1", AgentPolicy{});
  expectRefused(h.status(), "config.headers.X-Key", "DB_PASSWORD");
  auto ok = parseAgentCreate(
      R"({"name":"a","type":"openai","config":{"base_url":"http://x/v1","model":"m","api_key":"${CHATHOST_AGENT_X}"}})",
      "sub1", AgentPolicy{});
  EXPECT_TRUE(ok.isOk()) << ok.status().message();
}

TEST(AgentCreate, RefusesATimeoutAboveTheCap) {
  auto r = parseAgentCreate(
      R"({"name":"h","type":"http","config":{"url":"http://x","timeout_ms":30001}})", "sub1",
      AgentPolicy{});
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(r.status().message().find("config.timeout_ms"), std::string::npos);
}

TEST(AgentUpdate, RefusesADisallowedReferenceAndATimeoutAboveTheCap) {
  sdk::AgentInfo current{
      "a1",
      "sub1",
      "A",
      "openai",
      R"({"base_url":"http://x/v1","model":"m","api_key":"sk-real-key-0000abcd"})",
      1,
      1};
  auto r = applyAgentPatch(
      R"({"config":{"base_url":"http://x/v1","model":"m","api_key":"${CHATHOST_JWT_SECRET}"}})",
      current, AgentPolicy{});
  expectRefused(r.status(), "config.api_key", "CHATHOST_JWT_SECRET");
  auto t =
      applyAgentPatch(R"({"config":{"base_url":"http://x/v1","model":"m","timeout_ms":120000}})",
                      current, AgentPolicy{});
  EXPECT_EQ(t.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(t.status().message().find("config.timeout_ms"), std::string::npos);
  auto renamed = applyAgentPatch(R"({"name":"B"})", current, AgentPolicy{});
  EXPECT_TRUE(renamed.isOk()) << renamed.status().message();
}

}  // namespace
}  // namespace chathost::host
