// The `agents:` section: defaults, every key, and a clear FILE:LINE:COLUMN error per bad value.
#include "config/config_loader.h"
#include "test_env.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

ConfigLoadResult load(const std::string& text) {
  return loadConfigText(text, "test.yaml", testing::fakeEnv({}));
}

void expectOneError(const std::string& text, int line, int column, const std::string& fragment) {
  ConfigLoadResult r = load(text);
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u) << formatErrors(r.errors);
  EXPECT_EQ(r.errors[0].line, line) << formatErrors(r.errors);
  EXPECT_EQ(r.errors[0].column, column) << formatErrors(r.errors);
  EXPECT_NE(r.errors[0].message.find(fragment), std::string::npos) << formatErrors(r.errors);
}

TEST(AgentsSection, DefaultsAllowOnlyChathostAgentVariables) {
  for (const char* text : {"", "agents:\n", "agents:\n  env_allowlist:\n"}) {
    ConfigLoadResult r = load(text);
    ASSERT_TRUE(r.config) << formatErrors(r.errors);
    EXPECT_EQ(r.config->agents.envAllowlist, std::vector<std::string>{"CHATHOST_AGENT_*"});
    EXPECT_TRUE(r.config->agents.allowNetworks.empty());
    EXPECT_EQ(r.config->agents.maxTimeoutMs, 30000);
    EXPECT_EQ(r.config->agents.maxConcurrentPerAgent, 4);
  }
}

TEST(AgentsSection, ReadsEveryKey) {
  ConfigLoadResult r = load(R"(agents:
  env_allowlist: [OPENAI_API_KEY, "LLM_*", "*"]
  allow_networks:
    - 127.0.0.1/32
    - 192.168.1.0/24
    - "::1/128"
    - fc00::/7
  max_timeout_ms: 5000
  max_concurrent_per_agent: 16
)");
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  const AgentsConfig& a = r.config->agents;
  EXPECT_EQ(a.envAllowlist, (std::vector<std::string>{"OPENAI_API_KEY", "LLM_*", "*"}));
  EXPECT_EQ(a.allowNetworks,
            (std::vector<std::string>{"127.0.0.1/32", "192.168.1.0/24", "::1/128", "fc00::/7"}));
  EXPECT_EQ(a.maxTimeoutMs, 5000);
  EXPECT_EQ(a.maxConcurrentPerAgent, 16);
}

TEST(AgentsSection, AnEmptyAllowlistAllowsNoVariable) {
  ConfigLoadResult r = load("agents:\n  env_allowlist: []\n");
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  EXPECT_TRUE(r.config->agents.envAllowlist.empty());
}

TEST(AgentsSection, UnknownKeyIsReportedAtTheKey) {
  expectOneError("agents:\n  env_alowlist: [A]\n", 2, 3,
                 "unknown key 'env_alowlist' in agents (did you mean 'env_allowlist'?)");
}

TEST(AgentsSection, AllowlistEntriesAreNamesWithAnOptionalTrailingStar) {
  expectOneError("agents:\n  env_allowlist: [GOOD, \"*_KEY\"]\n", 2, 25,
                 "agents.env_allowlist[1]: must be an environment variable name, optionally "
                 "ending in '*'");
  expectOneError("agents:\n  env_allowlist:\n    - A*B\n", 3, 7, "got \"A*B\"");
  expectOneError("agents:\n  env_allowlist:\n    - 1ABC\n", 3, 7, "env_allowlist[0]");
  expectOneError("agents:\n  env_allowlist:\n    - \"\"\n", 3, 7, "must not be empty");
  expectOneError("agents:\n  env_allowlist: CHATHOST_AGENT_*\n", 2, 18,
                 "agents.env_allowlist: expected a list, got a scalar");
  expectOneError("agents:\n  env_allowlist:\n    - {a: b}\n", 3, 7, "expected a single value");
}

TEST(AgentsSection, NetworksMustBeCidr) {
  expectOneError("agents:\n  allow_networks:\n    - 127.0.0.1\n", 3, 7,
                 "agents.allow_networks[0]: not a CIDR network: expected ADDRESS/PREFIX");
  expectOneError("agents:\n  allow_networks:\n    - 10.0.0.0/33\n", 3, 7,
                 "prefix length after '/' must be a number from 0 to 32");
  expectOneError("agents:\n  allow_networks:\n    - localhost/8\n", 3, 7,
                 "'localhost' is not a numeric IPv4 or IPv6 address");
  expectOneError("agents:\n  allow_networks: [\"fc00::/129\"]\n", 2, 20, "from 0 to 128");
}

TEST(AgentsSection, MaxTimeoutIsBounded) {
  expectOneError("agents:\n  max_timeout_ms: 0\n", 2, 19,
                 "agents.max_timeout_ms: must be an integer from 100 to 120000");
  expectOneError("agents:\n  max_timeout_ms: 120001\n", 2, 19, "from 100 to 120000");
}

TEST(AgentsSection, MaxConcurrentPerAgentIsAnIntegerFrom1To1000) {
  for (const char* edge : {"1", "1000"}) {
    ConfigLoadResult r = load(std::string("agents:\n  max_concurrent_per_agent: ") + edge + "\n");
    ASSERT_TRUE(r.config) << formatErrors(r.errors);
    EXPECT_EQ(r.config->agents.maxConcurrentPerAgent, std::stoi(edge));
  }
  expectOneError("agents:\n  max_concurrent_per_agent: 0\n", 2, 29,
                 "agents.max_concurrent_per_agent: must be an integer from 1 to 1000");
  expectOneError("agents:\n  max_concurrent_per_agent: 1001\n", 2, 29, "from 1 to 1000");
  expectOneError("agents:\n  max_concurrent_per_agent: four\n", 2, 29, "from 1 to 1000");
  expectOneError("agents:\n  max_concurent_per_agent: 4\n", 2, 3,
                 "did you mean 'max_concurrent_per_agent'?");
}

}  // namespace
}  // namespace chathost::host
