// Agent secrets at rest on every backend: the raw agent row never holds a literal key, and rows
// written before secrets were sealed are sealed by the start-up migration.
#include "storage_conformance.h"

#include "agents/config_secrets.h"
#include "agents/stored_secret_migration.h"
#include "secrets/secret_cipher.h"

namespace chathost::host::testing {
namespace {

const std::string kPlainKey = "sk-PLAINTEXT-agent-key-9876wxyz";

SecretCipher agentCipher() {
  auto c = SecretCipher::fromKey(std::string(32, 'a'));
  if (!c) throw std::runtime_error("cannot build a test cipher: " + c.status().message());
  return std::move(c.value());
}

sdk::AgentInfo openAi(const std::string& id, const std::string& apiKey) {
  sdk::AgentInfo a;
  a.id = id;
  a.subaccountId = "sub1";
  a.name = "Agent " + id;
  a.type = "openai";
  a.configJson = R"({"base_url":"http://llm/v1","model":"m","api_key":")" + apiKey + R"("})";
  return a;
}

class AgentSecretsAtRest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    options_ = GetParam().options(::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto s = openStorage(options_, cipher_);
    ASSERT_TRUE(s.isOk()) << "openStorage: " << s.status().message();
    storage_ = std::move(s.value());
  }

  std::string rawConfig(const std::string& id) {
    auto raw = GetParam().raw(options_);
    auto rows =
        raw->query("SELECT config FROM agents WHERE id = ? AND subaccount_id = 'sub1'", {id});
    return rows.empty() ? std::string("<no row>") : rows.front().text(0);
  }

  sdk::AgentInfo stored(const std::string& id) {
    auto got = storage_->agents().get("sub1", id);
    EXPECT_TRUE(got.isOk() && got->has_value());
    return got.isOk() && got->has_value() ? **got : sdk::AgentInfo{};
  }

  const SecretCipher cipher_ = agentCipher();
  StorageOptions options_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(AgentSecretsAtRest, ASealedAgentRowHoldsNoPlaintextKey) {
  auto sealed = sealAgentSecrets(openAi("a1", kPlainKey), cipher_);
  ASSERT_TRUE(sealed.isOk());
  ASSERT_TRUE(storage_->agents().create(*sealed).isOk());
  std::string row = rawConfig("a1");
  EXPECT_EQ(row.find("PLAINTEXT"), std::string::npos) << row;
  EXPECT_NE(row.find("enc:v1:"), std::string::npos) << row;
  auto opened = openAgentSecrets(stored("a1"), cipher_);
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  EXPECT_EQ(opened->configJson, openAi("a1", kPlainKey).configJson);
}

TEST_P(AgentSecretsAtRest, StartUpSealsPlaintextRowsOnceAndLeavesTheRestAlone) {
  // Rows as an older host wrote them: the key in plaintext.
  ASSERT_TRUE(storage_->agents().create(openAi("legacy", kPlainKey)).isOk());
  ASSERT_TRUE(storage_->agents().create(openAi("byref", "${CHATHOST_AGENT_KEY}")).isOk());
  auto sealed = sealAgentSecrets(openAi("sealed", "sk-already-sealed-0000"), cipher_);
  ASSERT_TRUE(storage_->agents().create(*sealed).isOk());
  const std::string sealedRow = rawConfig("sealed");
  const std::int64_t updatedAt = stored("legacy").updatedAt;
  ASSERT_NE(rawConfig("legacy").find("PLAINTEXT"), std::string::npos);

  auto changed = sealStoredAgentSecrets(storage_->agents(), cipher_);
  ASSERT_TRUE(changed.isOk()) << changed.status().message();
  EXPECT_EQ(*changed, 1);

  std::string row = rawConfig("legacy");
  EXPECT_EQ(row.find("PLAINTEXT"), std::string::npos) << row;
  EXPECT_NE(row.find("enc:v1:"), std::string::npos) << row;
  EXPECT_EQ(openAgentSecrets(stored("legacy"), cipher_)->configJson,
            openAi("legacy", kPlainKey).configJson);
  EXPECT_EQ(stored("legacy").updatedAt, updatedAt);
  EXPECT_EQ(rawConfig("byref"), openAi("byref", "${CHATHOST_AGENT_KEY}").configJson);
  EXPECT_EQ(rawConfig("sealed"), sealedRow);

  auto again = sealStoredAgentSecrets(storage_->agents(), cipher_);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*again, 0);
}

TEST_P(AgentSecretsAtRest, ARewriteNeverOverwritesAnUpdateMadeMeanwhile) {
  ASSERT_TRUE(storage_->agents().create(openAi("a1", kPlainKey)).isOk());
  sdk::AgentInfo renamed = openAi("a1", "sk-NEW-key-from-the-api");
  auto changed = storage_->agents().rewriteConfigs(
      [&](const sdk::AgentInfo& agent) -> sdk::Result<std::optional<std::string>> {
        // An API update lands between the migration's read and its write.
        EXPECT_TRUE(storage_->agents().update(renamed).isOk());
        return std::optional<std::string>(agent.configJson + " ");
      });
  ASSERT_TRUE(changed.isOk()) << changed.status().message();
  EXPECT_EQ(*changed, 0);
  EXPECT_EQ(rawConfig("a1"), renamed.configJson);
}

TEST_P(AgentSecretsAtRest, ARewriteErrorStopsWithoutWriting) {
  ASSERT_TRUE(storage_->agents().create(openAi("a1", kPlainKey)).isOk());
  auto failed = storage_->agents().rewriteConfigs(
      [](const sdk::AgentInfo&) -> sdk::Result<std::optional<std::string>> {
        return sdk::Status::internal("cannot seal");
      });
  EXPECT_EQ(failed.status().code(), sdk::ErrorCode::kInternal);
  EXPECT_EQ(rawConfig("a1"), openAi("a1", kPlainKey).configJson);
}

INSTANTIATE_TEST_SUITE_P(Backend, AgentSecretsAtRest, ::testing::Values(conformanceBackend()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace chathost::host::testing
