#include "agents/agent_json.h"
#include "agents/secret_mask.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace chathost::host {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(FormatIsoMillis, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(formatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatIsoMillis(1795634499123), "2026-11-25T19:21:39.123Z");
  EXPECT_EQ(formatIsoMillis(951868799999), "2000-02-29T23:59:59.999Z");
}

TEST(AgentToJson, HasTheContractShape) {
  sdk::AgentInfo agent{"agt_1",
                       "sub",
                       "Support \"bot\"",
                       "rules",
                       R"({"rules":[{"match":"hi","reply":"hello"}],"fallback":"?"})",
                       1795634499123,
                       1795634500000};
  auto obj = parse(agentToJson(agent));
  std::vector<std::string> names;
  obj->getNames(names);
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(obj->getValue<std::string>("id"), "agt_1");
  EXPECT_EQ(obj->getValue<std::string>("name"), "Support \"bot\"");
  EXPECT_EQ(obj->getValue<std::string>("type"), "rules");
  EXPECT_EQ(obj->getValue<std::string>("createdAt"), "2026-11-25T19:21:39.123Z");
  EXPECT_EQ(obj->getValue<std::string>("updatedAt"), "2026-11-25T19:21:40.000Z");
  auto config = obj->getObject("config");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->getValue<std::string>("fallback"), "?");
  EXPECT_EQ(config->getArray("rules")->getObject(0)->getValue<std::string>("reply"), "hello");
  EXPECT_FALSE(obj->has("subaccountId"));
}

TEST(AgentToJson, MasksLiteralApiKeyButShowsEnvReference) {
  sdk::AgentInfo agent{
      "a",
      "s",
      "n",
      "openai",
      R"({"base_url":"https://x/v1","model":"m","api_key":"sk-proj-SECRETSECRET9876"})",
      0,
      0};
  std::string text = agentToJson(agent);
  EXPECT_EQ(text.find("SECRETSECRET"), std::string::npos);
  EXPECT_EQ(parse(text)->getObject("config")->getValue<std::string>("api_key"), "sk-...9876");
  EXPECT_EQ(parse(text)->getObject("config")->getValue<std::string>("base_url"), "https://x/v1");

  agent.configJson = R"({"base_url":"https://x/v1","model":"m","api_key":"${OPENAI_API_KEY}"})";
  EXPECT_EQ(parse(agentToJson(agent))->getObject("config")->getValue<std::string>("api_key"),
            "${OPENAI_API_KEY}");
}

TEST(AgentToJson, MasksSecretHeadersOfHttpAgents) {
  sdk::AgentInfo agent{"a",
                       "s",
                       "n",
                       "http",
                       R"({"url":"https://x","headers":{"Authorization":"Bearer tok_abcdefghijkl",)"
                       R"("X-Trace":"visible"}})",
                       0,
                       0};
  auto headers = parse(agentToJson(agent))->getObject("config")->getObject("headers");
  EXPECT_EQ(headers->getValue<std::string>("Authorization"), "...ijkl");
  EXPECT_EQ(headers->getValue<std::string>("X-Trace"), "visible");
}

TEST(AgentToJson, CorruptConfigShowsEmptyObject) {
  sdk::AgentInfo agent{"a", "s", "n", "openai", R"({"api_key":"sk-live-12345)", 0, 0};
  EXPECT_EQ(parse(agentToJson(agent))->getObject("config")->size(), 0u);
}

TEST(MaskSecret, KeepsAtMostTheLastFourCharacters) {
  EXPECT_EQ(maskSecret("sk-abcdefghijklmnop"), "sk-...mnop");
  EXPECT_EQ(maskSecret("abcdefghijklmnop"), "...mnop");
  EXPECT_EQ(maskSecret("short"), "...");
  EXPECT_EQ(maskSecret("sk-short"), "sk-...");
  EXPECT_EQ(maskSecret(""), "");
  EXPECT_EQ(maskSecret("${KEY:-x}"), "${KEY:-x}");
}

TEST(RestoreMaskedSecrets, PutsBackTheRealKeyWhenTheMaskIsSentBack) {
  std::string current = R"({"api_key":"sk-abcdefghijklmnop","model":"a"})";
  EXPECT_EQ(restoreMaskedSecrets(R"({"api_key":"sk-...mnop","model":"b"})", current),
            R"({"api_key":"sk-abcdefghijklmnop","model":"b"})");
  EXPECT_EQ(restoreMaskedSecrets(R"({"api_key":"sk-new-key-000000","model":"b"})", current),
            R"({"api_key":"sk-new-key-000000","model":"b"})");
}

}  // namespace
}  // namespace chathost::host
