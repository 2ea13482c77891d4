#include "common/cidr.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(ParseCidr, ReadsIpv4Networks) {
  std::string why;
  auto n = parseCidr("192.168.1.0/24", why);
  ASSERT_TRUE(n) << why;
  EXPECT_FALSE(n->ipv6);
  EXPECT_EQ(n->prefixLength, 24);
  EXPECT_EQ(n->address[0], 192);
  EXPECT_EQ(n->address[2], 1);
  ASSERT_TRUE(parseCidr("0.0.0.0/0", why));
  ASSERT_TRUE(parseCidr("127.0.0.1/32", why));
}

TEST(ParseCidr, ReadsIpv6Networks) {
  std::string why;
  auto n = parseCidr("fc00::/7", why);
  ASSERT_TRUE(n) << why;
  EXPECT_TRUE(n->ipv6);
  EXPECT_EQ(n->prefixLength, 7);
  EXPECT_EQ(n->address[0], 0xfc);
  ASSERT_TRUE(parseCidr("::1/128", why));
}

TEST(ParseCidr, RefusesAnythingElseWithAReason) {
  std::string why;
  EXPECT_FALSE(parseCidr("10.0.0.1", why));
  EXPECT_NE(why.find("ADDRESS/PREFIX"), std::string::npos);
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
                          "10.0.0.0/0008", "10.0.0.0/8/8"}) {
    EXPECT_FALSE(parseCidr(bad, why)) << bad;
  }
  for (const char* bad : {"/8", "10.0.0/8", "example.com/24", "10.0.0.256/32", " 10.0.0.0/8"}) {
    EXPECT_FALSE(parseCidr(bad, why)) << bad;
    EXPECT_NE(why.find("not a numeric"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace chathost::host
