// Behaviour every storage backend must show; instantiated per backend (see the *_test.cpp files).
#include "storage_conformance.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "secrets/secret_cipher.h"
#include "storage/migrations.h"
#include "storage/sql_inbox_store.h"

namespace chathost::host::testing {
namespace {

using sdk::ErrorCode;

SecretCipher makeCipher(char fill) {
  auto c = SecretCipher::fromKey(std::string(32, fill));
  if (!c) throw std::runtime_error("cannot build a test cipher: " + c.status().message());
  return std::move(c.value());
}

template <typename F>
bool eventually(F cond, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class StorageConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    options_ = GetParam().options(info->name());
    storage_ = open(cipher_);
  }

  std::unique_ptr<Storage> open(const SecretCipher& cipher) {
    auto s = openStorage(options_, cipher);
    if (!s) {
      ADD_FAILURE() << "openStorage: " << s.status().message();
      return nullptr;
    }
    return std::move(s.value());
  }

  void reopen() {
    storage_.reset();
    storage_ = open(cipher_);
    ASSERT_TRUE(storage_);
  }

  sdk::AgentInfo makeAgent(const std::string& id, const std::string& sub = "sub1") {
    sdk::AgentInfo a;
    a.id = id;
    a.subaccountId = sub;
    a.name = "Agent " + id;
    a.type = "rules";
    a.configJson = R"({"greeting":"hi"})";
    auto r = storage_->agents().create(a);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : a;
  }

  host::Chat makeChat(const std::string& agentId, const std::string& user, std::int64_t ts = 1000,
                      const std::string& channel = "instagram") {
    auto r = storage_->chats().ensureChat({"sub1", agentId, channel, user}, ts);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : host::Chat{};
  }

  static host::Message msg(const host::Chat& chat, const std::string& localId, std::int64_t ts,
                           const std::string& mid = "", const std::string& text = "hello") {
    host::Message m;
    m.localId = localId;
    m.chatId = chat.chatId;
    m.mid = mid;
    m.direction = "inbound";
    m.text = text;
    m.timestamp = ts;
    m.senderId = chat.key.channelUserId;
    return m;
  }

  bool add(const host::Message& m) {
    auto r = storage_->chats().addMessage(m);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() && r.value();
  }

  sdk::Connection makeConnection(const std::string& agentId, const std::string& accountId) {
    sdk::Connection c;
    c.subaccountId = "sub1";
    c.agentId = agentId;
    c.channel = "instagram";
    c.accountId = accountId;
    c.pageId = "page-" + accountId;
    c.username = "user_" + accountId;
    c.accountType = "BUSINESS";
    c.secrets = {{"accessToken", "TOKEN-PLAINTEXT-" + agentId},
                 {"webhookSecret", "HOOK-PLAINTEXT-" + agentId}};
    c.settingsJson = R"({"replies":true})";
    return c;
  }

  static host::NewInboxEvent event(const std::string& key, std::int64_t ts,
                                   const std::string& agentId = "a1") {
    host::NewInboxEvent e;
    e.channel = "instagram";
    e.subaccountId = "sub1";
    e.agentId = agentId;
    e.orderingKey = key;
    e.dedupKey = "mid:" + key + ":" + std::to_string(ts);
    e.kind = "message";
    e.eventTimestamp = ts;
    e.payload = R"({"text":"payload )" + key + "\"}";
    return e;
  }

  std::vector<host::InboxEvent> claim(int max, std::int64_t leaseMs = 60000,
                                      const std::string& owner = "w1") {
    auto r = storage_->inbox().claim(owner, max, leaseMs);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : std::vector<host::InboxEvent>{};
  }

  std::int64_t pending() {
    auto r = storage_->inbox().pendingCount();
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() ? r.value() : -1;
  }

  SecretCipher cipher_ = makeCipher('k');
  StorageOptions options_;
  std::unique_ptr<Storage> storage_;
};

// ---- migrations, lifecycle ---------------------------------------------------------------------

TEST_P(StorageConformance, MigrationsAreIdempotent) {
  ASSERT_TRUE(storage_);
  EXPECT_EQ(storage_->backendName(), GetParam().name);
  reopen();
  reopen();
  EXPECT_TRUE(storage_->ping().isOk());
  auto raw = GetParam().raw(options_);
  auto rows = raw->query("SELECT COUNT(*), MAX(version) FROM schema_migrations");
  EXPECT_EQ(rows.at(0).integer(0), static_cast<std::int64_t>(schemaMigrations().size()));
  EXPECT_EQ(rows.at(0).integer(1), schemaMigrations().back().version);
}

TEST_P(StorageConformance, UnknownBackendIsAValidationError) {
  StorageOptions o = options_;
  o.backend = "mongodb";
  auto s = openStorage(o, cipher_);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.status().code(), ErrorCode::kValidation);
}

TEST_P(StorageConformance, DataSurvivesReopen) {
  ASSERT_TRUE(storage_);
  makeAgent("a1");
  auto chat = makeChat("a1", "u1");
  ASSERT_TRUE(add(msg(chat, "l1", 1500, "m1")));
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  ASSERT_TRUE(storage_->inbox().append({event("k", 1)}).isOk());

  reopen();
  auto agent = storage_->agents().get("sub1", "a1");
  ASSERT_TRUE(agent.isOk() && agent->has_value());
  EXPECT_EQ((*agent)->configJson, R"({"greeting":"hi"})");
  auto m = storage_->chats().findByMid("instagram", "m1");
  ASSERT_TRUE(m.isOk() && m->has_value());
  EXPECT_EQ((*m)->chatId, chat.chatId);
  auto conn = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(conn.isOk() && conn->has_value());
  EXPECT_EQ((*conn)->secrets.at("accessToken"), "TOKEN-PLAINTEXT-a1");
  EXPECT_EQ(pending(), 1);
}

// ---- agents
// --------------------------------------------------------------------------------------

TEST_P(StorageConformance, AgentsCrudAndTenancy) {
  ASSERT_TRUE(storage_);
  auto created = makeAgent("a1");
  EXPECT_GT(created.createdAt, 0);
  EXPECT_EQ(created.createdAt, created.updatedAt);

  auto dup = storage_->agents().create(created);
  EXPECT_EQ(dup.status().code(), ErrorCode::kConflict);

  auto got = storage_->agents().get("sub1", "a1");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->name, "Agent a1");
  EXPECT_EQ((*got)->type, "rules");
  auto other = storage_->agents().get("sub2", "a1");
  ASSERT_TRUE(other.isOk());
  EXPECT_FALSE(other->has_value()) << "an agent is invisible from another subaccount";

  sdk::AgentInfo changed = created;
  changed.name = "Renamed";
  changed.configJson = R"({"x":1})";
  auto updated = storage_->agents().update(changed);
  ASSERT_TRUE(updated.isOk()) << updated.status().message();
  EXPECT_EQ(updated->name, "Renamed");
  EXPECT_EQ(updated->configJson, R"({"x":1})");
  EXPECT_EQ(updated->createdAt, created.createdAt);
  EXPECT_GE(updated->updatedAt, created.updatedAt);

  changed.subaccountId = "sub2";
  EXPECT_EQ(storage_->agents().update(changed).status().code(), ErrorCode::kAgentNotFound);
  EXPECT_EQ(storage_->agents().remove("sub2", "a1").code(), ErrorCode::kAgentNotFound);
  EXPECT_EQ(storage_->agents().remove("sub1", "nope").code(), ErrorCode::kAgentNotFound);
  EXPECT_TRUE(storage_->agents().remove("sub1", "a1").isOk());
  auto gone = storage_->agents().get("sub1", "a1");
  ASSERT_TRUE(gone.isOk());
  EXPECT_FALSE(gone->has_value());
}

TEST_P(StorageConformance, AgentsListPaginatesOldestFirstPerSubaccount) {
  ASSERT_TRUE(storage_);
  for (int i = 0; i < 5; ++i) makeAgent("a" + std::to_string(i));
  makeAgent("x1", "sub2");
  auto page = storage_->agents().list("sub1", 2, 2);
  ASSERT_TRUE(page.isOk()) << page.status().message();
  EXPECT_EQ(page->count, 5);
  ASSERT_EQ(page->agents.size(), 2u);
  EXPECT_EQ(page->agents[0].id, "a2");
  EXPECT_EQ(page->agents[1].id, "a3");
  auto last = storage_->agents().list("sub1", 10, 4);
  ASSERT_TRUE(last.isOk());
  ASSERT_EQ(last->agents.size(), 1u);
  EXPECT_EQ(last->agents[0].id, "a4");
  auto other = storage_->agents().list("sub2", 10, 0);
  ASSERT_TRUE(other.isOk());
  EXPECT_EQ(other->count, 1);
  EXPECT_EQ(storage_->agents().list("sub1", -1, 0).status().code(), ErrorCode::kValidation);
}

TEST_P(StorageConformance, RemovingAnAgentDeletesEverythingItOwns) {
  ASSERT_TRUE(storage_);
  for (std::string id : {"a1", "a2"}) {
    makeAgent(id);
    auto chat = makeChat(id, "u1");
    ASSERT_TRUE(add(msg(chat, "l-" + id, 2000, "m-" + id)));
    ASSERT_TRUE(storage_->connections().connect(makeConnection(id, "acc-" + id)).isOk());
    ASSERT_TRUE(storage_->inbox().append({event("k-" + id, 1, id)}).isOk());
  }
  ASSERT_TRUE(storage_->agents().remove("sub1", "a1").isOk());

  auto chat = storage_->chats().findChat({"sub1", "a1", "instagram", "u1"});
  ASSERT_TRUE(chat.isOk());
  EXPECT_FALSE(chat->has_value());
  auto m = storage_->chats().findByLocalId("l-a1");
  ASSERT_TRUE(m.isOk());
  EXPECT_FALSE(m->has_value());
  auto conn = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(conn.isOk());
  EXPECT_FALSE(conn->has_value());
  EXPECT_EQ(pending(), 1);

  auto kept = storage_->chats().findByLocalId("l-a2");
  ASSERT_TRUE(kept.isOk());
  EXPECT_TRUE(kept->has_value());
  auto keptConn = storage_->connections().get("sub1", "a2", "instagram");
  ASSERT_TRUE(keptConn.isOk());
  EXPECT_TRUE(keptConn->has_value());
}

// ---- chats and messages
// --------------------------------------------------------------------------

TEST_P(StorageConformance, EnsureChatCreatesOnceAndListsNewestActivityFirst) {
  ASSERT_TRUE(storage_);
  auto c1 = makeChat("a1", "u1", 1000);
  auto again = makeChat("a1", "u1", 9999);
  EXPECT_EQ(again.chatId, c1.chatId);
  EXPECT_EQ(again.startTimestamp, 1000);
  EXPECT_EQ(again.status, "ongoing");
  auto c2 = makeChat("a1", "u2", 1100);
  auto c3 = makeChat("a1", "u3", 1200);
  makeChat("a1", "u4", 1300, "messenger");
  makeChat("a2", "u1", 1400);

  ASSERT_TRUE(add(msg(c1, "l1", 5000)));
  ASSERT_TRUE(add(msg(c1, "l2", 4000)));  // an older message does not move activity back
  ASSERT_TRUE(add(msg(c2, "l3", 3000)));

  auto page = storage_->chats().listChats("sub1", "a1", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk()) << page.status().message();
  EXPECT_EQ(page->count, 3);
  ASSERT_EQ(page->chats.size(), 3u);
  EXPECT_EQ(page->chats[0].chat.chatId, c1.chatId);
  EXPECT_EQ(page->chats[0].chat.lastActivity, 5000);
  EXPECT_EQ(page->chats[0].chat.messageCount, 2);
  ASSERT_EQ(page->chats[0].messages.size(), 2u);
  EXPECT_EQ(page->chats[0].messages[0].localId, "l2");  // oldest first
  EXPECT_EQ(page->chats[0].messages[1].localId, "l1");
  EXPECT_EQ(page->chats[1].chat.chatId, c2.chatId);
  EXPECT_EQ(page->chats[2].chat.chatId, c3.chatId);
  EXPECT_TRUE(page->chats[2].messages.empty());

  auto second = storage_->chats().listChats("sub1", "a1", "instagram", 1, 1);
  ASSERT_TRUE(second.isOk());
  EXPECT_EQ(second->count, 3);
  ASSERT_EQ(second->chats.size(), 1u);
  EXPECT_EQ(second->chats[0].chat.chatId, c2.chatId);
}

TEST_P(StorageConformance, ListChatsCarriesTheNewest500MessagesAndTheTrueCount) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  for (int i = 0; i < 505; ++i) {
    ASSERT_TRUE(add(msg(chat, "l" + std::to_string(i), 10000 + i)));
  }
  auto page = storage_->chats().listChats("sub1", "a1", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk());
  ASSERT_EQ(page->chats.size(), 1u);
  EXPECT_EQ(page->chats[0].chat.messageCount, 505);
  ASSERT_EQ(page->chats[0].messages.size(), 500u);
  EXPECT_EQ(page->chats[0].messages.front().localId, "l5");
  EXPECT_EQ(page->chats[0].messages.back().localId, "l504");
}

TEST_P(StorageConformance, MessagesAreDeduplicatedByLocalIdAndByMid) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  auto other = makeChat("a1", "u1", 1000, "messenger");
  EXPECT_TRUE(add(msg(chat, "l1", 2000, "m1")));
  EXPECT_FALSE(add(msg(chat, "l1", 2001, "m2"))) << "same localId";
  EXPECT_FALSE(add(msg(chat, "l2", 2002, "m1"))) << "same mid, same channel";
  EXPECT_TRUE(add(msg(other, "l3", 2003, "m1"))) << "same mid in another channel";
  EXPECT_TRUE(add(msg(chat, "l4", 2004)));  // empty mids never collide
  EXPECT_TRUE(add(msg(chat, "l5", 2005)));

  auto found = storage_->chats().findChat(chat.key);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->messageCount, 3);
  auto first = storage_->chats().findByLocalId("l1");
  ASSERT_TRUE(first.isOk() && first->has_value());
  EXPECT_EQ((*first)->mid, "m1");
  EXPECT_EQ((*first)->timestamp, 2000);

  host::Message orphan = msg(chat, "l9", 1);
  orphan.chatId = "no-such-chat";
  EXPECT_EQ(storage_->chats().addMessage(orphan).status().code(), ErrorCode::kNotFound);
}

// JSON allows \u0000 in a message; PostgreSQL text cannot hold it, SQLite can. Either way the
// message is kept whole rather than cut at the NUL or refused.
TEST_P(StorageConformance, TextWithANulByteIsKept) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  auto m = msg(chat, "nul", 2000, "m-nul");
  m.text = std::string("before\0after", 12);
  ASSERT_TRUE(add(m));
  auto found = storage_->chats().findByLocalId("nul");
  ASSERT_TRUE(found.isOk() && found->has_value());
  const std::string expected = storage_->backendName() == "postgresql" ? std::string(
                                                                             "before\xEF\xBF\xBD"
                                                                             "after")
                                                                       : m.text;
  EXPECT_EQ((*found)->text, expected);
}

TEST_P(StorageConformance, OutboundMessageLifecycle) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  host::Message out = msg(chat, "out-1", 3000, "", "reply");
  out.direction = "outbound";
  out.status = host::MessageStatus::kPending;
  ASSERT_TRUE(add(out));
  ASSERT_TRUE(storage_->chats().markSent("out-1", "mid-out", 3100).isOk());
  auto sent = storage_->chats().findByMid("instagram", "mid-out");
  ASSERT_TRUE(sent.isOk() && sent->has_value());
  EXPECT_EQ((*sent)->localId, "out-1");
  EXPECT_EQ((*sent)->status, host::MessageStatus::kSent);
  EXPECT_EQ((*sent)->timestamp, 3100);
  EXPECT_EQ((*sent)->direction, "outbound");

  host::Message out2 = msg(chat, "out-2", 3200, "", "reply 2");
  out2.status = host::MessageStatus::kPending;
  ASSERT_TRUE(add(out2));
  ASSERT_TRUE(storage_->chats().markFailed("out-2", "(#10) outside the window").isOk());
  auto failed = storage_->chats().findByLocalId("out-2");
  ASSERT_TRUE(failed.isOk() && failed->has_value());
  EXPECT_EQ((*failed)->status, host::MessageStatus::kFailed);
  EXPECT_EQ((*failed)->error, "(#10) outside the window");
  EXPECT_EQ(storage_->chats().markSent("out-2", "mid-out", 1).code(), ErrorCode::kConflict);
  EXPECT_EQ(storage_->chats().markSent("nope", "mid-x", 1).code(), ErrorCode::kNotFound);
  EXPECT_EQ(storage_->chats().markFailed("nope", "x").code(), ErrorCode::kNotFound);
}

TEST_P(StorageConformance, InboundMessageEditsDeletesAndMeta) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  host::Message m = msg(chat, "l1", 2000, "m1", "first");
  m.attachmentsJson = R"([{"type":"image","url":"https://x/y.png"}])";
  m.metaJson = R"({"reply_to":"m0"})";
  ASSERT_TRUE(add(m));

  ASSERT_TRUE(storage_->chats().editText("instagram", "m1", "second").isOk());
  ASSERT_TRUE(storage_->chats().mergeMeta("instagram", "m1", R"({"reactions":["love"]})").isOk());
  auto edited = storage_->chats().findByMid("instagram", "m1");
  ASSERT_TRUE(edited.isOk() && edited->has_value());
  EXPECT_EQ((*edited)->text, "second");
  EXPECT_NE((*edited)->metaJson.find(R"("edited":true)"), std::string::npos);
  EXPECT_NE((*edited)->metaJson.find(R"("reply_to":"m0")"), std::string::npos);
  EXPECT_NE((*edited)->metaJson.find(R"("reactions":["love"])"), std::string::npos);

  EXPECT_EQ(storage_->chats().mergeMeta("instagram", "m1", "[1]").code(), ErrorCode::kValidation);
  EXPECT_EQ(storage_->chats().mergeMeta("instagram", "nope", "{}").code(), ErrorCode::kNotFound);
  EXPECT_EQ(storage_->chats().editText("messenger", "m1", "x").code(), ErrorCode::kNotFound);

  ASSERT_TRUE(storage_->chats().markDeleted("instagram", "m1").isOk());
  auto deleted = storage_->chats().findByLocalId("l1");
  ASSERT_TRUE(deleted.isOk() && deleted->has_value());
  EXPECT_EQ((*deleted)->status, host::MessageStatus::kDeleted);
  EXPECT_EQ((*deleted)->text, "");
  EXPECT_EQ((*deleted)->attachmentsJson, "[]");
  EXPECT_EQ(storage_->chats().markDeleted("instagram", "nope").code(), ErrorCode::kNotFound);
}

TEST_P(StorageConformance, ProfileAndRecentMessages) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  ASSERT_TRUE(storage_->chats().setProfile(chat.chatId, "Ada L", "ada").isOk());
  EXPECT_EQ(storage_->chats().setProfile("nope", "x", "y").code(), ErrorCode::kNotFound);
  auto found = storage_->chats().findChat(chat.key);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->userName, "Ada L");
  EXPECT_EQ((*found)->userUsername, "ada");

  for (int i = 0; i < 5; ++i) ASSERT_TRUE(add(msg(chat, "l" + std::to_string(i), 100 + i)));
  ASSERT_TRUE(add(msg(chat, "same-ts", 104)));  // ties keep insertion order
  auto recent = storage_->chats().recentMessages(chat.chatId, 3);
  ASSERT_TRUE(recent.isOk());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].localId, "l3");
  EXPECT_EQ((*recent)[1].localId, "l4");
  EXPECT_EQ((*recent)[2].localId, "same-ts");
  auto none = storage_->chats().recentMessages("nope", 3);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());
}

TEST_P(StorageConformance, LastInboundAtFollowsTheUsersMessagesOnly) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1", 1000);
  EXPECT_EQ(chat.lastInboundAt, 0);
  const auto lastInbound = [&] {
    auto found = storage_->chats().findChat(chat.key);
    EXPECT_TRUE(found.isOk() && found->has_value());
    return found.isOk() && found->has_value() ? (*found)->lastInboundAt : -1;
  };
  host::Message out = msg(chat, "out-1", 1500, "", "welcome");
  out.direction = "outbound";
  ASSERT_TRUE(add(out));
  EXPECT_EQ(lastInbound(), 0) << "the account's own message is not the user's";
  ASSERT_TRUE(add(msg(chat, "in-1", 2000)));
  EXPECT_EQ(lastInbound(), 2000);
  host::Message later = msg(chat, "out-2", 3000, "", "reply");
  later.direction = "outbound";
  ASSERT_TRUE(add(later));
  EXPECT_EQ(lastInbound(), 2000);
  ASSERT_TRUE(add(msg(chat, "in-old", 1800)));  // a late delivery does not move it back
  EXPECT_EQ(lastInbound(), 2000);
  ASSERT_TRUE(add(msg(chat, "in-2", 4000)));
  EXPECT_EQ(lastInbound(), 4000);
  EXPECT_FALSE(add(msg(chat, "in-2", 9000))) << "a duplicate changes nothing";
  EXPECT_EQ(lastInbound(), 4000);
  EXPECT_EQ(makeChat("a1", "u1").lastInboundAt, 4000) << "ensureChat returns it too";
  auto page = storage_->chats().listChats("sub1", "a1", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk());
  ASSERT_EQ(page->chats.size(), 1u);
  EXPECT_EQ(page->chats[0].chat.lastInboundAt, 4000);
  EXPECT_EQ(page->chats[0].chat.lastActivity, 4000);
}

TEST_P(StorageConformance, MessagesGetIncreasingSeqInTheOrderTheyAreAdded) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  auto other = makeChat("a1", "u2");
  const std::vector<std::pair<std::string, std::int64_t>> added = {
      {"l1", 5000}, {"l2", 3000}, {"l3", 3000}, {"l4", 9000}};  // timestamps out of order
  for (const auto& [id, ts] : added) ASSERT_TRUE(add(msg(chat, id, ts)));
  ASSERT_TRUE(add(msg(other, "o1", 1)));
  EXPECT_FALSE(add(msg(chat, "l1", 1))) << "a duplicate takes no seq";
  ASSERT_TRUE(add(msg(chat, "l5", 1)));
  std::int64_t previous = 0;
  for (const char* id : {"l1", "l2", "l3", "l4", "l5"}) {
    auto m = storage_->chats().findByLocalId(id);
    ASSERT_TRUE(m.isOk() && m->has_value()) << id;
    EXPECT_GT((*m)->seq, previous) << id;
    previous = (*m)->seq;
  }
  auto page = storage_->chats().listChats("sub1", "a1", "instagram", 10, 0);
  ASSERT_TRUE(page.isOk());
  for (const auto& cwm : page->chats)
    for (const auto& m : cwm.messages) EXPECT_GT(m.seq, 0) << m.localId;
  auto recent = storage_->chats().recentMessages(chat.chatId, 10);
  ASSERT_TRUE(recent.isOk());
  for (const auto& m : *recent) EXPECT_GT(m.seq, 0) << m.localId;
}

// Threads are paged by seq: two messages sharing one would let a page boundary skip one. Enough
// writers, long enough, for PostgreSQL's concurrent statements to overlap.
TEST_P(StorageConformance, ConcurrentMessagesOfOneChatGetDistinctSeqs) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto m = msg(chat, "t" + std::to_string(t) + "-" + std::to_string(i), 1000 + i);
        auto r = storage_->chats().addMessage(m);
        if (!r.isOk() || !*r) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto thread = storage_->chats().chatThread("sub1", "a1", "instagram", chat.chatId, 2000, 0);
  ASSERT_TRUE(thread.isOk() && thread->has_value()) << thread.status().message();
  EXPECT_EQ((*thread)->chat.messageCount, kThreads * kPerThread);
  std::set<std::int64_t> seqs;
  for (const auto& m : (*thread)->messages) seqs.insert(m.seq);
  EXPECT_EQ((*thread)->messages.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(seqs.size(), (*thread)->messages.size()) << "two messages share a seq";
}

TEST_P(StorageConformance, ListChatsTakesAsManyMessagesPerChatAsAsked) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(add(msg(chat, "l" + std::to_string(i), 2000 + i)));
  const auto localIds = [&](int perChat) {
    auto page = storage_->chats().listChats("sub1", "a1", "instagram", 10, 0, perChat);
    EXPECT_TRUE(page.isOk()) << page.status().message();
    std::vector<std::string> out;
    if (!page.isOk() || page->chats.size() != 1u) return out;
    EXPECT_EQ(page->count, 1);
    EXPECT_EQ(page->chats[0].chat.messageCount, 4) << "the count stays the chat's";
    for (const auto& m : page->chats[0].messages) out.push_back(m.localId);
    return out;
  };
  EXPECT_TRUE(localIds(0).empty());
  EXPECT_EQ(localIds(1), std::vector<std::string>{"l3"});
  EXPECT_EQ(localIds(2), (std::vector<std::string>{"l2", "l3"}));
  EXPECT_EQ(localIds(10), (std::vector<std::string>{"l0", "l1", "l2", "l3"}));
  EXPECT_EQ(localIds(-1), (std::vector<std::string>{"l0", "l1", "l2", "l3"}));
}

TEST_P(StorageConformance, AThreadIsPagedBackwardsBySeq) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(add(msg(chat, "l" + std::to_string(i), 10000 - i)));  // seq order, not ts
  struct Page {
    std::vector<std::string> ids;
    std::int64_t oldestSeq = 0;
    bool hasMore = false;
  };
  const auto page = [&](int limit, std::int64_t beforeSeq) {
    auto r = storage_->chats().chatThread("sub1", "a1", "instagram", chat.chatId, limit, beforeSeq);
    EXPECT_TRUE(r.isOk() && r->has_value()) << r.status().message();
    Page p;
    if (!r.isOk() || !r->has_value()) return p;
    EXPECT_EQ((*r)->chat.chatId, chat.chatId);
    EXPECT_EQ((*r)->chat.messageCount, 5);
    EXPECT_EQ((*r)->chat.lastInboundAt, 9999);
    for (const auto& m : (*r)->messages) p.ids.push_back(m.localId);
    if (!(*r)->messages.empty()) p.oldestSeq = (*r)->messages.front().seq;
    p.hasMore = (*r)->hasMore;
    return p;
  };
  auto newest = page(2, 0);
  EXPECT_EQ(newest.ids, (std::vector<std::string>{"l4", "l5"}));
  EXPECT_TRUE(newest.hasMore);
  auto middle = page(2, newest.oldestSeq);
  EXPECT_EQ(middle.ids, (std::vector<std::string>{"l2", "l3"}));
  EXPECT_TRUE(middle.hasMore);
  auto oldest = page(2, middle.oldestSeq);
  EXPECT_EQ(oldest.ids, std::vector<std::string>{"l1"});
  EXPECT_FALSE(oldest.hasMore);
  auto none = page(2, oldest.oldestSeq);
  EXPECT_TRUE(none.ids.empty());
  EXPECT_FALSE(none.hasMore);
  auto whole = page(5, 0);
  EXPECT_EQ(whole.ids, (std::vector<std::string>{"l1", "l2", "l3", "l4", "l5"}));
  EXPECT_FALSE(whole.hasMore) << "exactly the limit left: nothing more";
  EXPECT_EQ(
      storage_->chats().chatThread("sub1", "a1", "instagram", chat.chatId, 0, 0).status().code(),
      ErrorCode::kValidation);
}

TEST_P(StorageConformance, AThreadIsOnlyItsOwnersToRead) {
  ASSERT_TRUE(storage_);
  auto chat = makeChat("a1", "u1");
  ASSERT_TRUE(add(msg(chat, "l1", 2000)));
  auto theirs = storage_->chats().ensureChat({"sub2", "a1", "instagram", "u1"}, 1000);
  ASSERT_TRUE(theirs.isOk());
  for (const auto& [sub, agent, channel, id] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"sub2", "a1", "instagram", chat.chatId},     // another tenant's agent of that id
           {"sub1", "a2", "instagram", chat.chatId},     // another agent
           {"sub1", "a1", "messenger", chat.chatId},     // another channel
           {"sub1", "a1", "instagram", theirs->chatId},  // another tenant's chat
           {"sub1", "a1", "instagram", "no-such-chat"}}) {
    auto r = storage_->chats().chatThread(sub, agent, channel, id, 10, 0);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(r->has_value()) << sub << "/" << agent << "/" << channel << "/" << id;
  }
  auto mine = storage_->chats().chatThread("sub1", "a1", "instagram", chat.chatId, 10, 0);
  ASSERT_TRUE(mine.isOk() && mine->has_value());
  EXPECT_EQ((*mine)->messages.size(), 1u);
}

// ---- connections
// ---------------------------------------------------------------------------------

TEST_P(StorageConformance, ConnectReconnectAndAccountInUse) {
  ASSERT_TRUE(storage_);
  auto first = storage_->connections().connect(makeConnection("a1", "acc1"));
  ASSERT_TRUE(first.isOk()) << first.status().message();
  EXPECT_FALSE(first->alreadyConnected);
  auto got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_TRUE((*got)->connected);
  EXPECT_TRUE((*got)->active);
  EXPECT_EQ((*got)->username, "user_acc1");
  EXPECT_EQ((*got)->accountType, "BUSINESS");
  EXPECT_EQ((*got)->settingsJson, R"({"replies":true})");
  EXPECT_EQ((*got)->secrets.at("accessToken"), "TOKEN-PLAINTEXT-a1");
  EXPECT_GT((*got)->connectedAt, 0);

  auto again = storage_->connections().connect(makeConnection("a1", "acc1"));
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(again->alreadyConnected);

  auto taken = storage_->connections().connect(makeConnection("a2", "acc1"));
  ASSERT_FALSE(taken.isOk());
  EXPECT_EQ(taken.status().code(), ErrorCode::kAccountInUse);
  EXPECT_EQ(taken.status().message(),
            "This Instagram account is connected to another agent; disconnect it there first.");

  auto byAccount = storage_->connections().findByAccount("instagram", "acc1");
  ASSERT_TRUE(byAccount.isOk() && byAccount->has_value());
  EXPECT_EQ((*byAccount)->agentId, "a1");

  // Another account for the same agent replaces the first one and frees it.
  auto moved = storage_->connections().connect(makeConnection("a1", "acc2"));
  ASSERT_TRUE(moved.isOk());
  EXPECT_FALSE(moved->alreadyConnected);
  auto freed = storage_->connections().findByAccount("instagram", "acc1");
  ASSERT_TRUE(freed.isOk());
  EXPECT_FALSE(freed->has_value());
  EXPECT_TRUE(storage_->connections().connect(makeConnection("a2", "acc1")).isOk());
}

TEST_P(StorageConformance, SecretsAreEncryptedAtRestAndErasedOnDisconnect) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  auto raw = GetParam().raw(options_);
  auto column = raw->query("SELECT secrets FROM connections WHERE agent_id = 'a1'").at(0).text(0);
  EXPECT_EQ(column.find("PLAINTEXT"), std::string::npos) << column;
  EXPECT_NE(column.find("accessToken"), std::string::npos);
  EXPECT_NE(column.find("v1:"), std::string::npos);

  ASSERT_TRUE(storage_->connections().disconnect("sub1", "a1", "instagram").isOk());
  auto got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_FALSE((*got)->connected);
  EXPECT_TRUE((*got)->secrets.empty());
  EXPECT_EQ((*got)->username, "user_acc1");
  EXPECT_EQ((*got)->accountId, "acc1");
  column = raw->query("SELECT secrets FROM connections WHERE agent_id = 'a1'").at(0).text(0);
  EXPECT_EQ(column, "{}");
  auto byAccount = storage_->connections().findByAccount("instagram", "acc1");
  ASSERT_TRUE(byAccount.isOk());
  EXPECT_FALSE(byAccount->has_value());
  EXPECT_TRUE(storage_->connections().connect(makeConnection("a2", "acc1")).isOk());
  EXPECT_EQ(storage_->connections().disconnect("sub1", "nope", "instagram").code(),
            ErrorCode::kNotConnected);
}

TEST_P(StorageConformance, WrongSecretsKeyFailsLoudly) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  storage_.reset();
  const SecretCipher otherKey = makeCipher('z');
  auto other = open(otherKey);
  ASSERT_TRUE(other);
  auto got = other->connections().get("sub1", "a1", "instagram");
  ASSERT_FALSE(got.isOk());
  EXPECT_EQ(got.status().code(), ErrorCode::kInternal);
  EXPECT_NE(got.status().message().find("cannot be decrypted"), std::string::npos);
  EXPECT_EQ(got.status().message().find("PLAINTEXT"), std::string::npos);
  EXPECT_FALSE(other->connections().findByAccount("instagram", "acc1").isOk());
}

TEST_P(StorageConformance, ListActiveLeavesOutWhatDoesNotDecryptAndGivesTheRest) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  storage_.reset();
  const SecretCipher otherKey = makeCipher('z');
  auto other = open(otherKey);
  ASSERT_TRUE(other);
  // Sealed with the new key: readable; a1's row is not, and must not hide it.
  ASSERT_TRUE(other->connections().connect(makeConnection("a2", "acc2")).isOk());
  auto active = other->connections().listActive("instagram");
  ASSERT_TRUE(active.isOk()) << active.status().message();
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].accountId, "acc2");
  EXPECT_EQ((*active)[0].secrets.at("accessToken"), "TOKEN-PLAINTEXT-a2");
  EXPECT_FALSE(other->connections().get("sub1", "a1", "instagram").isOk()) << "still loud alone";
}

TEST_P(StorageConformance, SetActiveRecordsWhy) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  ASSERT_TRUE(
      storage_->connections().setActive("sub1", "a1", "instagram", false, "token expired").isOk());
  auto got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_FALSE((*got)->active);
  EXPECT_TRUE((*got)->connected);
  EXPECT_EQ((*got)->inactiveReason, "token expired");
  // Reconnecting makes it active again.
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_TRUE((*got)->active);
  EXPECT_EQ((*got)->inactiveReason, "");
  EXPECT_EQ(storage_->connections().setActive("sub1", "nope", "instagram", true, "").code(),
            ErrorCode::kNotConnected);
}

TEST_P(StorageConformance, ConnectStoresTheTokensExpiryAndTheCheckTime) {
  ASSERT_TRUE(storage_);
  auto conn = makeConnection("a1", "acc1");
  conn.tokenExpiresAt = 4102444800000;
  ASSERT_TRUE(storage_->connections().connect(conn).isOk());
  auto got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->tokenExpiresAt, 4102444800000);
  EXPECT_GT((*got)->credentialsCheckedAt, 0) << "a fresh connection was just checked";
  EXPECT_EQ((*got)->credentialsCheckedAt, (*got)->updatedAt);
  conn.tokenExpiresAt = 0;  // a token that does not expire
  ASSERT_TRUE(storage_->connections().connect(conn).isOk());
  got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->tokenExpiresAt, 0);
}

TEST_P(StorageConformance, ListActiveGivesTheChannelsConnectedActiveConnectionsWithSecrets) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a1", "acc1")).isOk());
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a2", "acc2")).isOk());
  ASSERT_TRUE(
      storage_->connections().setActive("sub1", "a2", "instagram", false, "revoked").isOk());
  ASSERT_TRUE(storage_->connections().connect(makeConnection("a3", "acc3")).isOk());
  ASSERT_TRUE(storage_->connections().disconnect("sub1", "a3", "instagram").isOk());
  auto messenger = makeConnection("a4", "acc4");
  messenger.channel = "messenger";
  ASSERT_TRUE(storage_->connections().connect(messenger).isOk());
  auto otherTenant = makeConnection("a1", "acc5");
  otherTenant.subaccountId = "sub2";
  otherTenant.secrets = {{"accessToken", "TOKEN-OF-SUB2"}};
  ASSERT_TRUE(storage_->connections().connect(otherTenant).isOk());

  auto active = storage_->connections().listActive("instagram");
  ASSERT_TRUE(active.isOk()) << active.status().message();
  std::map<std::string, sdk::Connection> byAccount;
  for (const auto& c : *active) byAccount[c.accountId] = c;
  ASSERT_EQ(byAccount.size(), 2u);
  ASSERT_EQ(active->size(), 2u);
  ASSERT_TRUE(byAccount.count("acc1"));
  EXPECT_EQ(byAccount["acc1"].subaccountId, "sub1");
  EXPECT_EQ(byAccount["acc1"].agentId, "a1");
  EXPECT_EQ(byAccount["acc1"].secrets.at("accessToken"), "TOKEN-PLAINTEXT-a1");
  EXPECT_EQ(byAccount["acc1"].secrets.at("webhookSecret"), "HOOK-PLAINTEXT-a1");
  EXPECT_GT(byAccount["acc1"].updatedAt, 0);
  ASSERT_TRUE(byAccount.count("acc5"));
  EXPECT_EQ(byAccount["acc5"].subaccountId, "sub2");
  EXPECT_EQ(byAccount["acc5"].secrets.at("accessToken"), "TOKEN-OF-SUB2");
  auto none = storage_->connections().listActive("whatsapp");
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());
}

TEST_P(StorageConformance, ACredentialCheckIsRecordedOnAnUnchangedConnection) {
  ASSERT_TRUE(storage_);
  auto conn = makeConnection("a1", "acc1");
  conn.tokenExpiresAt = 7000000;
  ASSERT_TRUE(storage_->connections().connect(conn).isOk());
  auto listed = storage_->connections().listActive("instagram");
  ASSERT_TRUE(listed.isOk() && listed->size() == 1u);
  const sdk::Connection read = listed->front();

  // A check alone: the time moves, nothing else.
  auto checked = storage_->connections().recordCredentialCheck(read, std::nullopt, 0, 5000);
  ASSERT_TRUE(checked.isOk()) << checked.status().message();
  EXPECT_TRUE(*checked);
  auto got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->credentialsCheckedAt, 5000);
  EXPECT_EQ((*got)->tokenExpiresAt, 7000000);
  EXPECT_EQ((*got)->secrets, read.secrets);
  EXPECT_EQ((*got)->updatedAt, read.updatedAt);

  // New secrets: the full set is replaced, sealed like any other.
  const std::map<std::string, std::string> fresh = {{"accessToken", "REFRESHED-PLAINTEXT"}};
  auto refreshed = storage_->connections().recordCredentialCheck(read, fresh, 9000000, 6000);
  ASSERT_TRUE(refreshed.isOk()) << refreshed.status().message();
  EXPECT_TRUE(*refreshed);
  got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value()) << got.status().message();
  EXPECT_EQ((*got)->secrets, fresh);
  EXPECT_EQ((*got)->tokenExpiresAt, 9000000);
  EXPECT_EQ((*got)->credentialsCheckedAt, 6000);
  EXPECT_EQ((*got)->updatedAt, 6000);
  EXPECT_TRUE((*got)->connected);
  EXPECT_TRUE((*got)->active);
  auto column = GetParam()
                    .raw(options_)
                    ->query("SELECT secrets FROM connections WHERE agent_id = 'a1'")
                    .at(0)
                    .text(0);
  EXPECT_EQ(column.find("PLAINTEXT"), std::string::npos) << column;
  EXPECT_NE(column.find("v1:"), std::string::npos) << column;

  // The first read is stale now: a second write from it changes nothing.
  auto stale = storage_->connections().recordCredentialCheck(read, std::nullopt, 0, 7000);
  ASSERT_TRUE(stale.isOk());
  EXPECT_FALSE(*stale);
  got = storage_->connections().get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->credentialsCheckedAt, 6000);
}

TEST_P(StorageConformance, ACredentialCheckDoesNotOverwriteAReconnect) {
  ASSERT_TRUE(storage_);
  auto& connections = storage_->connections();
  ASSERT_TRUE(connections.connect(makeConnection("a1", "acc1")).isOk());
  // A refresh recorded long ago sets updatedAt to a time no reconnect now can share.
  auto first = connections.listActive("instagram");
  ASSERT_TRUE(first.isOk() && first->size() == 1u);
  ASSERT_TRUE(*connections.recordCredentialCheck(
      first->front(), std::map<std::string, std::string>{{"accessToken", "OLD"}}, 0, 1000));
  auto listed = connections.listActive("instagram");
  ASSERT_TRUE(listed.isOk() && listed->size() == 1u);
  const sdk::Connection read = listed->front();
  ASSERT_EQ(read.updatedAt, 1000);

  // The user connects again while the platform answers the check.
  auto again = makeConnection("a1", "acc1");
  again.secrets = {{"accessToken", "FROM-THE-RECONNECT"}};
  ASSERT_TRUE(connections.connect(again).isOk());
  for (const auto& secrets :
       {std::optional<std::map<std::string, std::string>>{},
        std::optional<std::map<std::string, std::string>>{{{"accessToken", "REFRESHED-OLD"}}}}) {
    auto r = connections.recordCredentialCheck(read, secrets, 123, 2000);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_FALSE(*r);
  }
  auto got = connections.get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_EQ((*got)->secrets.at("accessToken"), "FROM-THE-RECONNECT");
  EXPECT_NE((*got)->credentialsCheckedAt, 2000);
  EXPECT_NE((*got)->tokenExpiresAt, 123);

  // Another account for the agent, or a disconnect, since the read: nothing either.
  auto fresh = connections.listActive("instagram");
  ASSERT_TRUE(fresh.isOk() && fresh->size() == 1u);
  ASSERT_TRUE(*connections.recordCredentialCheck(fresh->front(), std::nullopt, 0, 3000));
  auto current = connections.listActive("instagram");
  ASSERT_TRUE(current.isOk() && current->size() == 1u);
  sdk::Connection otherAccount = current->front();
  otherAccount.accountId = "acc2";
  EXPECT_FALSE(*connections.recordCredentialCheck(otherAccount, std::nullopt, 0, 4000));
  ASSERT_TRUE(connections.disconnect("sub1", "a1", "instagram").isOk());
  EXPECT_FALSE(*connections.recordCredentialCheck(current->front(), std::nullopt, 0, 5000));
  got = connections.get("sub1", "a1", "instagram");
  ASSERT_TRUE(got.isOk() && got->has_value());
  EXPECT_FALSE((*got)->connected);
  EXPECT_TRUE((*got)->secrets.empty());
}

TEST_P(StorageConformance, ACredentialCheckTouchesOnlyItsOwnTenantsConnection) {
  ASSERT_TRUE(storage_);
  auto& connections = storage_->connections();
  ASSERT_TRUE(connections.connect(makeConnection("a1", "acc1")).isOk());
  auto theirs = makeConnection("a1", "acc2");
  theirs.subaccountId = "sub2";
  ASSERT_TRUE(connections.connect(theirs).isOk());
  auto mine = connections.get("sub1", "a1", "instagram");
  ASSERT_TRUE(mine.isOk() && mine->has_value());
  auto before = connections.get("sub2", "a1", "instagram");
  ASSERT_TRUE(before.isOk() && before->has_value());
  ASSERT_TRUE(*connections.recordCredentialCheck(
      **mine, std::map<std::string, std::string>{{"accessToken", "MINE"}}, 1, 2));
  auto after = connections.get("sub2", "a1", "instagram");
  ASSERT_TRUE(after.isOk() && after->has_value()) << after.status().message();
  EXPECT_EQ((*after)->secrets, (*before)->secrets);
  EXPECT_EQ((*after)->credentialsCheckedAt, (*before)->credentialsCheckedAt);
  EXPECT_EQ((*after)->tokenExpiresAt, (*before)->tokenExpiresAt);
}

// ---- inbox
// ---------------------------------------------------------------------------------------

TEST_P(StorageConformance, InboxClaimsOneEventPerOrderingKeyInTimestampOrder) {
  ASSERT_TRUE(storage_);
  // k1 arrives out of order: the ts 1 event must still come first.
  ASSERT_TRUE(storage_->inbox().append({event("k1", 2), event("k1", 1), event("k2", 5)}).isOk());
  EXPECT_EQ(pending(), 3);
  auto first = claim(10);
  ASSERT_EQ(first.size(), 2u);
  std::map<std::string, host::InboxEvent> byKey;
  for (const auto& e : first) byKey[e.event.orderingKey] = e;
  ASSERT_EQ(byKey.size(), 2u);
  EXPECT_EQ(byKey["k1"].event.eventTimestamp, 1);
  EXPECT_EQ(byKey["k1"].attempts, 1);
  EXPECT_EQ(byKey["k1"].event.payload, R"({"text":"payload k1"})");
  EXPECT_EQ(byKey["k1"].event.dedupKey, "mid:k1:1");
  EXPECT_EQ(byKey["k1"].event.kind, "message");
  EXPECT_EQ(byKey["k1"].event.agentId, "a1");
  EXPECT_GT(byKey["k1"].receivedAt, 0);
  EXPECT_TRUE(claim(10).empty()) << "k1's second event waits for the first";

  ASSERT_TRUE(storage_->inbox().markDone("w1", byKey["k1"].id).isOk());
  auto next = claim(10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.orderingKey, "k1");
  EXPECT_EQ(next[0].event.eventTimestamp, 2);
  EXPECT_EQ(pending(), 2);
  EXPECT_EQ(storage_->inbox().markDone("w1", 999999).code(), ErrorCode::kConflict);
}

// Fresh events go straight to the appending host's workers when nothing of their key is
// unfinished, up to the room it has; the rest wait for claim().
TEST_P(StorageConformance, InboxAppendClaimsFreshKeysUpToTheRoomGiven) {
  ASSERT_TRUE(storage_);
  auto claimed = storage_->inbox().appendAndClaim(
      {event("k1", 1), event("k1", 2), event("k2", 1), event("k3", 1)}, "w1", 60000, 2);
  ASSERT_TRUE(claimed.isOk()) << claimed.status().message();
  if (storage_->backendName() == "postgresql") {
    // Hosts sharing PostgreSQL do not see each other's uncommitted appends: claims wait.
    EXPECT_TRUE(claimed->empty());
    EXPECT_EQ(claim(10).size(), 3u);
    return;
  }
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].event.orderingKey, "k1");
  EXPECT_EQ((*claimed)[0].event.eventTimestamp, 1);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_GT((*claimed)[0].id, 0);
  EXPECT_EQ((*claimed)[0].event.payload, R"({"text":"payload k1"})");
  EXPECT_EQ((*claimed)[1].event.orderingKey, "k2");
  EXPECT_EQ(pending(), 4);

  // k1's second event waits for the first; k3 was left for a claim.
  auto rest = claim(10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].event.orderingKey, "k3");
  ASSERT_TRUE(storage_->inbox().markDone("w1", (*claimed)[0].id).isOk());
  auto next = claim(10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.orderingKey, "k1");
  EXPECT_EQ(next[0].event.eventTimestamp, 2);

  // Without room nothing is claimed, and a key with unfinished events never is.
  auto none = storage_->inbox().appendAndClaim({event("k4", 1)}, "w1", 60000, 0);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());
  auto blocked = storage_->inbox().appendAndClaim({event("k2", 5)}, "w1", 60000, 10);
  ASSERT_TRUE(blocked.isOk());
  EXPECT_TRUE(blocked->empty());
}

// A later event of a key listed first in one append must not run before the earlier one.
TEST_P(StorageConformance, InboxAppendNeverClaimsALaterEventOfAKeyFirst) {
  ASSERT_TRUE(storage_);
  auto claimed =
      storage_->inbox().appendAndClaim({event("k1", 200), event("k1", 100)}, "w1", 60000, 10);
  ASSERT_TRUE(claimed.isOk()) << claimed.status().message();
  EXPECT_TRUE(claimed->empty());
  auto first = claim(10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].event.eventTimestamp, 100);
}

TEST_P(StorageConformance, InboxLeasesAreRenewedOnlyByTheirOwner) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k1", 1), event("k2", 1)}).isOk());
  auto held = claim(2, 1, "w1");  // leases of 1 ms
  ASSERT_EQ(held.size(), 2u);
  ASSERT_TRUE(storage_->inbox().extendLeases("w1", {held[0].id}, 60000).isOk());
  ASSERT_TRUE(storage_->inbox().extendLeases("w2", {held[1].id}, 60000).isOk());
  // Let the 1 ms leases run out (waiting for the clock, not for another thread).
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
  while (std::chrono::steady_clock::now() < until) std::this_thread::yield();
  auto taken = claim(10, 60000, "w2");
  ASSERT_EQ(taken.size(), 1u) << "only the lease w1 renewed still holds";
  EXPECT_EQ(taken[0].id, held[1].id);
}

// A restarted instance takes back what its dead earlier run held, and only that.
TEST_P(StorageConformance, InboxReleasesTheClaimsOfAnEarlierRun) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k1", 1), event("k2", 1)}).isOk());
  ASSERT_EQ(claim(1, 60000, "box:0a1b2c3d:41:7").size(), 1u);
  ASSERT_EQ(claim(1, 60000, "other:99999999:12:3").size(), 1u);
  auto released = storage_->inbox().releaseClaimsOf("box:0a1b2c3d:");
  ASSERT_TRUE(released.isOk()) << released.status().message();
  EXPECT_EQ(*released, 1);
  auto again = claim(10, 60000, "box:0a1b2c3d:42:1");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageConformance, InboxMarksManyEventsDoneInOneCall) {
  ASSERT_TRUE(storage_);
  std::vector<host::NewInboxEvent> events;
  for (int i = 0; i < 5; ++i) events.push_back(event("k" + std::to_string(i), 1));
  events.push_back(event("k0", 2));  // waits for k0's first event
  ASSERT_TRUE(storage_->inbox().append(events).isOk());
  auto claimed = claim(10);
  ASSERT_EQ(claimed.size(), 5u);
  std::vector<std::int64_t> ids;
  for (const auto& e : claimed) ids.push_back(e.id);
  ids.push_back(999999);  // unknown ids are skipped
  const std::uint64_t lost = storage_->inbox().deferredWritesLost();
  // Deferred writes lost since the events started: nothing is marked, they must run again.
  EXPECT_EQ(storage_->inbox().markAllDone("w1", ids, lost + 1).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(pending(), 6);
  ASSERT_TRUE(storage_->inbox().markAllDone("w1", ids, lost).isOk());
  EXPECT_EQ(pending(), 1);
  auto next = claim(10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.orderingKey, "k0");
  EXPECT_EQ(next[0].event.eventTimestamp, 2);
}

TEST_P(StorageConformance, InboxReclaimsExpiredLeases) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k", 1)}).isOk());
  auto first = claim(1, 50, "crashed-worker");
  ASSERT_EQ(first.size(), 1u);
  std::vector<host::InboxEvent> again;
  EXPECT_TRUE(eventually([&] {
    again = claim(1, 60000, "w2");
    return !again.empty();
  }));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageConformance, InboxRetryUncountedTakesBackAllButTheFirstAttempt) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k", 1)}).isOk());
  auto e = claim(5);
  ASSERT_EQ(e.size(), 1u);
  ASSERT_EQ(e[0].attempts, 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(storage_->inbox().markRetryUncounted("w1", e[0].id, 0, "agent busy").isOk());
    e = claim(5);
    ASSERT_EQ(e.size(), 1u);
    // Never 1 again: a first delivery is told by attempts == 1.
    EXPECT_EQ(e[0].attempts, 2);
  }
  ASSERT_TRUE(storage_->inbox().markRetry("w1", e[0].id, 0, "graph 500").isOk());
  EXPECT_EQ(claim(5).at(0).attempts, 3);
}

TEST_P(StorageConformance, ADelayedRetryKeepsLaterEventsOfItsKeyWaiting) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k", 1), event("k", 2)}).isOk());
  auto e = claim(5);
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(storage_->inbox().markRetry("w1", e[0].id, 3600000, "rate limited").isOk());
  EXPECT_TRUE(claim(5).empty());
  EXPECT_EQ(pending(), 2);
}

// A worker whose lease ran out and whose event another worker claimed records nothing: the
// new holder's claim stands, whatever the old one reports.
TEST_P(StorageConformance, OutcomesOfAWorkerWhoseClaimWasTakenOverChangeNothing) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k", 1)}).isOk());
  auto stale = claim(1, 1, "w1");  // a 1 ms lease
  ASSERT_EQ(stale.size(), 1u);
  std::vector<host::InboxEvent> current;
  ASSERT_TRUE(eventually([&] {
    current = claim(1, 60000, "w2");
    return !current.empty();
  }));
  const auto id = stale[0].id;
  auto& inbox = storage_->inbox();
  EXPECT_EQ(inbox.markRetry("w1", id, 0, "late").code(), ErrorCode::kConflict);
  EXPECT_EQ(inbox.markRetryUncounted("w1", id, 0, "late").code(), ErrorCode::kConflict);
  EXPECT_EQ(inbox.markFailed("w1", id, "late").code(), ErrorCode::kConflict);
  EXPECT_EQ(inbox.markDone("w1", id).code(), ErrorCode::kConflict);
  ASSERT_TRUE(inbox.markAllDone("w1", {id}, inbox.deferredWritesLost()).isOk());
  EXPECT_EQ(pending(), 1) << "still w2's";
  EXPECT_TRUE(claim(5, 60000, "w3").empty()) << "w2's claim was not released";
  ASSERT_TRUE(inbox.markDone("w2", id).isOk());
  EXPECT_EQ(pending(), 0);
}

// The fencing check before a send: only the worker holding the claim that counted `attempts`
// passes, and a takeover ends the old holder's claim.
TEST_P(StorageConformance, ConfirmClaimPassesOnlyTheCurrentHolder) {
  ASSERT_TRUE(storage_);
  auto& outbox = storage_->outbox();
  ASSERT_TRUE(outbox.append({event("k", 1)}).isOk());
  auto first = outbox.claim("w1", 1, 1);  // a 1 ms lease
  ASSERT_TRUE(first.isOk() && first->size() == 1u);
  const auto id = first->at(0).id;
  EXPECT_TRUE(outbox.confirmClaim(id, "w1", 1, 1).isOk());  // renews (PostgreSQL) for 1 ms
  EXPECT_EQ(outbox.confirmClaim(id, "w2", 1, 1).code(), ErrorCode::kConflict);
  EXPECT_EQ(outbox.confirmClaim(id, "w1", 2, 1).code(), ErrorCode::kConflict);

  // w1's lease runs out and w2 takes the row over: w1's claim no longer passes.
  std::vector<host::InboxEvent> taken;
  ASSERT_TRUE(eventually([&] {
    auto got = outbox.claim("w2", 1, 60000);
    if (got.isOk()) taken = *got;
    return !taken.empty();
  }));
  EXPECT_EQ(taken.at(0).attempts, 2);
  EXPECT_EQ(outbox.confirmClaim(id, "w1", 1, 60000).code(), ErrorCode::kConflict);
  EXPECT_TRUE(outbox.confirmClaim(id, "w2", 2, 60000).isOk());
  ASSERT_TRUE(outbox.markDone("w2", id).isOk());
  EXPECT_EQ(outbox.confirmClaim(id, "w2", 2, 60000).code(), ErrorCode::kConflict)
      << "a finished row is no one's";
}

// The conversation stage writes a reply's outbox rows with its own writes; they become
// claimable once committed (on SQLite by the claim itself, which commits the open transaction).
TEST_P(StorageConformance, RowsAppendedWithTheCallersWritesAreClaimable) {
  ASSERT_TRUE(storage_);
  {
    DeferredCommitScope scope;
    ASSERT_TRUE(storage_->outbox().appendWithCallersWrites({event("reply", 1)}).isOk());
  }
  auto claimed = storage_->outbox().claim("w1", 5, 60000);
  ASSERT_TRUE(claimed.isOk()) << claimed.status().message();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).event.orderingKey, "reply");
  EXPECT_EQ(claimed->at(0).attempts, 1);
  // Only SQLite's shared writer holds them back until a commit; elsewhere they may be claimed
  // as they are appended.
  EXPECT_EQ(storage_->outbox().joinsCallersWrites(), options_.backend == "sqlite");
}

TEST_P(StorageConformance, ARowIsTakenUpOnceClaimedAndStaysSo) {
  ASSERT_TRUE(storage_);
  auto& outbox = storage_->outbox();
  auto part = event("k", 1);
  part.dedupKey = "reply:instagram:m1:0";
  ASSERT_TRUE(outbox.append({part}).isOk());
  EXPECT_FALSE(*outbox.wasTakenUp("reply:instagram:m1:0")) << "queued, no sender took it up";
  auto claimed = outbox.claim("w1", 1, 60000);
  ASSERT_TRUE(claimed.isOk() && claimed->size() == 1u);
  EXPECT_TRUE(*outbox.wasTakenUp("reply:instagram:m1:0"));
  ASSERT_TRUE(outbox.markRetry("w1", claimed->at(0).id, 0, "timed out").isOk());
  EXPECT_TRUE(*outbox.wasTakenUp("reply:instagram:m1:0")) << "a retry keeps the attempt";
  EXPECT_FALSE(*outbox.wasTakenUp("reply:instagram:m2:0"));
}

TEST_P(StorageConformance, InboxRetryAndFailure) {
  ASSERT_TRUE(storage_);
  ASSERT_TRUE(storage_->inbox().append({event("k", 1), event("k", 2)}).isOk());
  auto e = claim(5);
  ASSERT_EQ(e.size(), 1u);
  ASSERT_TRUE(storage_->inbox().markRetry("w1", e[0].id, 0, "graph 500").isOk());
  auto retried = claim(5);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].id, e[0].id);
  EXPECT_EQ(retried[0].attempts, 2);

  // A failed event no longer holds its key.
  ASSERT_TRUE(storage_->inbox().markFailed("w1", e[0].id, "gave up").isOk());
  EXPECT_EQ(pending(), 1);
  auto next = claim(5);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].event.eventTimestamp, 2);
  ASSERT_TRUE(storage_->inbox().markDone("w1", next[0].id).isOk());
  EXPECT_EQ(pending(), 0);
  auto kept = storage_->inbox().purgeFinished(3600000, 100);
  ASSERT_TRUE(kept.isOk());
  EXPECT_EQ(*kept, 0) << "finished events younger than the retention stay";
  auto purged = storage_->inbox().purgeFinished(0, 100);
  ASSERT_TRUE(purged.isOk());
  EXPECT_EQ(*purged, 2) << "the done and the failed event";
}

TEST_P(StorageConformance, ClaimsTakeDueEventsPastOnesNotDueYet) {
  ASSERT_TRUE(storage_);
  for (auto* queue : {&storage_->inbox(), &storage_->outbox()}) {
    auto first = event("later-1", 1);
    first.notBefore = 4102444800000;  // 2100: a retry or a paced reply scheduled far ahead
    auto second = event("later-2", 1);
    second.notBefore = 4102444800000;
    ASSERT_TRUE(queue->append({first, second, event("now", 2)}).isOk());
    auto claimed = queue->claim("w1", 5, 60000);
    ASSERT_TRUE(claimed.isOk());
    ASSERT_EQ(claimed->size(), 1u);
    EXPECT_EQ(claimed->at(0).event.orderingKey, "now");
  }
}

TEST_P(StorageConformance, ThePurgeTakesFinishedRowsInBatchesAndNeverPendingOnes) {
  ASSERT_TRUE(storage_);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(storage_->inbox().append({event("k" + std::to_string(i), i)}).isOk());
  ASSERT_TRUE(storage_->inbox().append({event("waiting", 9)}).isOk());
  auto claimed = claim(5);
  ASSERT_EQ(claimed.size(), 5u);
  std::vector<std::int64_t> finished;
  for (const auto& e : claimed)
    if (e.event.orderingKey != "waiting") finished.push_back(e.id);
  ASSERT_EQ(finished.size(), 5u);
  ASSERT_TRUE(
      storage_->inbox().markAllDone("w1", finished, storage_->inbox().deferredWritesLost()).isOk());
  ASSERT_TRUE(storage_->outbox().append({event("out", 1)}).isOk());

  auto first = storage_->inbox().purgeFinished(0, 3);
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(*first, 3);
  auto rest = storage_->inbox().purgeFinished(0, 3);
  ASSERT_TRUE(rest.isOk());
  EXPECT_EQ(*rest, 2);
  EXPECT_EQ(*storage_->inbox().purgeFinished(0, 3), 0);
  EXPECT_EQ(pending(), 1) << "the unfinished event stays";
  EXPECT_EQ(*storage_->outbox().purgeFinished(0, 3), 0) << "the pending outbox row stays";
  EXPECT_EQ(*storage_->outbox().pendingCount(), 1);
}

TEST_P(StorageConformance, ConcurrentAppendsAreAllCommitted) {
  ASSERT_TRUE(storage_);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!storage_->inbox().append({event("k" + std::to_string(t), i)}).isOk()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(pending(), kThreads * kPerThread);
  auto* sql = dynamic_cast<SqlInboxStore*>(&storage_->inbox());
  std::cout << "[storage] " << GetParam().name << ": " << kThreads * kPerThread << " appends from "
            << kThreads << " threads in " << ms << " ms ("
            << (ms > 0 ? kThreads * kPerThread * 1000 / ms : 0) << "/s), "
            << (sql ? sql->appendCommits() : 0) << " commits\n";
}

TEST_P(StorageConformance, ConcurrentClaimersNeverShareAnEvent) {
  ASSERT_TRUE(storage_);
  constexpr int kEvents = 120;
  std::vector<host::NewInboxEvent> events;
  for (int i = 0; i < kEvents; ++i) events.push_back(event("k" + std::to_string(i % 40), i));
  ASSERT_TRUE(storage_->inbox().append(events).isOk());

  std::mutex m;
  std::multiset<std::int64_t> seen;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (std::chrono::steady_clock::now() < deadline) {
        auto got = storage_->inbox().claim("w" + std::to_string(w), 7, 60000);
        if (!got.isOk()) {
          ADD_FAILURE() << got.status().message();
          ++errors;
          continue;
        }
        {
          std::lock_guard lock(m);
          for (const auto& e : *got) seen.insert(e.id);
          if (seen.size() >= kEvents) return;
        }
        for (const auto& e : *got) {
          if (auto s = storage_->inbox().markDone("w" + std::to_string(w), e.id); !s.isOk()) {
            ADD_FAILURE() << s.message();
            ++errors;
          }
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), seen.size())
      << "an event was handed to two claimers";
}

INSTANTIATE_TEST_SUITE_P(Backend, StorageConformance, ::testing::Values(conformanceBackend()),
                         [](const auto& info) { return info.param.name; });

}  // namespace

}  // namespace chathost::host::testing
