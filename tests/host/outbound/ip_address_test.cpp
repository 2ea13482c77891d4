#include "outbound/ip_address.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

IpAddress v6(const std::string& text) {
  auto parsed = parseCanonicalIp(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(IpAddress{});
}

TEST(IpAddress, CanonicalLiteralsOnly) {
  EXPECT_EQ(parseCanonicalIp("127.0.0.1"), IpAddress::v4(127, 0, 0, 1));
  EXPECT_EQ(parseCanonicalIp("255.255.255.255"), IpAddress::v4(255, 255, 255, 255));
  EXPECT_EQ(parseCanonicalIp("::1")->toString(), "::1");
  EXPECT_EQ(parseCanonicalIp("::ffff:127.0.0.1")->toString(), "::ffff:127.0.0.1");
  for (const char* odd :
       {"2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.0.01", "256.0.0.1", "1.2.3.4.5",
        "1.2.3.", "", "[::1]", "::1%lo", "localhost", " 1.2.3.4", "1.2.3.4 ", "-1.2.3.4"}) {
    EXPECT_FALSE(parseCanonicalIp(odd)) << odd;
  }
}

TEST(IpAddress, NumericHostsAreReadAsTheSystemReadsThem) {
  const IpAddress loopback = IpAddress::v4(127, 0, 0, 1);
  for (const char* form : {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1",
                           "127.0.1", "0x7f.0.0.1", "017700000001"}) {
    EXPECT_EQ(parseNumericHost(form), loopback) << form;
  }
  EXPECT_EQ(parseNumericHost("0"), IpAddress::v4(0, 0, 0, 0));
  EXPECT_EQ(parseNumericHost("[::1]"), v6("::1"));
  EXPECT_EQ(parseNumericHost("::1"), v6("::1"));
  EXPECT_EQ(parseNumericHost("[::ffff:127.0.0.1]"), v6("::ffff:7f00:1"));
  EXPECT_EQ(parseNumericHost("fe80::1%eth0"), v6("fe80::1"));
  for (const char* name : {"localhost", "localhost.", "example.com", "1.2.3.4.example.com",
                           "[not-an-address]", "", "1.2.3.256"}) {
    EXPECT_FALSE(parseNumericHost(name)) << name;
  }
}

TEST(IpNetwork, ContainsByPrefix) {
  auto net = parseNetwork("172.16.0.0/12");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(IpAddress::v4(172, 16, 0, 1)));
  EXPECT_TRUE(net->contains(IpAddress::v4(172, 31, 255, 255)));
  EXPECT_FALSE(net->contains(IpAddress::v4(172, 32, 0, 0)));
  EXPECT_FALSE(net->contains(v6("::ffff:172.16.0.1")));  // families never mix here
  auto all = parseNetwork("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->contains(IpAddress::v4(8, 8, 8, 8)));
  auto ula = parseNetwork("fc00::/7");
  ASSERT_TRUE(ula);
  EXPECT_TRUE(ula->contains(v6("fd12::1")));
  EXPECT_FALSE(ula->contains(v6("fe00::1")));
  auto single = parseNetwork("127.0.0.1/32");
  ASSERT_TRUE(single);
  EXPECT_TRUE(single->contains(IpAddress::v4(127, 0, 0, 1)));
  EXPECT_FALSE(single->contains(IpAddress::v4(127, 0, 0, 2)));
  EXPECT_EQ(parseNetwork("::1/128")->toString(), "::1/128");
  // As the config loader reads it: host bits past the prefix are dropped.
  EXPECT_EQ(parseNetwork("192.168.1.7/24")->toString(), "192.168.1.0/24");
  EXPECT_EQ(parseNetwork("fd12::1/8")->toString(), "fd00::/8");
}

TEST(IpNetwork, MalformedNetworksAreClearErrors) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c :
       {Case{"", "ADDRESS/PREFIX"}, Case{"127.0.0.1", "ADDRESS/PREFIX"},
        Case{"10.0.0.0/", "prefix length"}, Case{"10.0.0.0/33", "from 0 to 32"},
        Case{"::/129", "from 0 to 128"}, Case{"10.0.0.0/-1", "prefix length"},
        Case{"10.0.0.0/8x", "prefix length"}, Case{"10/8", "not a numeric"},
        Case{"localhost/8", "not a numeric"}, Case{"[::1]/128", "not a numeric"},
        Case{"0177.0.0.1/32", "not a numeric"}, Case{"10.0.0.0/8/8", "prefix length"}}) {
    auto parsed = parseNetwork(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.status().code(), sdk::ErrorCode::kValidation);
    EXPECT_NE(parsed.status().message().find(c.says), std::string::npos)
        << c.text << ": " << parsed.status().message();
    EXPECT_NE(parsed.status().message().find(std::string("\"") + c.text + "\""), std::string::npos);
  }
}

}  // namespace
}  // namespace chathost::host
