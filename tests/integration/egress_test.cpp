// The egress policy through the real host (SPEC section 10): a tenant's agent must not make the
// host call its own loopback or private network and read the answer back in the chat.

#include "support/edge_agent_endpoint.h"
#include "support/edge_instance.h"
#include "support/edge_payloads.h"
#include "support/edge_wait.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace chathost::testing {
namespace {

using namespace edge;

const EdgeAccount kAccount{"EAAB-egress-token", "17841400000000511", "200300511", "acme_egress"};
constexpr const char* kUser = "6677000051";
constexpr const char* kHookPath = "/hooks/agent";

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

// Message ids are unique per test: the fixture's Redis remembers them across the tests of a run.
std::string uniqueMid() {
  static int next = 0;
  return "aWdfZAegress" + std::to_string(::getpid()) + "_" + std::to_string(++next);
}

class EgressTest : public ::testing::TestWithParam<Backend> {
 protected:
  // allowNetworks: the `agents.allow_networks` list as YAML, or empty for none.
  void startHost(const std::string& allowNetworks) {
    ASSERT_TRUE(endpoint_.ok());
    EdgeOptions options;
    options.backend = GetParam();
    options.accounts = {kAccount};
    options.agentsYaml =
        allowNetworks.empty() ? "" : "agents:\n  allow_networks: " + allowNetworks + "\n";
    std::string failure;
    edge_ = EdgeInstance::start(options, failure);
    ASSERT_TRUE(edge_) << failure;
  }
  std::string port() const {
    return endpoint_.baseUrl().substr(endpoint_.baseUrl().rfind(':') + 1);
  }
  double turns(const std::string& type, const std::string& outcome) const {
    return edge_->metric("chathost_agent_turns_total", {{"type", type}, {"outcome", outcome}});
  }
  // Creates an http agent at `url`, connects it, and sends it one DM.
  void dmHttpAgent(const std::string& url) {
    auto created = edge_->createAgent("hook", "http", "{\"url\":" + quote(url) + "}");
    ASSERT_EQ(created.status, 201) << created.body;
    ASSERT_EQ(edge_->connect("hook", kAccount, "hook-secret").status, 200);
    auto webhook = edge_->postWebhook(
        "hook", textWebhook(kUser, kAccount.igId, nowMs(), uniqueMid(), "What is in there?"),
        "hook-secret");
    ASSERT_EQ(webhook.status, 200);
  }

  FakeAgentEndpoint endpoint_;
  std::unique_ptr<EdgeInstance> edge_;
};

TEST_P(EgressTest, LiteralLoopbackEndpointsAreRefusedAtCreateAndUpdate) {
  startHost("");
  const std::string p = port();
  struct Case {
    const char* type;
    const char* field;
    std::string url;
  };
  for (const Case& c : {Case{"openai", "config.base_url", "http://127.0.0.1:" + p + "/v1"},
                        Case{"openai", "config.base_url", "http://2130706433:" + p + "/v1"},
                        Case{"openai", "config.base_url", "http://0x7f000001:" + p + "/v1"},
                        Case{"http", "config.url", "http://0177.0.0.1:" + p + kHookPath},
                        Case{"http", "config.url", "http://127.1:" + p + kHookPath},
                        Case{"http", "config.url", "http://[::1]:" + p + kHookPath},
                        Case{"http", "config.url", "http://[::ffff:127.0.0.1]:" + p + kHookPath},
                        Case{"http", "config.url", "http://evil.example@127.0.0.1:" + p},
                        Case{"http", "config.url", "http://169.254.169.254/latest/meta-data"},
                        Case{"http", "config.url", "http://0.0.0.0:" + p},
                        Case{"http", "config.url", "http://192.168.1.1/"}}) {
    const std::string config = std::string(c.type) == "openai"
                                   ? "{\"base_url\":" + quote(c.url) + ",\"model\":\"m\"}"
                                   : "{\"url\":" + quote(c.url) + "}";
    auto r = edge_->createAgent("evil", c.type, config);
    ASSERT_EQ(r.status, 400) << c.url << ": " << r.body;
    auto body = parse(r.body);
    EXPECT_EQ(body->getValue<std::string>("code"), "VALIDATION_ERROR");
    EXPECT_NE(body->getValue<std::string>("message").find(c.field), std::string::npos) << r.body;
  }

  // An update cannot bring the address in either.
  auto rules = edge_->createAgent("plain", "rules", "{}");
  ASSERT_EQ(rules.status, 201) << rules.body;
  auto patched = edge_->api("PATCH", "/plain",
                            "{\"type\":\"http\",\"config\":{\"url\":" +
                                quote("http://127.0.0.1:" + p + kHookPath) + "}}");
  ASSERT_EQ(patched.status, 400) << patched.body;
  EXPECT_NE(patched.body.find("config.url"), std::string::npos);
  EXPECT_TRUE(endpoint_.requests().empty());
}

TEST_P(EgressTest, AllowedNetworksMayBeCalled) {
  startHost("[\"127.0.0.1/32\"]");
  endpoint_.setReply("Local model here.");
  dmHttpAgent(endpoint_.baseUrl() + kHookPath);
  ASSERT_TRUE(eventually([&] { return !edge_->sent().empty(); })) << edge_->host().log();
  EXPECT_EQ(edge_->sent().at(0).text, "Local model here.");
}

TEST_P(EgressTest, HostNameResolvingToLoopbackIsCreatedButNeverCalled) {
  startHost("");
  endpoint_.setReply("the host's private data");
  dmHttpAgent("http://localhost:" + port() + kHookPath);

  ASSERT_TRUE(eventually([&] { return turns("http", "error") >= 1; })) << edge_->host().log();
  EXPECT_TRUE(endpoint_.requests().empty());
  EXPECT_TRUE(edge_->sent().empty());
  const std::string log = edge_->host().log();
  EXPECT_NE(log.find("egress policy refuses host localhost"), std::string::npos) << log;
  EXPECT_EQ(log.find("the host's private data"), std::string::npos);
  EXPECT_EQ(httpCall("GET", edge_->baseUrl() + "/healthz").status, 200);
}

TEST_P(EgressTest, RedirectsAreNotFollowed) {
  startHost("[\"127.0.0.0/8\"]");
  endpoint_.setMode(kHookPath, FakeAgentEndpoint::Mode::kRedirect);
  dmHttpAgent(endpoint_.baseUrl() + kHookPath);

  ASSERT_TRUE(eventually([&] { return turns("http", "error") >= 1; })) << edge_->host().log();
  EXPECT_FALSE(endpoint_.requestsTo(kHookPath).empty());
  EXPECT_TRUE(endpoint_.requestsTo("/redirected").empty());
  EXPECT_TRUE(edge_->sent().empty());
  const std::string log = edge_->host().log();
  EXPECT_NE(log.find("HTTP 302"), std::string::npos) << log;
  EXPECT_EQ(log.find("from the redirect page"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, EgressTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

}  // namespace
}  // namespace chathost::testing
