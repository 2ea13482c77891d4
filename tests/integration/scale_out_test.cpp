// Two chathost processes sharing one PostgreSQL schema and one Redis (SPEC section 9): webhooks
// land on either host, duplicates land on the other one, and still every message is answered
// exactly once and both hosts read the same history.

#include "support/backend_client.h"
#include "support/backend_config.h"
#include "support/backend_services.h"
#include "support/fake_graph_process.h"
#include "support/host_process.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace chathost::testing {
namespace {

constexpr const char* kJwtSecret = "scale-out-test-jwt-secret-0123456789abcdef";
constexpr const char* kReply = "The blue one is 49 EUR.";
constexpr int kMessages = 40;

const IgAccount kShop{"EAAB-page-token-1", "17841400000000001", "100200300", "acme_shop",
                      "agent-webhook-secret"};

std::string userOf(int i) {
  return "7100000" + std::to_string(100 + i);
}

// A host's view of the agent's history: chat user -> "direction:text" lines, oldest first.
using HistoryView = std::map<std::string, std::vector<std::string>>;

std::optional<HistoryView> readHistory(const AgentsApi& api, int* count) {
  auto r = api.call("GET", "/shop/instagram/messages?limit=200&skip=0");
  if (r.status != 200) return std::nullopt;
  auto data = parseObject(r.body)->getObject("data");
  if (!data) return std::nullopt;
  *count = data->optValue<int>("count", -1);
  HistoryView view;
  auto chats = data->getArray("chats");
  for (std::size_t i = 0; chats && i < chats->size(); ++i) {
    auto chat = chats->getObject(static_cast<unsigned>(i));
    const std::string user =
        chat->getObject("metadata")->getValue<std::string>("instagram_user_id");
    auto messages = chat->getArray("messages");
    for (std::size_t k = 0; messages && k < messages->size(); ++k) {
      auto m = messages->getObject(static_cast<unsigned>(k));
      view[user].push_back(m->getValue<std::string>("direction") + ":" +
                           m->getValue<std::string>("text"));
    }
  }
  return view;
}

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto dsn = fixturePostgresDsn(&why);
    ASSERT_TRUE(dsn) << why;
    dsn_ = *dsn;
    schema_ = uniqueSchemaName("scale");
    auto graph = FakeGraphProcess::start({kShop.fakeSpec()}, dir_.path());
    ASSERT_TRUE(graph);
    graph_.emplace(std::move(*graph));
  }

  // Starts hosts a and b at the same time (both run the migrations of the new schema).
  void startHosts(int redisPort, int sendRatePerSecond = -1) {
    HostConfigSpec spec;
    spec.backend = Backend::kPostgresRedis;
    spec.jwtSecret = kJwtSecret;
    spec.keyFile = dir_.file("secret.key");  // hosts sharing a database share the key
    spec.postgresDsn = dsn_;
    spec.postgresSchema = schema_;
    spec.redisPort = redisPort;
    spec.graphBaseUrl = graph_->baseUrl();
    spec.leaseMs = 30000;  // the default: a slow worker on a busy machine keeps its claim
    spec.sendRatePerSecond = sendRatePerSecond;
    std::vector<std::string> configs;
    for (const char* name : {"a", "b"}) {
      spec.dataDir = dir_.file(std::string("var-") + name);
      configs.push_back(dir_.write(std::string("host-") + name + ".yaml", hostConfigYaml(spec)));
    }
    std::optional<HostProcess> started[2];
    std::string failures[2];
    auto launch = [&](int i) {
      auto host = HostProcess::start(configs[i], dir_.path(), {}, &failures[i]);
      if (host) started[i].emplace(std::move(*host));
    };
    std::thread other(launch, 1);
    launch(0);
    other.join();
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(started[i]) << "host " << i << ": " << failures[i];
      hosts_.push_back(std::move(*started[i]));
      apis_.emplace_back(hosts_.back().baseUrl(), "acme", tokenFor(kJwtSecret, {"acme"}));
    }
  }

  void startHostsOnTheFixtureRedis(int sendRatePerSecond = -1) {
    std::string why;
    auto redisPort = fixtureRedisPort(&why);
    ASSERT_TRUE(redisPort) << why;
    startHosts(*redisPort, sendRatePerSecond);
  }

  // Created and connected once, through host a; host b sees both in the shared database.
  void connectOnce() {
    ASSERT_EQ(apis_[0].createRulesAgent("shop"), 201);
    auto connected = apis_[0].call("POST", "/shop/instagram/connect", kShop.connectBody());
    ASSERT_EQ(connected.status, 200) << connected.body;
    auto status = parseObject(apis_[1].call("GET", "/shop/instagram/status").body);
    ASSERT_TRUE(status->getObject("data")) << "host b: no status";
    EXPECT_TRUE(status->getObject("data")->getValue<bool>("isConnected"));
  }

  // Message i from user i, mids unique to this test's schema.
  std::string messageBody(int i) const {
    return messageWebhook(kShop.accountId, userOf(i), schema_ + "_mid" + std::to_string(i),
                          "price of item " + std::to_string(i), nowMillis() + i);
  }

  // Originals alternate between the hosts; each duplicate goes to the other host, concurrently.
  // Returns the HTTP status of every delivery.
  std::vector<int> deliverAllTwice() {
    std::vector<std::string> bodies;
    for (int i = 0; i < kMessages; ++i) bodies.push_back(messageBody(i));
    std::vector<int> acks(2 * kMessages, 0);
    auto deliver = [&](int offset) {
      for (int i = 0; i < kMessages; ++i) {
        const auto& api = apis_[(i + offset) % 2];
        acks[offset * kMessages + i] =
            postAgentWebhook(api, "shop", bodies[i], kShop.webhookSecret).status;
      }
    };
    std::thread duplicates(deliver, 1);
    deliver(0);
    duplicates.join();
    return acks;
  }

  // Each user got exactly one reply at the fake Graph API.
  void expectOneReplyPerUser() {
    std::map<std::string, int> repliesTo;
    const auto sent = sentMessages(graph_->baseUrl());
    for (const auto& s : sent) {
      EXPECT_EQ(s.text, kReply);
      ++repliesTo[s.recipientId];
    }
    EXPECT_EQ(sent.size(), static_cast<std::size_t>(kMessages));
    for (int i = 0; i < kMessages; ++i) EXPECT_EQ(repliesTo[userOf(i)], 1) << "user " << userOf(i);
  }

  void TearDown() override {
    hosts_.clear();
    if (!schema_.empty()) dropSchema(dsn_, schema_);
  }

  double eventsDoneOnAllHosts() const {
    double sum = 0;
    for (const auto& h : hosts_)
      sum += metricSum(h.baseUrl(), "chathost_inbox_events_total",
                       {{"channel", "instagram"}, {"outcome", "done"}});
    return sum;
  }

  bool outboxesSettled() const {
    std::vector<std::string> urls;
    for (const auto& h : hosts_) urls.push_back(h.baseUrl());
    return outboxSettled(urls);
  }

  std::string logs() const {
    std::string all;
    for (const auto& h : hosts_) all += h.log() + "\n----\n";
    return all;
  }

  TempDir dir_;
  std::string dsn_;
  std::string schema_;
  std::optional<FakeGraphProcess> graph_;
  std::vector<HostProcess> hosts_;
  std::vector<AgentsApi> apis_;
};

TEST_F(ScaleOutTest, EveryMessageIsAnsweredOnceAndBothHostsReadTheSameHistory) {
  startHostsOnTheFixtureRedis();
  connectOnce();
  const auto acks = deliverAllTwice();
  for (std::size_t i = 0; i < acks.size(); ++i) EXPECT_EQ(acks[i], 200) << "delivery " << i;

  // Every delivery (duplicates included) is finished by one host or the other; then no send can
  // still be on its way.
  ASSERT_TRUE(
      eventually([&] { return eventsDoneOnAllHosts() >= 2 * kMessages && outboxesSettled(); },
                 std::chrono::seconds(25)))
      << "done: " << eventsDoneOnAllHosts() << "\n"
      << logs();
  EXPECT_EQ(eventsDoneOnAllHosts(), 2 * kMessages);
  expectOneReplyPerUser();

  // Both hosts read the same history: one chat a user, the message and its one reply.
  int countA = 0;
  int countB = 0;
  auto historyA = readHistory(apis_[0], &countA);
  auto historyB = readHistory(apis_[1], &countB);
  ASSERT_TRUE(historyA && historyB);
  EXPECT_EQ(countA, kMessages);
  EXPECT_EQ(countB, kMessages);
  EXPECT_EQ(*historyA, *historyB);
  ASSERT_EQ(historyA->size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ((*historyA)[userOf(i)],
              (std::vector<std::string>{"inbound:price of item " + std::to_string(i),
                                        std::string("outbound:") + kReply}))
        << "user " << userOf(i);
  }
}

// Disabled until reply sending is claimed in the database: with Redis down, the hosts fall back to
// the database's unique constraints, which do not stop two hosts that process the same
// redelivered message at the same time from both sending the reply (seen: a user answered twice).
TEST_F(ScaleOutTest, WithRedisDownADuplicateOnTheOtherHostIsNotAnsweredTwice) {
  auto redis = RedisServerProcess::start(dir_.path());
  ASSERT_TRUE(redis);
  startHosts(redis->port());
  connectOnce();
  ASSERT_TRUE(redis->stop());
  const auto acks = deliverAllTwice();
  for (std::size_t i = 0; i < acks.size(); ++i) EXPECT_EQ(acks[i], 200) << "delivery " << i;
  ASSERT_TRUE(
      eventually([&] { return eventsDoneOnAllHosts() >= 2 * kMessages && outboxesSettled(); },
                 std::chrono::seconds(25)))
      << logs();
  expectOneReplyPerUser();
}

// SPEC section 10: an account's sends keep to its rate in every one-second window, counted across
// both hosts (each alone would send at the full rate, together twice as fast).
TEST_F(ScaleOutTest, AnAccountsSendsKeepToItsRateAcrossBothHosts) {
  constexpr int kRate = 10;
  constexpr int kCount = 30;
  startHostsOnTheFixtureRedis(kRate);
  connectOnce();
  for (int i = 0; i < kCount; ++i)
    ASSERT_EQ(postAgentWebhook(apis_[i % 2], "shop", messageBody(i), kShop.webhookSecret).status,
              200);
  ASSERT_TRUE(eventually([&] { return sentMessages(graph_->baseUrl()).size() >= kCount; },
                         std::chrono::seconds(25)))
      << logs();
  const auto sent = sentMessages(graph_->baseUrl());
  EXPECT_EQ(sent.size(), static_cast<std::size_t>(kCount));
  // The fake's clock is not Redis's: a send may reach it a few ms after its slot was taken, so
  // windows of 900 ms are checked (a delivery 100 ms late on a loaded machine still passes).
  constexpr std::int64_t kWindowMs = 900;
  int busiest = 0;
  for (const auto& first : sent) {
    int inWindow = 0;
    for (const auto& s : sent) inWindow += s.atMs >= first.atMs && s.atMs < first.atMs + kWindowMs;
    busiest = std::max(busiest, inWindow);
  }
  EXPECT_LE(busiest, kRate) << "sends in the busiest " << kWindowMs << " ms";
  EXPECT_GE(busiest, kRate / 2) << "the hosts did not send at the rate at all";
}

}  // namespace
}  // namespace chathost::testing
