#include "outbound/egress_policy.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

IpAddress ip(const std::string& text) {
  auto parsed = parseCanonicalIp(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(IpAddress{});
}

std::string reasonFor(const std::string& text) {
  return refusedRangeOf(ip(text)).value_or("");
}

TEST(EgressPolicy, RefusesEveryNonPublicIpv4Range) {
  struct Case {
    const char* address;
    const char* reason;
  };
  for (const Case& c : {
           Case{"127.0.0.1", "loopback"},
           Case{"127.255.255.254", "loopback"},
           Case{"0.0.0.0", "unspecified"},
           Case{"0.1.2.3", "unspecified"},
           Case{"10.1.2.3", "RFC 1918"},
           Case{"172.16.0.1", "RFC 1918"},
           Case{"172.31.255.255", "RFC 1918"},
           Case{"192.168.1.1", "RFC 1918"},
           Case{"100.64.0.1", "carrier-grade NAT"},
           Case{"100.127.255.255", "carrier-grade NAT"},
           Case{"169.254.169.254", "cloud metadata"},
           Case{"169.254.1.1", "link-local"},
           Case{"192.0.0.8", "IETF protocol"},
           Case{"192.0.2.1", "documentation"},
           Case{"198.18.0.1", "benchmarking"},
           Case{"198.19.255.255", "benchmarking"},
           Case{"198.51.100.1", "documentation"},
           Case{"203.0.113.1", "documentation"},
           Case{"192.88.99.1", "6to4 relay"},
           Case{"224.0.0.1", "multicast"},
           Case{"239.255.255.250", "multicast"},
           Case{"240.0.0.1", "reserved"},
           Case{"255.255.255.255", "broadcast"},
       }) {
    EXPECT_NE(reasonFor(c.address).find(c.reason), std::string::npos)
        << c.address << " -> " << reasonFor(c.address);
  }
}

TEST(EgressPolicy, RefusesEveryNonPublicIpv6Range) {
  struct Case {
    const char* address;
    const char* reason;
  };
  for (const Case& c : {
           Case{"::1", "loopback"},
           Case{"::", "unspecified"},
           Case{"fe80::1", "link-local"},
           Case{"febf::1", "link-local"},
           Case{"fd00:ec2::254", "cloud metadata"},
           Case{"fc00::1", "unique local"},
           Case{"fdff:ffff::1", "unique local"},
           Case{"ff02::1", "multicast"},
           Case{"fec0::1", "site-local"},
           Case{"2001:db8::1", "documentation"},
           Case{"100::1", "discard"},
           Case{"2001::1", "Teredo"},
           Case{"::7f00:1", "IPv4-compatible"},
           Case{"64:ff9b:1::1", "NAT64"},
           // Forms that carry an IPv4 address are judged by it.
           Case{"::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1: loopback"},
           Case{"::ffff:169.254.169.254", "cloud metadata"},
           Case{"::ffff:10.0.0.1", "RFC 1918"},
           Case{"::ffff:0:192.168.0.1", "IPv4-translated"},
           Case{"64:ff9b::7f00:1", "NAT64 form of 127.0.0.1: loopback"},
           Case{"64:ff9b::a9fe:a9fe", "cloud metadata"},
           Case{"2002:7f00:1::", "6to4 form of 127.0.0.1: loopback"},
           Case{"2002:c0a8:101::1", "6to4 form of 192.168.1.1"},
       }) {
    EXPECT_NE(reasonFor(c.address).find(c.reason), std::string::npos)
        << c.address << " -> " << reasonFor(c.address);
  }
}

TEST(EgressPolicy, AllowsGloballyRoutableAddresses) {
  for (const char* address :
       {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "169.255.0.1",
        "198.20.0.1", "223.255.255.255", "2606:4700::1111", "2a00:1450:4001::200e",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_FALSE(refusedRangeOf(ip(address))) << address << " -> " << reasonFor(address);
  }
}

TEST(EgressPolicy, OperatorAllowedNetworksPass) {
  auto policy = EgressPolicy::fromCidrs({"127.0.0.0/8", "fd00::/8"});
  ASSERT_TRUE(policy);
  EXPECT_TRUE(policy->check(ip("127.0.0.1")).allowed);
  EXPECT_TRUE(policy->check(ip("::ffff:127.0.0.1")).allowed);  // the same socket destination
  EXPECT_TRUE(policy->check(ip("fd12::1")).allowed);
  EXPECT_TRUE(policy->check(ip("8.8.8.8")).allowed);

  auto refused = policy->check(ip("10.0.0.1"));
  EXPECT_FALSE(refused.allowed);
  EXPECT_NE(refused.reason.find("RFC 1918"), std::string::npos);
  EXPECT_FALSE(policy->check(ip("::1")).allowed);  // 127/8 does not cover IPv6 loopback
  EXPECT_FALSE(policy->check(ip("fc00::1")).allowed);
  EXPECT_FALSE(policy->check(ip("169.254.169.254")).allowed);
}

TEST(EgressPolicy, DefaultPolicyRefusesLoopbackAndMetadata) {
  EgressPolicy policy;
  for (const char* address : {"127.0.0.1", "::1", "169.254.169.254", "fd00:ec2::254", "0.0.0.0"}) {
    auto decision = policy.check(ip(address));
    EXPECT_FALSE(decision.allowed) << address;
    EXPECT_FALSE(decision.reason.empty());
  }
}

TEST(EgressPolicy, MalformedAllowNetworksNameTheEntry) {
  auto policy = EgressPolicy::fromCidrs({"127.0.0.0/8", "10.0.0.0/99"});
  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.status().code(), sdk::ErrorCode::kValidation);
  EXPECT_NE(policy.status().message().find("agents.allow_networks[1]"), std::string::npos);
  EXPECT_NE(policy.status().message().find("10.0.0.0/99"), std::string::npos);
}

}  // namespace
}  // namespace chathost::host
