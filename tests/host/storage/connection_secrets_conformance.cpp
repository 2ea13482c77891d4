// Connection secrets at rest on every backend: each ciphertext is bound to its row by subaccount,
// agent id, channel and name, so another tenant's row with the same agent id cannot open it; rows
// sealed before the aad named the subaccount are re-sealed when the storage opens.
#include "storage_conformance.h"

#include "secrets/secret_cipher.h"
#include "storage/json_object.h"
#include "storage/sql_connection_store.h"

namespace chathost::host::testing {
namespace {

using sdk::ErrorCode;

SecretCipher cipherOf(char fill) {
  auto c = SecretCipher::fromKey(std::string(32, fill));
  if (!c) throw std::runtime_error("cannot build a test cipher: " + c.status().message());
  return std::move(c.value());
}

TEST(ConnectionSecretAad, NamesTheSubaccountAndStaysUnambiguous) {
  EXPECT_EQ(connectionSecretAad("subA", "support", "instagram", "accessToken"),
            "tenant-connection:subA:support:instagram:accessToken");
  EXPECT_NE(connectionSecretAad("subA", "support", "instagram", "accessToken"),
            connectionSecretAad("subB", "support", "instagram", "accessToken"));
  EXPECT_NE(connectionSecretAad("a:b", "c", "instagram", "accessToken"),
            connectionSecretAad("a", "b:c", "instagram", "accessToken"));
  EXPECT_NE(connectionSecretAad("a%3Ab", "c", "instagram", "accessToken"),
            connectionSecretAad("a:b", "c", "instagram", "accessToken"));
  EXPECT_EQ(legacyConnectionSecretAad("support", "instagram", "accessToken"),
            "connection:support:instagram:accessToken");
}

class ConnectionSecretsAtRest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    options_ = GetParam().options(::testing::UnitTest::GetInstance()->current_test_info()->name());
    open();
  }

  void open() {
    storage_.reset();
    auto s = openStorage(options_, cipher_);
    ASSERT_TRUE(s.isOk()) << "openStorage: " << s.status().message();
    storage_ = std::move(s.value());
  }

  void createAgent(const std::string& sub, const std::string& id) {
    sdk::AgentInfo a;
    a.id = id;
    a.subaccountId = sub;
    a.name = "Agent " + id + " of " + sub;
    a.type = "rules";
    auto r = storage_->agents().create(a);
    ASSERT_TRUE(r.isOk()) << r.status().message();
  }

  static sdk::Connection connection(const std::string& sub, const std::string& agentId,
                                    const std::string& accountId) {
    sdk::Connection c;
    c.subaccountId = sub;
    c.agentId = agentId;
    c.channel = "instagram";
    c.accountId = accountId;
    c.secrets = {{"accessToken", "TOKEN-OF-" + sub}, {"webhookSecret", "HOOK-OF-" + sub}};
    return c;
  }

  void connect(const std::string& sub, const std::string& agentId, const std::string& account) {
    auto r = storage_->connections().connect(connection(sub, agentId, account));
    ASSERT_TRUE(r.isOk()) << r.status().message();
  }

  std::string rawSecrets(const std::string& sub, const std::string& agentId) {
    auto rows = GetParam().raw(options_)->query(
        "SELECT secrets FROM connections WHERE subaccount_id = ? AND agent_id = ?"
        " AND channel = 'instagram'",
        {sub, agentId});
    return rows.empty() ? std::string("<no row>") : rows.front().text(0);
  }

  // Written with the storage closed: the raw connection is the only writer.
  void setRawSecrets(const std::string& sub, const std::string& agentId,
                     const std::string& secretsJson) {
    storage_.reset();
    GetParam().raw(options_)->execute(
        "UPDATE connections SET secrets = ? WHERE subaccount_id = ? AND agent_id = ?"
        " AND channel = 'instagram'",
        {secretsJson, sub, agentId});
  }

  std::map<std::string, std::string> decode(const std::string& secretsJson) {
    auto m = decodeStringMap(secretsJson);
    EXPECT_TRUE(m.isOk()) << secretsJson;
    return m.isOk() ? *m : std::map<std::string, std::string>{};
  }

  const SecretCipher cipher_ = cipherOf('c');
  StorageOptions options_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(ConnectionSecretsAtRest, ACiphertextCopiedToAnotherTenantsAgentWithTheSameIdDoesNotOpen) {
  createAgent("subA", "support");
  createAgent("subB", "support");
  connect("subA", "support", "accA");
  connect("subB", "support", "accB");
  const std::string ofA = rawSecrets("subA", "support");

  // Someone with write access to the database copies A's sealed secrets into B's row.
  setRawSecrets("subB", "support", ofA);
  open();  // the start-up re-seal must not launder the copy either
  EXPECT_EQ(rawSecrets("subB", "support"), ofA) << "an undecryptable row is left as it is";

  for (const auto& got : {storage_->connections().get("subB", "support", "instagram"),
                          storage_->connections().findByAccount("instagram", "accB")}) {
    ASSERT_FALSE(got.isOk()) << "B's row must not open A's secrets";
    EXPECT_EQ(got.status().code(), ErrorCode::kInternal);
    const std::string message = got.status().message();
    EXPECT_NE(message.find("cannot be decrypted"), std::string::npos) << message;
    EXPECT_NE(message.find("subB"), std::string::npos) << message;
    EXPECT_EQ(message.find("TOKEN-OF"), std::string::npos) << message;
    EXPECT_EQ(message.find("HOOK-OF"), std::string::npos) << message;
    EXPECT_EQ(message.find("v1:"), std::string::npos) << "no ciphertext in: " << message;
  }

  // A's own row still opens, and B recovers by connecting again.
  auto a = storage_->connections().get("subA", "support", "instagram");
  ASSERT_TRUE(a.isOk() && a->has_value()) << a.status().message();
  EXPECT_EQ((*a)->secrets.at("accessToken"), "TOKEN-OF-subA");
  connect("subB", "support", "accB");
  auto b = storage_->connections().get("subB", "support", "instagram");
  ASSERT_TRUE(b.isOk() && b->has_value()) << b.status().message();
  EXPECT_EQ((*b)->secrets.at("accessToken"), "TOKEN-OF-subB");
}

TEST_P(ConnectionSecretsAtRest, NewWritesAreBoundToTheSubaccount) {
  createAgent("subA", "support");
  connect("subA", "support", "accA");
  for (const auto& [name, ciphertext] : decode(rawSecrets("subA", "support"))) {
    auto current =
        cipher_.decrypt(ciphertext, connectionSecretAad("subA", "support", "instagram", name));
    ASSERT_TRUE(current.isOk()) << name;
    EXPECT_FALSE(
        cipher_.decrypt(ciphertext, legacyConnectionSecretAad("support", "instagram", name)).isOk())
        << name << " must not open with the aad that lacks the subaccount";
    EXPECT_FALSE(
        cipher_.decrypt(ciphertext, connectionSecretAad("subB", "support", "instagram", name))
            .isOk())
        << name;
  }
}

TEST_P(ConnectionSecretsAtRest, LegacySealedSecretsAreResealedOnceAtStartUp) {
  createAgent("subA", "support");
  createAgent("subA", "sales");
  createAgent("subB", "support");
  connect("subA", "support", "accA");
  connect("subA", "sales", "accS");
  connect("subB", "support", "accB");
  const std::string untouched = rawSecrets("subA", "sales");

  // subA/support as an older host wrote it: both secrets under the aad without the subaccount.
  // subB/support half-migrated: its access token legacy, its webhook secret current.
  std::map<std::string, std::string> legacyA;
  for (const auto& [name, plain] : connection("subA", "support", "accA").secrets) {
    auto sealed = cipher_.encrypt(plain, legacyConnectionSecretAad("support", "instagram", name));
    ASSERT_TRUE(sealed.isOk());
    legacyA[name] = *sealed;
  }
  auto mixedB = decode(rawSecrets("subB", "support"));
  auto legacyToken = cipher_.encrypt(
      "TOKEN-OF-subB", legacyConnectionSecretAad("support", "instagram", "accessToken"));
  ASSERT_TRUE(legacyToken.isOk());
  mixedB["accessToken"] = *legacyToken;
  setRawSecrets("subA", "support", encodeStringMap(legacyA));
  setRawSecrets("subB", "support", encodeStringMap(mixedB));

  open();  // start-up

  for (const std::string sub : {"subA", "subB"}) {
    auto got = storage_->connections().get(sub, "support", "instagram");
    ASSERT_TRUE(got.isOk() && got->has_value()) << sub << ": " << got.status().message();
    EXPECT_EQ((*got)->secrets.at("accessToken"), "TOKEN-OF-" + sub);
    EXPECT_EQ((*got)->secrets.at("webhookSecret"), "HOOK-OF-" + sub);
    const auto stored = decode(rawSecrets(sub, "support"));
    ASSERT_EQ(stored.size(), 2u) << sub;
    for (const auto& [name, ciphertext] : stored) {
      EXPECT_TRUE(
          cipher_.decrypt(ciphertext, connectionSecretAad(sub, "support", "instagram", name))
              .isOk())
          << sub << "/" << name << " is re-sealed with the aad that names the subaccount";
      EXPECT_FALSE(
          cipher_.decrypt(ciphertext, legacyConnectionSecretAad("support", "instagram", name))
              .isOk())
          << sub << "/" << name << " no longer opens with the legacy aad";
    }
  }
  EXPECT_EQ(decode(rawSecrets("subB", "support")).at("webhookSecret"), mixedB.at("webhookSecret"))
      << "a secret already current is kept as it is";
  EXPECT_EQ(rawSecrets("subA", "sales"), untouched) << "a current row is not rewritten";

  // Once done, later starts change nothing (a re-seal would draw a new nonce).
  const std::string afterA = rawSecrets("subA", "support");
  const std::string afterB = rawSecrets("subB", "support");
  open();
  EXPECT_EQ(rawSecrets("subA", "support"), afterA);
  EXPECT_EQ(rawSecrets("subB", "support"), afterB);
}

TEST_P(ConnectionSecretsAtRest, ASecretThatOpensWithNoAadDoesNotStopTheStart) {
  createAgent("subA", "support");
  connect("subA", "support", "accA");
  auto foreign = cipherOf('x').encrypt("FOREIGN-TOKEN",
                                       legacyConnectionSecretAad("support", "instagram", "x"));
  ASSERT_TRUE(foreign.isOk());
  const std::string garbage = encodeStringMap({{"accessToken", *foreign}});
  setRawSecrets("subA", "support", garbage);

  open();
  EXPECT_EQ(rawSecrets("subA", "support"), garbage);
  auto got = storage_->connections().get("subA", "support", "instagram");
  ASSERT_FALSE(got.isOk());
  EXPECT_EQ(got.status().code(), ErrorCode::kInternal);
  EXPECT_EQ(got.status().message().find("FOREIGN"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backend, ConnectionSecretsAtRest, ::testing::Values(conformanceBackend()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace chathost::host::testing
