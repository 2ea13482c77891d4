// The real host on each backend (SQLite + in-memory dedup; PostgreSQL + Redis from the ctest
// fixtures), driven from outside: agents CRUD, paging and tenancy, validation errors, a restart
// on the same data, the Instagram flow and readiness. Then Redis stopped under a running host.

#include "support/backend_client.h"
#include "support/backend_config.h"
#include "support/backend_services.h"
#include "support/fake_graph_process.h"
#include "support/host_process.h"
#include "support/signing.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <csignal>
#include <optional>

namespace chathost::testing {
namespace {

constexpr const char* kJwtSecret = "backends-test-jwt-secret-0123456789abcdef";
constexpr const char* kUser = "5566778899";
constexpr const char* kPriceReply = "The blue one is 49 EUR.";
constexpr const char* kFallback = "Thanks!";

const IgAccount kShop{"EAAB-page-token-1", "17841400000000001", "100200300", "acme_shop",
                      "agent-webhook-secret"};

std::vector<std::string> idsOf(const HttpResult& list) {
  std::vector<std::string> ids;
  auto agents = parseObject(list.body)->getObject("data")->getArray("agents");
  for (std::size_t i = 0; agents && i < agents->size(); ++i)
    ids.push_back(agents->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
  return ids;
}

int countOf(const HttpResult& list) {
  auto data = parseObject(list.body)->getObject("data");
  return data ? data->optValue<int>("count", -1) : -1;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One host with its fake Graph API, on the backend a test chooses.
class HostOnBackend : public ::testing::Test {
 protected:
  void TearDown() override {
    host_.reset();
    if (!schema_.empty()) dropSchema(dsn_, schema_);
  }

  // `redisPort` 0 = the fixture's Redis (kPostgresRedis only).
  void startStack(Backend backend, int redisPort = 0) {
    auto graph = FakeGraphProcess::start({kShop.fakeSpec()}, dir_.path());
    ASSERT_TRUE(graph) << "the fake Graph API did not start";
    graph_.emplace(std::move(*graph));
    HostConfigSpec spec;
    spec.backend = backend;
    spec.jwtSecret = kJwtSecret;
    spec.dataDir = dir_.file("var");
    spec.keyFile = dir_.file("secret.key");
    spec.sqlitePath = dir_.file("chathost.db");
    spec.graphBaseUrl = graph_->baseUrl();
    if (backend == Backend::kPostgresRedis) {
      std::string why;
      auto dsn = fixturePostgresDsn(&why);
      ASSERT_TRUE(dsn) << why;
      dsn_ = *dsn;
      schema_ = uniqueSchemaName("backends");
      spec.postgresDsn = dsn_;
      spec.postgresSchema = schema_;
      if (redisPort == 0) {
        auto port = fixtureRedisPort(&why);
        ASSERT_TRUE(port) << why;
        redisPort = *port;
      }
      spec.redisPort = redisPort;
    }
    // Message ids are unique per test: the fixture's Redis outlives a test and remembers them.
    midPrefix_ = (schema_.empty() ? std::string("sqlite") : schema_) + "_";
    config_ = dir_.write("chathost.yaml", hostConfigYaml(spec));
    startHost();
  }

  void startHost() {
    std::string failure;
    auto host = HostProcess::start(config_, dir_.path(), {}, &failure);
    ASSERT_TRUE(host) << failure;
    host_.emplace(std::move(*host));
    acme_.emplace(host_->baseUrl(), "acme", tokenFor(kJwtSecret, {"acme"}));
    globex_.emplace(host_->baseUrl(), "globex", tokenFor(kJwtSecret, {"globex"}));
  }

  // SIGTERM (must exit 0) and a new process on the same config and data.
  void restartHost() {
    ASSERT_EQ(host_->stop(SIGTERM), 0) << host_->log();
    host_.reset();
    startHost();
  }

  std::string mid(const std::string& name) const { return midPrefix_ + name; }

  HttpResult webhook(const std::string& agent, const std::string& midName,
                     const std::string& text) const {
    return postAgentWebhook(*acme_, agent,
                            messageWebhook(kShop.accountId, kUser, mid(midName), text, nowMillis()),
                            kShop.webhookSecret);
  }

  // Inbox events this host process finished (each delivery counts, duplicates included).
  double eventsDone() const {
    return metricSum(host_->baseUrl(), "chathost_inbox_events_total",
                     {{"channel", "instagram"}, {"outcome", "done"}});
  }
  // `n` inbox events done and every reply they queued sent (or failed).
  bool settled(double n) const { return eventsDone() >= n && outboxSettled({host_->baseUrl()}); }

  std::vector<std::string> sentTexts() const {
    std::vector<std::string> texts;
    for (const auto& s : sentMessages(graph_->baseUrl())) texts.push_back(s.text);
    return texts;
  }

  // The texts of the only chat of `agent`, oldest first, as "direction:text".
  std::vector<std::string> history(const std::string& agent) const {
    std::vector<std::string> out;
    auto r = acme_->call("GET", "/" + agent + "/instagram/messages?limit=50&skip=0");
    auto data = parseObject(r.body)->getObject("data");
    if (r.status != 200 || !data) return {"GET messages answered " + std::to_string(r.status)};
    auto chats = data->getArray("chats");
    if (!chats || chats->size() != 1) return {"chats: " + r.body};
    auto messages = chats->getObject(0)->getArray("messages");
    for (std::size_t i = 0; messages && i < messages->size(); ++i) {
      auto m = messages->getObject(static_cast<unsigned>(i));
      out.push_back(m->getValue<std::string>("direction") + ":" + m->getValue<std::string>("text"));
    }
    return out;
  }

  void connectShop() {
    ASSERT_EQ(acme_->createRulesAgent("shop"), 201);
    auto r = acme_->call("POST", "/shop/instagram/connect", kShop.connectBody());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TempDir dir_;
  std::optional<FakeGraphProcess> graph_;
  std::optional<HostProcess> host_;
  std::optional<AgentsApi> acme_;
  std::optional<AgentsApi> globex_;
  std::string config_;
  std::string dsn_;
  std::string schema_;
  std::string midPrefix_;
};

class BackendsTest : public HostOnBackend, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override { startStack(GetParam()); }
};

TEST_P(BackendsTest, AgentsAreCreatedListedPatchedDeletedAndStayInTheirSubaccount) {
  for (const char* id : {"a01", "a02", "a03", "a04", "a05"})
    ASSERT_EQ(acme_->createRulesAgent(id, std::string("Acme bot ") + id), 201) << id;
  ASSERT_EQ(globex_->createRulesAgent("g01"), 201);
  auto generated = globex_->call("POST", "", "{\"name\":\"No id\"}");
  ASSERT_EQ(generated.status, 201) << generated.body;
  auto made = parseObject(generated.body)->getObject("data");
  EXPECT_EQ(made->getValue<std::string>("type"), "rules");
  EXPECT_FALSE(made->getValue<std::string>("id").empty());
  EXPECT_FALSE(made->getValue<std::string>("createdAt").empty());

  // Paging: created order, count is the total.
  auto all = acme_->call("GET", "");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(idsOf(all), (std::vector<std::string>{"a01", "a02", "a03", "a04", "a05"}));
  EXPECT_EQ(countOf(all), 5);
  auto page = acme_->call("GET", "?limit=2&skip=1");
  EXPECT_EQ(idsOf(page), (std::vector<std::string>{"a02", "a03"}));
  EXPECT_EQ(countOf(page), 5);
  EXPECT_EQ(idsOf(acme_->call("GET", "?limit=2&skip=4")), (std::vector<std::string>{"a05"}));
  auto beyond = acme_->call("GET", "?limit=2&skip=10");
  EXPECT_TRUE(idsOf(beyond).empty());
  EXPECT_EQ(countOf(beyond), 5);

  // Patch is partial: the config survives a rename.
  auto patched = acme_->call("PATCH", "/a03", "{\"name\":\"Renamed\"}");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto p = parseObject(patched.body)->getObject("data");
  EXPECT_EQ(p->getValue<std::string>("name"), "Renamed");
  EXPECT_EQ(p->getValue<std::string>("type"), "rules");
  EXPECT_EQ(p->getObject("config")->getValue<std::string>("fallback"), kFallback);
  auto got = acme_->call("GET", "/a03");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(parseObject(got.body)->getObject("data")->getValue<std::string>("name"), "Renamed");

  auto deleted = acme_->call("DELETE", "/a04");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(parseObject(deleted.body)->getObject("data")->getValue<bool>("deleted"));
  auto gone = acme_->call("GET", "/a04");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(errorCode(gone), "AGENT_NOT_FOUND");
  EXPECT_EQ(countOf(acme_->call("GET", "")), 4);

  // Another subaccount sees none of acme's agents, and cannot read, change or delete them.
  auto theirs = globex_->call("GET", "");
  EXPECT_EQ(countOf(theirs), 2);
  for (const auto& id : idsOf(theirs)) EXPECT_NE(id.rfind("a0", 0), 0u) << id;
  for (const char* method : {"GET", "PATCH", "DELETE"}) {
    auto r =
        globex_->call(method, "/a01", std::string(method) == "PATCH" ? "{\"name\":\"x\"}" : "");
    EXPECT_EQ(r.status, 404) << method << " " << r.body;
    EXPECT_EQ(errorCode(r), "AGENT_NOT_FOUND") << method;
    EXPECT_FALSE(contains(r.body, "Acme bot")) << method << r.body;
  }
  // Reusing the id of another tenant's agent reveals nothing of it and leaves it alone.
  auto clash = globex_->call("POST", "", "{\"id\":\"a01\",\"name\":\"Mine\"}");
  EXPECT_TRUE(clash.status == 201 || clash.status == 409) << clash.body;
  EXPECT_FALSE(contains(clash.body, "acme")) << clash.body;
  EXPECT_FALSE(contains(clash.body, "Acme bot")) << clash.body;
  auto still = acme_->call("GET", "/a01");
  ASSERT_EQ(still.status, 200);
  EXPECT_EQ(parseObject(still.body)->getObject("data")->getValue<std::string>("name"),
            "Acme bot a01");
  // acme's token on globex's path: forbidden.
  auto forbidden = httpCall("GET", host_->baseUrl() + "/api/database/globex/chat-agents", "",
                            bearer(tokenFor(kJwtSecret, {"acme"})));
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(errorCode(forbidden), "FORBIDDEN");
}

TEST_P(BackendsTest, MalformedInputIsAValidationErrorNamingTheField) {
  ASSERT_EQ(acme_->createRulesAgent("a01"), 201);
  struct Case {
    const char* method;
    const char* path;
    const char* body;
    const char* field;  // the message must name it
  };
  const Case cases[] = {
      {"POST", "", "{\"name\":", "JSON"},
      {"POST", "", "[1,2]", "object"},
      {"POST", "", "{\"type\":\"rules\"}", "name"},
      {"POST", "", "{\"name\":5}", "name"},
      {"POST", "", "{\"name\":\"x\",\"type\":\"robot\"}", "type"},
      {"POST", "", "{\"name\":\"x\",\"config\":{\"rules\":\"yes\"}}", "config.rules"},
      {"POST", "", "{\"name\":\"x\",\"config\":{\"rules\":[{\"reply\":\"r\"}]}}", "match"},
      {"POST", "", "{\"name\":\"x\",\"config\":7}", "config"},
      {"POST", "", "{\"name\":\"x\",\"id\":\"not ok!\"}", "id"},
      {"PATCH", "/a01", "{\"name\":\"\"}", "name"},
      {"PATCH", "/a01", "{\"id\":\"other\"}", "id"},
      {"GET", "?limit=0", "", "limit"},
      {"GET", "?limit=201", "", "limit"},
      {"GET", "?limit=ten", "", "limit"},
      {"GET", "?skip=-1", "", "skip"},
  };
  for (const auto& c : cases) {
    auto r = acme_->call(c.method, c.path, c.body);
    const std::string what = std::string(c.method) + " " + c.path + " " + c.body;
    EXPECT_EQ(r.status, 400) << what << " -> " << r.body;
    EXPECT_EQ(errorCode(r), "VALIDATION_ERROR") << what;
    EXPECT_TRUE(contains(errorMessage(r), c.field)) << what << " -> " << errorMessage(r);
    auto meta = parseObject(r.body)->getObject("meta");
    EXPECT_TRUE(meta && !meta->optValue<std::string>("operationId", "").empty()) << what;
  }
  // An id outside the allowed alphabet in a path.
  auto badPath = httpCall("GET", host_->baseUrl() + "/api/database/ac.me!/chat-agents", "",
                          bearer(tokenFor(kJwtSecret, {"*"})));
  EXPECT_EQ(badPath.status, 400) << badPath.body;
  EXPECT_EQ(errorCode(badPath), "VALIDATION_ERROR");
  // Nothing was created or changed by the refused calls.
  auto all = acme_->call("GET", "");
  EXPECT_EQ(idsOf(all), (std::vector<std::string>{"a01"}));
  EXPECT_EQ(parseObject(acme_->call("GET", "/a01").body)
                ->getObject("data")
                ->getValue<std::string>("name"),
            "Shop");
}

TEST_P(BackendsTest, InstagramFlowConnectWebhookReplyHistoryDisconnect) {
  connectShop();
  auto status = parseObject(acme_->call("GET", "/shop/instagram/status").body)->getObject("data");
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->getValue<bool>("isConnected"));
  EXPECT_TRUE(status->getValue<bool>("isActive"));
  EXPECT_EQ(status->getObject("accountInfo")->getValue<std::string>("username"), "acme_shop");

  auto ack = webhook("shop", "m1", "Hi! What is the price?");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.body, "EVENT_RECEIVED");
  ASSERT_TRUE(eventually([&] { return !sentTexts().empty(); })) << host_->log();
  // Meta redelivers m1, then a new message: one more reply, none for the duplicate.
  ASSERT_EQ(webhook("shop", "m1", "Hi! What is the price?").status, 200);
  ASSERT_EQ(webhook("shop", "m2", "ok, thank you").status, 200);
  ASSERT_TRUE(eventually([&] { return settled(3); })) << host_->log();
  EXPECT_EQ(eventsDone(), 3);
  EXPECT_EQ(sentTexts(), (std::vector<std::string>{kPriceReply, kFallback}));
  for (const auto& s : sentMessages(graph_->baseUrl())) EXPECT_EQ(s.recipientId, kUser);

  EXPECT_EQ(history("shop"),
            (std::vector<std::string>{
                "inbound:Hi! What is the price?", std::string("outbound:") + kPriceReply,
                "inbound:ok, thank you", std::string("outbound:") + kFallback}));

  auto off = acme_->call("POST", "/shop/instagram/disconnect");
  ASSERT_EQ(off.status, 200) << off.body;
  auto after = parseObject(acme_->call("GET", "/shop/instagram/status").body)->getObject("data");
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->getValue<bool>("isConnected"));
  // Meta may still deliver, to the app subscription or the agent's webhook (signed with the app
  // secret, the agent's own is erased): acknowledged and dropped, never answered; history kept.
  const std::string late = messageWebhook(kShop.accountId, kUser, mid("m3"), "price?", nowMillis());
  const std::vector<std::pair<std::string, std::string>> signedByApp = {
      {"X-Hub-Signature-256", hubSignature("app-secret-xyz", late)}};
  auto appAck = httpCall("POST", host_->baseUrl() + "/webhooks/instagram", late, signedByApp);
  EXPECT_EQ(appAck.status, 200) << appAck.body;
  auto agentAck = httpCall("POST", acme_->url("/shop/instagram/webhook"), late, signedByApp);
  EXPECT_EQ(agentAck.status, 200) << agentAck.body;
  EXPECT_EQ(metricSum(host_->baseUrl(), "chathost_instagram_webhook_events_total",
                      {{"result", "dropped"}}),
            2);
  EXPECT_EQ(sentTexts().size(), 2u);
  EXPECT_EQ(history("shop").size(), 4u);
}

TEST_P(BackendsTest, RestartOnTheSameDataKeepsAgentsConnectionsAndHistory) {
  connectShop();
  ASSERT_EQ(acme_->createRulesAgent("helper", "Helper"), 201);
  ASSERT_EQ(webhook("shop", "m1", "price please").status, 200);
  ASSERT_TRUE(eventually([&] { return settled(1); })) << host_->log();

  restartHost();

  auto list = acme_->call("GET", "");
  EXPECT_EQ(idsOf(list), (std::vector<std::string>{"shop", "helper"}));
  auto status = parseObject(acme_->call("GET", "/shop/instagram/status").body)->getObject("data");
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->getValue<bool>("isConnected"));
  EXPECT_TRUE(status->getValue<bool>("isActive"));
  EXPECT_EQ(status->getObject("accountInfo")->getValue<std::string>("username"), "acme_shop");
  EXPECT_EQ(history("shop"), (std::vector<std::string>{"inbound:price please",
                                                       std::string("outbound:") + kPriceReply}));

  // The stored (encrypted) credentials still work, and an event answered before the restart is
  // not answered again when Meta redelivers it (the in-memory dedup of SQLite hosts is gone).
  ASSERT_EQ(webhook("shop", "m1", "price please").status, 200);
  ASSERT_EQ(webhook("shop", "m2", "bye").status, 200);
  ASSERT_TRUE(eventually([&] { return settled(2); })) << host_->log();
  EXPECT_EQ(sentTexts(), (std::vector<std::string>{kPriceReply, kFallback}));
  EXPECT_EQ(history("shop").size(), 4u);
}

TEST_P(BackendsTest, ReadyzIsOkWithEveryCheck) {
  auto health = httpCall("GET", host_->baseUrl() + "/healthz");
  EXPECT_EQ(health.status, 200);
  auto ready = httpCall("GET", host_->baseUrl() + "/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_TRUE(contains(ready.contentType, "application/json")) << ready.contentType;
  auto data = parseObject(ready.body)->getObject("data");
  ASSERT_TRUE(data) << ready.body;
  EXPECT_EQ(data->getValue<std::string>("status"), "ready");
  auto checks = data->getObject("checks");
  ASSERT_TRUE(checks) << ready.body;
  EXPECT_EQ(checks->optValue<std::string>("storage", ""), "ok") << ready.body;
  if (GetParam() == Backend::kPostgresRedis) {
    EXPECT_EQ(checks->optValue<std::string>("redis", ""), "ok") << ready.body;
    EXPECT_TRUE(contains(host_->log(), "postgresql")) << "storage backend not logged";
  } else {
    EXPECT_FALSE(checks->has("redis")) << ready.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

// PostgreSQL with a private Redis that the test stops and starts under the running host.
class RedisOutageTest : public HostOnBackend {
 protected:
  void SetUp() override {
    auto redis = RedisServerProcess::start(dir_.path());
    ASSERT_TRUE(redis) << "redis-server did not start";
    redis_.emplace(std::move(*redis));
    startStack(Backend::kPostgresRedis, redis_->port());
  }
  void TearDown() override {
    HostOnBackend::TearDown();
    redis_.reset();
  }

  HttpResult ready() const { return httpCall("GET", host_->baseUrl() + "/readyz"); }

  std::optional<RedisServerProcess> redis_;
};

TEST_F(RedisOutageTest, HostKeepsAnsweringOnceWhileRedisIsDownAndRecovers) {
  ASSERT_EQ(ready().status, 200) << ready().body;
  connectShop();

  ASSERT_TRUE(redis_->stop());
  HttpResult down;
  ASSERT_TRUE(eventually([&] {
    down = ready();
    return down.status == 503;
  })) << down.body;
  EXPECT_EQ(errorCode(down), "SERVICE_UNAVAILABLE");
  EXPECT_TRUE(contains(errorMessage(down), "redis")) << down.body;
  EXPECT_FALSE(contains(errorMessage(down), "storage")) << down.body;
  // What is down, never the driver's text: no address, port or socket error reaches the client.
  EXPECT_FALSE(contains(down.body, "127.0.0.1")) << down.body;
  EXPECT_FALSE(contains(down.body, std::to_string(redis_->port()))) << down.body;
  EXPECT_FALSE(contains(down.body, "refused")) << down.body;
  EXPECT_TRUE(contains(down.body, "\"redis\":\"down\"")) << down.body;
  EXPECT_TRUE(contains(host_->log(), "readiness check failed")) << "the reason is not logged";

  // Webhooks are still acknowledged; events are processed, a redelivery is not answered twice.
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"m1", "what is the price?"}, {"m1", "what is the price?"}, {"m2", "great"}}) {
    auto ack = webhook("shop", name, text);
    EXPECT_EQ(ack.status, 200) << name << " " << ack.body;
  }
  ASSERT_TRUE(eventually([&] { return settled(3); }, std::chrono::seconds(20))) << host_->log();
  EXPECT_EQ(sentTexts(), (std::vector<std::string>{kPriceReply, kFallback}));
  EXPECT_EQ(history("shop").size(), 4u);

  ASSERT_TRUE(redis_->restart());
  HttpResult up;
  ASSERT_TRUE(eventually([&] {
    up = ready();
    return up.status == 200;
  })) << up.body;
  EXPECT_EQ(
      parseObject(up.body)->getObject("data")->getObject("checks")->getValue<std::string>("redis"),
      "ok");
  // Redis dedup works again: a new message and its redelivery give one reply.
  ASSERT_EQ(webhook("shop", "m3", "price again").status, 200);
  ASSERT_EQ(webhook("shop", "m3", "price again").status, 200);
  ASSERT_TRUE(eventually([&] { return settled(5); })) << host_->log();
  EXPECT_EQ(sentTexts(), (std::vector<std::string>{kPriceReply, kFallback, kPriceReply}));
  EXPECT_GE(metricSum(host_->baseUrl(), "chathost_instagram_events_processed_total",
                      {{"result", "duplicate"}}),
            1);
}

}  // namespace
}  // namespace chathost::testing
