#include "agents/endpoint_address_check.h"

#include "agents/agent_validation.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

std::string openAi(const std::string& baseUrl) {
  return R"({"base_url":")" + baseUrl + R"(","model":"m"})";
}

std::string http(const std::string& url) {
  return R"({"url":")" + url + R"("})";
}

TEST(EndpointAddressCheck, RefusesLiteralPrivateAddressesInEveryForm) {
  const EgressPolicy policy;
  for (const std::string url :
       {"http://127.0.0.1:8080/v1", "http://2130706433/", "http://0x7f000001/",
        "http://0177.0.0.1/", "http://127.1/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/",
        "http://evil.example@127.0.0.1/", "https://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/", "http://192.168.0.1/", "http://0.0.0.0:9/", "http://[fd00:ec2::254]/",
        "HTTP://127.0.0.1/"}) {
    auto s = checkEndpointAddress("openai", openAi(url), policy);
    EXPECT_EQ(s.code(), sdk::ErrorCode::kValidation) << url;
    EXPECT_EQ(s.message().rfind("config.base_url ", 0), 0u) << s.message();
    EXPECT_NE(s.message().find("agents.allow_networks"), std::string::npos) << s.message();

    auto h = checkEndpointAddress("http", http(url), policy);
    EXPECT_EQ(h.code(), sdk::ErrorCode::kValidation) << url;
    EXPECT_EQ(h.message().rfind("config.url ", 0), 0u) << h.message();
  }
}

TEST(EndpointAddressCheck, NamesTheAddressAndTheRange) {
  auto s = checkEndpointAddress("http", http("http://2130706433:1/"), EgressPolicy());
  EXPECT_NE(s.message().find("127.0.0.1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("loopback"), std::string::npos) << s.message();
  s = checkEndpointAddress("http", http("http://169.254.169.254/"), EgressPolicy());
  EXPECT_NE(s.message().find("metadata"), std::string::npos) << s.message();
}

TEST(EndpointAddressCheck, HostNamesAndPublicAddressesPass) {
  const EgressPolicy policy;
  for (const std::string url :
       {"http://localhost:8080/", "https://api.openai.com/v1", "http://8.8.8.8/",
        "http://[2606:4700::1111]/", "http://127.0.0.1.example/"}) {
    EXPECT_TRUE(checkEndpointAddress("openai", openAi(url), policy)) << url;
    EXPECT_TRUE(checkEndpointAddress("http", http(url), policy)) << url;
  }
}

TEST(EndpointAddressCheck, AllowedNetworksPass) {
  auto policy = EgressPolicy::fromCidrs({"127.0.0.0/8"});
  ASSERT_TRUE(policy);
  EXPECT_TRUE(checkEndpointAddress("openai", openAi("http://127.0.0.1:1234/v1"), *policy));
  EXPECT_TRUE(checkEndpointAddress("http", http("http://2130706433/"), *policy));
  EXPECT_FALSE(checkEndpointAddress("http", http("http://[::1]/"), *policy));
  EXPECT_FALSE(checkEndpointAddress("http", http("http://10.0.0.1/"), *policy));
}

TEST(EndpointAddressCheck, OtherTypesAndMissingFieldsAreLeftToTheSchema) {
  const EgressPolicy policy;
  EXPECT_TRUE(checkEndpointAddress("rules", R"({"url":"http://127.0.0.1/"})", policy));
  EXPECT_TRUE(checkEndpointAddress("openai", R"({"model":"m"})", policy));
  EXPECT_TRUE(checkEndpointAddress("http", R"({"url":5})", policy));
  EXPECT_TRUE(checkEndpointAddress("http", "not json", policy));
}

TEST(EndpointAddressCheck, CreateAndUpdateApplyTheAgentPolicysEgress) {
  const std::string loopbackAgent =
      R"({"name":"a","type":"http","config":{"url":"http://127.0.0.1:9/hook"}})";
  auto refused = parseAgentCreate(loopbackAgent, "sub1", AgentPolicy{});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(refused.status().message().rfind("config.url ", 0), 0u);

  AgentPolicy local;
  local.egress = *EgressPolicy::fromCidrs({"127.0.0.1/32"});
  EXPECT_TRUE(parseAgentCreate(loopbackAgent, "sub1", local));

  sdk::AgentInfo current{"a1", "sub1", "A", "rules", "{}", 1, 1};
  auto patched =
      applyAgentPatch(R"({"type":"openai","config":{"base_url":"http://[::1]:9/v1","model":"m"}})",
                      current, AgentPolicy{});
  ASSERT_FALSE(patched);
  EXPECT_EQ(patched.status().message().rfind("config.base_url ", 0), 0u);
}

}  // namespace
}  // namespace chathost::host
