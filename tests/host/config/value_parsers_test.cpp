#include "config/value_parsers.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(ParseInteger, AcceptsDecimalWithSign) {
  EXPECT_EQ(parseInteger("0"), 0);
  EXPECT_EQ(parseInteger("1048576"), 1048576);
  EXPECT_EQ(parseInteger("-5"), -5);
  EXPECT_EQ(parseInteger("+7"), 7);
  EXPECT_EQ(parseInteger("9223372036854775807"), INT64_MAX);
}

TEST(ParseInteger, RejectsEverythingElse) {
  for (const char* text : {"", "+", "-", "+-1", "1.5", "1e6", "1_000", " 1", "1 ", "0x10", "abc",
                           "9223372036854775808"})
    EXPECT_EQ(parseInteger(text), std::nullopt) << text;
}

TEST(ParseBoolean, YamlSpellings) {
  for (const char* text : {"true", "True", "TRUE", "yes", "on"})
    EXPECT_EQ(parseBoolean(text), true);
  for (const char* text : {"false", "False", "no", "OFF"}) EXPECT_EQ(parseBoolean(text), false);
  for (const char* text : {"", "1", "0", "tru", "y"}) EXPECT_EQ(parseBoolean(text), std::nullopt);
}

TEST(ParseListen, HostAndPort) {
  std::string why;
  auto a = parseListen("127.0.0.1:8080", why);
  ASSERT_TRUE(a) << why;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto zero = parseListen("localhost:0", why);
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->port, 0);
  auto v6 = parseListen("[::1]:65535", why);
  ASSERT_TRUE(v6) << why;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
}

TEST(ParseListen, RejectsWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  for (const Case& c :
       {Case{"8080", "HOST:PORT"}, Case{":8080", "host is empty"}, Case{"h:65536", "0 to 65535"},
        Case{"h:-1", "0 to 65535"}, Case{"h:", "0 to 65535"}, Case{"h:80x", "0 to 65535"},
        Case{"::1:80", "brackets"}, Case{"[::1]80", "[IPV6]:PORT"}, Case{"a b:80", "spaces"}}) {
    std::string why;
    EXPECT_FALSE(parseListen(c.text, why)) << c.text;
    EXPECT_NE(why.find(c.reason), std::string::npos) << c.text << " -> " << why;
  }
}

TEST(EditDistance, CountsEditsAndTranspositions) {
  EXPECT_EQ(editDistance("listen", "listen"), 0u);
  EXPECT_EQ(editDistance("lisen", "listen"), 1u);
  EXPECT_EQ(editDistance("lsiten", "listen"), 1u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyPlausibleTypos) {
  std::vector<std::string> keys{"listen", "max_body_bytes", "threads"};
  EXPECT_EQ(closestMatch("lisen", keys), "listen");
  EXPECT_EQ(closestMatch("max_body_byte", keys), "max_body_bytes");
  EXPECT_EQ(closestMatch("Threads", keys), "threads");
  EXPECT_EQ(closestMatch("database", keys), std::nullopt);
  EXPECT_EQ(closestMatch("x", {"db"}), std::nullopt);
  EXPECT_EQ(closestMatch("warn", {"debug", "warning"}), "warning");
  EXPECT_EQ(closestMatch("wa", {"debug", "warning"}), std::nullopt);
}

}  // namespace
}  // namespace chathost::host
