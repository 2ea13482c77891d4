// Tenancy on every backend: agent ids are unique within a subaccount, not across them, and
// everything an agent owns is keyed by (subaccount, agent id). Also the migration that brought
// that key to databases created before it.
#include "storage_conformance.h"

#include <filesystem>

#include "secrets/secret_cipher.h"
#include "storage/migrations.h"
#include "storage/sql_dialect.h"

namespace chathost::host::testing {
namespace {

using sdk::ErrorCode;

SecretCipher testCipher() {
  auto c = SecretCipher::fromKey(std::string(32, 't'));
  if (!c) throw std::runtime_error("cannot build a test cipher: " + c.status().message());
  return std::move(c.value());
}

class StorageTenancy : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { options_ = GetParam().options(testName()); }

  static std::string testName() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  void open() {
    auto s = openStorage(options_, cipher_);
    ASSERT_TRUE(s.isOk()) << "openStorage: " << s.status().message();
    storage_ = std::move(s.value());
  }

  const SqlDialect& dialect() const {
    return GetParam().name == "sqlite" ? sqliteDialect() : postgresDialect();
  }

  sdk::AgentInfo create(const std::string& sub, const std::string& id, const std::string& name) {
    sdk::AgentInfo a;
    a.id = id;
    a.subaccountId = sub;
    a.name = name;
    a.type = "rules";
    auto r = storage_->agents().create(a);
    EXPECT_TRUE(r.isOk()) << sub << "/" << id << ": " << r.status().message();
    return r.isOk() ? r.value() : a;
  }

  static sdk::Connection connection(const std::string& sub, const std::string& agentId,
                                    const std::string& accountId) {
    sdk::Connection c;
    c.subaccountId = sub;
    c.agentId = agentId;
    c.channel = "instagram";
    c.accountId = accountId;
    c.username = "user_" + accountId;
    c.secrets = {{"accessToken", "token-of-" + sub}};
    return c;
  }

  std::optional<sdk::Connection> connectionOf(const std::string& sub, const std::string& agentId) {
    auto r = storage_->connections().get(sub, agentId, "instagram");
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : std::nullopt;
  }

  host::Chat chat(const std::string& sub, const std::string& agentId, const std::string& user) {
    auto r = storage_->chats().ensureChat({sub, agentId, "instagram", user}, 1000);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : host::Chat{};
  }

  void addMessage(const host::Chat& c, const std::string& localId, const std::string& text) {
    host::Message m;
    m.localId = localId;
    m.chatId = c.chatId;
    m.direction = "inbound";
    m.text = text;
    m.timestamp = 2000;
    auto r = storage_->chats().addMessage(m);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_TRUE(*r);
  }

  // The schema as it was before agent ids became per subaccount (migrations 1 and 2).
  std::unique_ptr<SqlConnection> oldSchemaDatabase() {
    if (GetParam().name == "sqlite") {
      std::filesystem::create_directories(std::filesystem::path(options_.sqlitePath).parent_path());
    } else {
      StorageOptions admin = options_;
      admin.postgresSchema.clear();
      GetParam().raw(admin)->execute("CREATE SCHEMA IF NOT EXISTS \"" + options_.postgresSchema +
                                     "\"");
    }
    auto raw = GetParam().raw(options_);
    raw->execute(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    for (const Migration& m : schemaMigrations()) {
      if (m.version > 2) break;
      for (const std::string& ddl : migrationStatements(m, dialect())) raw->execute(ddl);
      raw->execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 1)",
                   {std::int64_t{m.version}});
    }
    return raw;
  }

  SecretCipher cipher_ = testCipher();
  StorageOptions options_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(StorageTenancy, TwoSubaccountsEachHaveTheirOwnAgentWithTheSameId) {
  open();
  create("subA", "support", "Support of A");
  create("subB", "support", "Support of B");  // accepted: nothing reveals A's agent

  auto a = storage_->agents().get("subA", "support");
  auto b = storage_->agents().get("subB", "support");
  ASSERT_TRUE(a.isOk() && a->has_value());
  ASSERT_TRUE(b.isOk() && b->has_value());
  EXPECT_EQ((*a)->name, "Support of A");
  EXPECT_EQ((*b)->name, "Support of B");
  for (const std::string sub : {"subA", "subB"}) {
    auto page = storage_->agents().list(sub, 10, 0);
    ASSERT_TRUE(page.isOk());
    ASSERT_EQ(page->count, 1) << sub << " sees only its own agent";
    EXPECT_EQ(page->agents.at(0).subaccountId, sub);
  }

  // Still unique within one subaccount.
  sdk::AgentInfo again = **a;
  EXPECT_EQ(storage_->agents().create(again).status().code(), ErrorCode::kConflict);

  sdk::AgentInfo renamed = **b;
  renamed.name = "Renamed B";
  auto updated = storage_->agents().update(renamed);
  ASSERT_TRUE(updated.isOk()) << updated.status().message();
  EXPECT_EQ(updated->subaccountId, "subB");
  EXPECT_EQ(updated->name, "Renamed B");
  EXPECT_EQ((*storage_->agents().get("subA", "support"))->name, "Support of A");
}

TEST_P(StorageTenancy, DeletingOneTenantsAgentLeavesTheOtherWithAllItOwns) {
  open();
  for (const std::string sub : {"subA", "subB"}) {
    create(sub, "support", "Support of " + sub);
    ASSERT_TRUE(storage_->connections().connect(connection(sub, "support", "acc-" + sub)).isOk());
    addMessage(chat(sub, "support", "u1"), "l-" + sub, "hello " + sub);
    host::NewInboxEvent e;
    e.channel = "instagram";
    e.subaccountId = sub;
    e.agentId = "support";
    e.orderingKey = sub + ":support:u1";
    ASSERT_TRUE(storage_->inbox().append({e}).isOk());
  }

  ASSERT_TRUE(storage_->agents().remove("subA", "support").isOk());

  auto a = storage_->agents().get("subA", "support");
  ASSERT_TRUE(a.isOk());
  EXPECT_FALSE(a->has_value());
  EXPECT_FALSE(connectionOf("subA", "support").has_value());
  auto b = storage_->agents().get("subB", "support");
  ASSERT_TRUE(b.isOk());
  EXPECT_TRUE(b->has_value()) << "removing subA's agent must not touch subB's";
  auto kept = connectionOf("subB", "support");
  ASSERT_TRUE(kept.has_value());
  EXPECT_TRUE(kept->connected);
  auto page = storage_->chats().listChats("subB", "support", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk());
  ASSERT_EQ(page->count, 1);
  ASSERT_EQ(page->chats.at(0).messages.size(), 1u);
  EXPECT_EQ(page->chats[0].messages[0].text, "hello subB");
  EXPECT_EQ(*storage_->inbox().pendingCount(), 1);
}

TEST_P(StorageTenancy, ConnectionsAndChatsOfTheSameAgentIdStayApart) {
  open();
  create("subA", "support", "A");
  create("subB", "support", "B");
  ASSERT_TRUE(storage_->connections().connect(connection("subA", "support", "accA")).isOk());
  ASSERT_TRUE(storage_->connections().connect(connection("subB", "support", "accB")).isOk());
  EXPECT_EQ(connectionOf("subA", "support")->accountId, "accA");
  EXPECT_EQ(connectionOf("subB", "support")->secrets.at("accessToken"), "token-of-subB");

  // One account serves one agent, whichever subaccount asks.
  auto taken = storage_->connections().connect(connection("subB", "support", "accA"));
  EXPECT_EQ(taken.status().code(), ErrorCode::kAccountInUse);

  ASSERT_TRUE(storage_->connections().setActive("subA", "support", "instagram", false, "x").isOk());
  EXPECT_TRUE(connectionOf("subB", "support")->active);
  ASSERT_TRUE(storage_->connections().disconnect("subA", "support", "instagram").isOk());
  EXPECT_FALSE(connectionOf("subA", "support")->connected);
  EXPECT_TRUE(connectionOf("subB", "support")->connected);
  EXPECT_EQ(storage_->connections().disconnect("subC", "support", "instagram").code(),
            ErrorCode::kNotConnected);

  auto chatA = chat("subA", "support", "u1");
  auto chatB = chat("subB", "support", "u1");
  EXPECT_NE(chatA.chatId, chatB.chatId);
  EXPECT_EQ(chatB.key.subaccountId, "subB");
  addMessage(chatA, "l-a", "for A");
  auto pageB = storage_->chats().listChats("subB", "support", "instagram", 10, 0);
  ASSERT_TRUE(pageB.isOk());
  ASSERT_EQ(pageB->count, 1);
  EXPECT_TRUE(pageB->chats.at(0).messages.empty());
  auto pageC = storage_->chats().listChats("subC", "support", "instagram", 10, 0);
  ASSERT_TRUE(pageC.isOk());
  EXPECT_EQ(pageC->count, 0);
}

TEST_P(StorageTenancy, MigrationKeepsTheRowsOfAnOldDatabaseAndKeysAgentsBySubaccount) {
  {
    auto raw = oldSchemaDatabase();
    raw->execute(
        "INSERT INTO agents (id, subaccount_id, name, type, config, created_at, updated_at)"
        " VALUES ('support', 'subA', 'Old support', 'rules', '{\"fallback\":\"hi\"}', 5, 6)");
    // Written before connections carried their subaccount: the migration fills it in.
    raw->execute(
        "INSERT INTO connections (agent_id, channel, subaccount_id, account_id, username,"
        " connected, active) VALUES ('support', 'instagram', '', 'accA', 'shop', 1, 1)");
    raw->execute(
        "INSERT INTO chats (chat_id, subaccount_id, agent_id, channel, channel_user_id,"
        " start_ts, last_activity, message_count)"
        " VALUES ('chat1', 'subA', 'support', 'instagram', 'u1', 10, 20, 1)");
    raw->execute(
        "INSERT INTO messages (local_id, chat_id, channel, mid, direction, text, ts, seq)"
        " VALUES ('in:m1', 'chat1', 'instagram', 'm1', 'inbound', 'old hello', 20, 1)");
  }
  open();

  auto agent = storage_->agents().get("subA", "support");
  ASSERT_TRUE(agent.isOk() && agent->has_value()) << "the old agent survives the migration";
  EXPECT_EQ((*agent)->name, "Old support");
  EXPECT_EQ((*agent)->configJson, R"({"fallback":"hi"})");
  EXPECT_EQ((*agent)->createdAt, 5);
  auto conn = connectionOf("subA", "support");
  ASSERT_TRUE(conn.has_value()) << "the old connection is found under its agent's subaccount";
  EXPECT_EQ(conn->accountId, "accA");
  EXPECT_TRUE(conn->connected);
  auto page = storage_->chats().listChats("subA", "support", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk()) << page.status().message();
  ASSERT_EQ(page->count, 1);
  ASSERT_EQ(page->chats.at(0).messages.size(), 1u);
  EXPECT_EQ(page->chats[0].messages[0].text, "old hello");
  // The messages' foreign key follows the rebuilt chats table.
  addMessage(page->chats[0].chat, "in:m2", "new hello");

  create("subB", "support", "B's own support");
  sdk::AgentInfo dup = **agent;
  EXPECT_EQ(storage_->agents().create(dup).status().code(), ErrorCode::kConflict);
  EXPECT_EQ((*storage_->agents().get("subA", "support"))->name, "Old support");
  ASSERT_TRUE(storage_->agents().remove("subA", "support").isOk());
  auto gone = storage_->chats().findByLocalId("in:m1");
  ASSERT_TRUE(gone.isOk());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(storage_->agents().get("subB", "support")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backend, StorageTenancy, ::testing::Values(conformanceBackend()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace chathost::host::testing
