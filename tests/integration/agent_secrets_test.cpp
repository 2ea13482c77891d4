// Tenants cannot make the host send its own secrets to an endpoint they control: `${NAME}` in an
// agent config may only name variables of agents.env_allowlist (default CHATHOST_AGENT_*), at
// create and at update. Literal keys are shown masked and survive an update that echoes the mask.

#include "support/edge_instance.h"
#include "support/edge_payloads.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace chathost::testing {
namespace {

using namespace edge;

constexpr const char* kHostSecret = "host-jwt-secret-that-must-never-leave-0123456789";

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

std::string openAiConfig(const std::string& apiKey, const std::string& extra = "") {
  return R"({"base_url":"http://tenant-controlled.example/v1","model":"m","api_key":)" +
         quote(apiKey) + extra + "}";
}

void expectValidationErrorNaming(const HttpResult& r, const std::string& field) {
  ASSERT_EQ(r.status, 400) << r.body;
  Json body = parse(r.body);
  EXPECT_FALSE(body->getValue<bool>("success"));
  EXPECT_EQ(body->getValue<std::string>("code"), "VALIDATION_ERROR");
  EXPECT_NE(body->getValue<std::string>("message").find(field), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(kHostSecret), std::string::npos);
}

class AgentSecretsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void start(const std::string& agentsYaml = "agents:\n  allow_networks: [\"127.0.0.0/8\"]\n") {
    EdgeOptions options;
    options.backend = GetParam();
    options.agentsYaml = agentsYaml;
    options.env = {{"CHATHOST_JWT_SECRET", kHostSecret},
                   {"CHATHOST_AGENT_OPENAI_KEY", "sk-allowed"},
                   {"TENANT_LLM_KEY", "sk-operator-allowed"}};
    std::string failure;
    edge_ = EdgeInstance::start(options, failure);
    ASSERT_TRUE(edge_) << failure;
  }

  std::unique_ptr<EdgeInstance> edge_;
};

TEST_P(AgentSecretsTest, CreatingAnAgentThatReferencesTheJwtSecretIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  expectValidationErrorNaming(
      edge_->createAgent("thief", "openai", openAiConfig("${CHATHOST_JWT_SECRET}")),
      "config.api_key");
  expectValidationErrorNaming(
      edge_->createAgent("thief", "openai", openAiConfig("${CHATHOST_JWT_SECRET:-x}")),
      "config.api_key");
  EXPECT_EQ(edge_->api("GET", "/thief").status, 404);
}

TEST_P(AgentSecretsTest, UpdatingAnAgentToReferenceTheJwtSecretIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(edge_->createAgent("ai", "openai", openAiConfig("${CHATHOST_AGENT_OPENAI_KEY}")).status,
            201);
  expectValidationErrorNaming(
      edge_->api("PATCH", "/ai", "{\"config\":" + openAiConfig("${CHATHOST_JWT_SECRET}") + "}"),
      "config.api_key");
  auto got = edge_->api("GET", "/ai");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find("${CHATHOST_AGENT_OPENAI_KEY}"), std::string::npos) << got.body;
}

TEST_P(AgentSecretsTest, AnHttpAgentHeaderReferencingAHostVariableIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  expectValidationErrorNaming(
      edge_->createAgent("hook", "http",
                         R"({"url":"http://tenant-controlled.example/hook",)"
                         R"("headers":{"Authorization":"Bearer ${INSTAGRAM_APP_SECRET}"}})"),
      "config.headers.Authorization");
}

TEST_P(AgentSecretsTest, AnAllowedReferenceIsAcceptedAndShownAsWritten) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto created = edge_->createAgent("ai", "openai", openAiConfig("${CHATHOST_AGENT_OPENAI_KEY}"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find(R"("api_key":"${CHATHOST_AGENT_OPENAI_KEY}")"), std::string::npos)
      << created.body;
}

TEST_P(AgentSecretsTest, TheOperatorsAllowlistReplacesTheDefault) {
  ASSERT_NO_FATAL_FAILURE(
      start("agents:\n  env_allowlist: [TENANT_LLM_*]\n  allow_networks: [\"127.0.0.0/8\"]\n"));
  EXPECT_EQ(edge_->createAgent("ok", "openai", openAiConfig("${TENANT_LLM_KEY}")).status, 201);
  expectValidationErrorNaming(
      edge_->createAgent("no", "openai", openAiConfig("${CHATHOST_AGENT_OPENAI_KEY}")),
      "config.api_key");
}

TEST_P(AgentSecretsTest, ATimeoutAboveTheCapIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  expectValidationErrorNaming(
      edge_->createAgent("slow", "http",
                         R"({"url":"http://tenant-controlled.example/hook","timeout_ms":60000})"),
      "config.timeout_ms");
}

TEST_P(AgentSecretsTest, LiteralKeysAreMaskedAndKeptWhenTheMaskIsSentBack) {
  ASSERT_NO_FATAL_FAILURE(start());
  auto created = edge_->createAgent("ai", "openai", openAiConfig("sk-literal-tenant-key-wxyz"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("literal-tenant"), std::string::npos) << created.body;
  EXPECT_NE(created.body.find(R"("api_key":"sk-...wxyz")"), std::string::npos) << created.body;
  auto patched = edge_->api("PATCH", "/ai",
                            "{\"name\":\"Renamed\",\"config\":" + openAiConfig("sk-...wxyz") + "}");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_NE(patched.body.find(R"("api_key":"sk-...wxyz")"), std::string::npos) << patched.body;
  auto listed = edge_->api("GET", "");
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(R"("api_key":"sk-...wxyz")"), std::string::npos) << listed.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, AgentSecretsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

}  // namespace
}  // namespace chathost::testing
