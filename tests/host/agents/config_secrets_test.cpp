// Literal secrets of agent configs are stored sealed, bound to their agent and field.
#include "agents/config_secrets.h"
#include "agents/agent_json.h"
#include "agents/secret_mask.h"
#include "secrets/secret_cipher.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

const std::string kKey = "sk-proj-PLAINTEXT-key-1234abcd";

SecretCipher cipher(char fill = 'k') {
  return *SecretCipher::fromKey(std::string(32, fill));
}

sdk::AgentInfo openAiAgent(const std::string& apiKey, const std::string& id = "a1") {
  return {id,
          "sub1",
          "A",
          "openai",
          R"({"base_url":"http://llm/v1","model":"m","api_key":")" + apiKey + R"("})",
          1,
          1};
}

TEST(ConfigSecrets, SealedConfigHoldsNoPlaintextAndOpensBack) {
  auto c = cipher();
  auto sealed = sealAgentSecrets(openAiAgent(kKey), c);
  ASSERT_TRUE(sealed.isOk()) << sealed.status().message();
  EXPECT_EQ(sealed->configJson.find("PLAINTEXT"), std::string::npos) << sealed->configJson;
  EXPECT_NE(sealed->configJson.find(R"("api_key":"enc:)"), std::string::npos);
  EXPECT_NE(sealed->configJson.find(R"("base_url":"http://llm/v1")"), std::string::npos);
  EXPECT_FALSE(hasUnsealedSecrets(sealed->configJson));
  auto opened = openAgentSecrets(*sealed, c);
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  EXPECT_EQ(opened->configJson, openAiAgent(kKey).configJson);
}

TEST(ConfigSecrets, HeadersAndNestedSecretsAreSealedOtherFieldsNot) {
  auto c = cipher();
  sdk::AgentInfo h{
      "h1",
      "sub1",
      "H",
      "http",
      R"({"url":"http://x","headers":{"Authorization":"Bearer tok-SECRET-1","X-Trace":"visible"}})",
      1,
      1};
  auto sealed = sealAgentSecrets(h, c);
  ASSERT_TRUE(sealed.isOk());
  EXPECT_EQ(sealed->configJson.find("tok-SECRET-1"), std::string::npos);
  EXPECT_NE(sealed->configJson.find(R"("X-Trace":"visible")"), std::string::npos);
  EXPECT_EQ(openAgentSecrets(*sealed, c)->configJson, h.configJson);
}

TEST(ConfigSecrets, ReferencesAndEmptyValuesStayAsWritten) {
  auto c = cipher();
  auto ref = openAiAgent("${CHATHOST_AGENT_KEY}");
  EXPECT_EQ(sealAgentSecrets(ref, c)->configJson, ref.configJson);
  auto empty = openAiAgent("");
  EXPECT_EQ(sealAgentSecrets(empty, c)->configJson, empty.configJson);
  EXPECT_FALSE(hasUnsealedSecrets(ref.configJson));
  EXPECT_TRUE(hasUnsealedSecrets(openAiAgent(kKey).configJson));
}

TEST(ConfigSecrets, ASealedValueMovedToAnotherAgentOrKeyDoesNotOpen) {
  auto c = cipher();
  auto sealed = sealAgentSecrets(openAiAgent(kKey, "a1"), c);
  sdk::AgentInfo moved = *sealed;
  moved.id = "a2";
  auto s = openAgentSecrets(moved, c).status();
  EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
  EXPECT_NE(s.message().find("config.api_key"), std::string::npos);
  sdk::AgentInfo otherTenant = *sealed;
  otherTenant.subaccountId = "sub2";
  EXPECT_FALSE(openAgentSecrets(otherTenant, c).isOk());
  EXPECT_FALSE(openAgentSecrets(*sealed, cipher('z')).isOk());
}

TEST(ConfigSecrets, ClientLiteralsThatLookSealedAreSealedToo) {
  auto c = cipher();
  auto sneaky = openAiAgent("enc:v1:AAAA");
  auto sealed = sealAgentSecrets(sneaky, c);
  EXPECT_EQ(openAgentSecrets(*sealed, c)->configJson, sneaky.configJson);
  // A migration keeps what is already sealed.
  auto again = sealAgentSecrets(*sealed, c, SealScope::kOnlyUnsealed);
  EXPECT_EQ(again->configJson, sealed->configJson);
}

TEST(ConfigSecrets, MaskingAndRestoringWorkOnTheOpenedConfig) {
  auto c = cipher();
  auto sealed = sealAgentSecrets(openAiAgent(kKey), c);
  auto opened = openAgentSecrets(*sealed, c);
  std::string shown = agentToJson(*opened);
  EXPECT_NE(shown.find(R"("api_key":"sk-...abcd")"), std::string::npos) << shown;
  std::string echoed = R"({"base_url":"http://llm/v1","model":"m","api_key":"sk-...abcd"})";
  EXPECT_EQ(restoreMaskedSecrets(echoed, opened->configJson), opened->configJson);
}

}  // namespace
}  // namespace chathost::host
