#include "http/url_decode.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percentDecode("a%20b%2Fc%c3%A9", false), "a b/c\xc3\xa9");
  EXPECT_EQ(percentDecode("a+b", false), "a+b");
  EXPECT_EQ(percentDecode("a+b", true), "a b");
  EXPECT_EQ(percentDecode("%00", false), std::string(1, '\0'));
  EXPECT_EQ(percentDecode("", false), "");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_EQ(percentDecode("%", false), std::nullopt);
  EXPECT_EQ(percentDecode("%4", false), std::nullopt);
  EXPECT_EQ(percentDecode("ab%zz", false), std::nullopt);
  EXPECT_EQ(percentDecode("%g0", false), std::nullopt);
}

TEST(ParseQueryString, KeepsOrderAndDecodes) {
  EXPECT_EQ(parseQueryString("limit=50&skip=0&hub.challenge=a%2Bb&x=1+2&flag&&y="),
            (Pairs{{"limit", "50"},
                   {"skip", "0"},
                   {"hub.challenge", "a+b"},
                   {"x", "1 2"},
                   {"flag", ""},
                   {"y", ""}}));
  EXPECT_EQ(parseQueryString("a=1&a=2"), (Pairs{{"a", "1"}, {"a", "2"}}));
  EXPECT_EQ(parseQueryString("k=v=w"), (Pairs{{"k", "v=w"}}));
  EXPECT_EQ(parseQueryString(""), Pairs{});
}

TEST(ParseQueryString, RejectsMalformedEscapes) {
  EXPECT_EQ(parseQueryString("a=%zz"), std::nullopt);
  EXPECT_EQ(parseQueryString("%=1"), std::nullopt);
}

}  // namespace
}  // namespace chathost::host
