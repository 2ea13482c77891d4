// AgentService bounds the turns of one agent running at once (agents.max_concurrent_per_agent):
// a turn over the bound returns at once with the busy answer, counted, and every way out of a
// turn gives its place back.
#include "agents/agent_busy.h"
#include "agents/agent_service.h"
#include "fake_agent_store.h"
#include "fake_observability.h"
#include "gated_http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

using namespace chathost::testing;
using namespace std::chrono_literals;

constexpr const char* kHook = R"({"url":"http://agent.example/hook"})";

class AgentServiceConcurrencyTest : public ::testing::Test {
 protected:
  /// The service under test; the fixture owns it so that it outlives the turns TearDown lets
  /// finish.
  AgentService* makeService(int maxConcurrentPerAgent) {
    AgentPolicy policy;
    policy.maxConcurrentPerAgent = maxConcurrentPerAgent;
    service_ = std::make_unique<AgentService>(
        store_, http_, metrics_, logger_, [](const std::string&) { return std::nullopt; }, policy);
    return service_.get();
  }
  void add(const std::string& subaccount, const std::string& id, const std::string& type,
           const std::string& config) {
    ASSERT_TRUE(store_.create({id, subaccount, "Agent " + id, type, config, 0, 0}).isOk());
  }
  static host::AgentTurn turn(const std::string& subaccount, const std::string& agentId) {
    return {agentId, subaccount, "chat", "instagram", "user", "hello", {}};
  }
  double turns(const std::string& type, const std::string& outcome) {
    return metrics_.value("chathost_agent_turns_total", {{"type", type}, {"outcome", outcome}});
  }
  /// Runs `n` turns of the agent on threads of their own; their answers come in `results`.
  void startTurns(AgentService& service, const std::string& subaccount, const std::string& id,
                  int n) {
    for (int i = 0; i < n; ++i) {
      running_.push_back(std::async(std::launch::async, [&service, subaccount, id] {
        return service.reply(turn(subaccount, id));
      }));
    }
  }
  std::vector<sdk::Result<host::AgentReply>> finishTurns() {
    std::vector<sdk::Result<host::AgentReply>> out;
    for (auto& f : running_) out.push_back(f.get());
    running_.clear();
    return out;
  }
  void TearDown() override {
    http_.open();  // never leave a turn waiting
    finishTurns();
  }

  FakeAgentStore store_;
  GatedHttpClient http_;
  FakeMetrics metrics_;
  FakeLogger logger_;
  std::vector<std::future<sdk::Result<host::AgentReply>>> running_;
  std::unique_ptr<AgentService> service_;  // last: destroyed first, after TearDown
};

TEST_F(AgentServiceConcurrencyTest, TheTurnOverTheLimitIsRefusedAtOnceAndCounted) {
  auto service = makeService(4);
  add("sub1", "h", "http", kHook);
  startTurns(*service, "sub1", "h", 4);
  ASSERT_TRUE(http_.waitInFlight(4));

  auto refused = std::async(std::launch::async, [&] { return service->reply(turn("sub1", "h")); });
  ASSERT_EQ(refused.wait_for(5s), std::future_status::ready) << "the fifth turn waited";
  auto answer = refused.get();
  ASSERT_FALSE(answer);
  EXPECT_TRUE(isAgentBusy(answer.status()));
  EXPECT_EQ(answer.status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_NE(answer.status().message().find("agents.max_concurrent_per_agent"), std::string::npos);
  EXPECT_EQ(turns("http", "busy"), 1);
  EXPECT_EQ(http_.calls(), 4) << "a refused turn must not reach the endpoint";
  EXPECT_TRUE(
      metrics_.observations("chathost_agent_turn_duration_seconds", {{"type", "http"}}).empty());

  http_.open();
  for (auto& r : finishTurns()) EXPECT_EQ(r->text, "done");
  EXPECT_EQ(turns("http", "replied"), 4);
  // The places are free again.
  EXPECT_EQ(service->reply(turn("sub1", "h"))->text, "done");
}

TEST_F(AgentServiceConcurrencyTest, OtherAgentsAndOtherTenantsKeepRunning) {
  auto service = makeService(1);
  add("sub1", "h", "http", kHook);
  add("sub2", "h", "http", kHook);  // same id, another tenant: another agent
  add("sub1", "r", "rules", R"({"rules":[{"match":"hello","reply":"Hi!"}]})");
  startTurns(*service, "sub1", "h", 1);
  ASSERT_TRUE(http_.waitInFlight(1));
  EXPECT_TRUE(isAgentBusy(service->reply(turn("sub1", "h")).status()));

  startTurns(*service, "sub2", "h", 1);
  EXPECT_TRUE(http_.waitInFlight(2)) << "sub2's agent h was refused because of sub1's";
  // rules agents are not bounded and never wait for anyone.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(service->reply(turn("sub1", "r"))->text, "Hi!");
  EXPECT_EQ(turns("rules", "busy"), 0);
  EXPECT_EQ(turns("http", "busy"), 1);
}

TEST_F(AgentServiceConcurrencyTest, RulesAgentsAreNeverRefused) {
  auto service = makeService(1);
  add("sub1", "r", "rules", R"({"rules":[{"match":"hello","reply":"Hi!"}]})");
  std::vector<std::thread> threads;
  std::atomic<int> replied{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) replied += service->reply(turn("sub1", "r"))->text == "Hi!";
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(replied.load(), 1600);
  EXPECT_EQ(turns("rules", "busy"), 0);
}

TEST_F(AgentServiceConcurrencyTest, FailedAndThrowingTurnsGiveTheirPlaceBack) {
  auto service = makeService(1);
  add("sub1", "h", "http", kHook);
  add("sub1", "o", "openai", R"({"base_url":"http://agent.example/v1","model":"m"})");
  http_.open(GatedHttpClient::Answer::kFail);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(service->reply(turn("sub1", "h")).status().code(), sdk::ErrorCode::kTimeout);
    EXPECT_EQ(service->reply(turn("sub1", "o")).status().code(), sdk::ErrorCode::kTimeout);
  }
  http_.open(GatedHttpClient::Answer::kThrow);
  for (int i = 0; i < 3; ++i) {
    auto thrown = service->reply(turn("sub1", "h"));
    ASSERT_FALSE(thrown);
    EXPECT_FALSE(isAgentBusy(thrown.status())) << thrown.status().message();
  }
  http_.open(GatedHttpClient::Answer::kReply);
  EXPECT_EQ(service->reply(turn("sub1", "h"))->text, "done");
  EXPECT_EQ(turns("http", "busy"), 0);
  EXPECT_EQ(turns("openai", "busy"), 0);
  EXPECT_EQ(turns("http", "timeout"), 3);
}

TEST_F(AgentServiceConcurrencyTest, TheDefaultLimitIsFour) {
  EXPECT_EQ(AgentPolicy{}.maxConcurrentPerAgent, 4);
}

}  // namespace
}  // namespace chathost::host
