#include "http/json_members.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(SplitJsonObject, KeepsValuesByteForByte) {
  const auto members = splitJsonObject(
      " { \"graphError\" : {\"code\":190,\"message\":\"bad \\\"token\\\"\",\"x\":[1,2.5e3,null]},"
      "\"n\":-0.5, \"t\":true,\"s\":\"caf\xc3\xa9\\u00e9\" } ");
  ASSERT_TRUE(members.has_value());
  ASSERT_EQ(members->size(), 4u);
  EXPECT_EQ((*members)[0].key, "graphError");
  EXPECT_EQ((*members)[0].value,
            "{\"code\":190,\"message\":\"bad \\\"token\\\"\",\"x\":[1,2.5e3,null]}");
  EXPECT_EQ((*members)[1].value, "-0.5");
  EXPECT_EQ((*members)[2].value, "true");
  EXPECT_EQ((*members)[3].value, "\"caf\xc3\xa9\\u00e9\"");
}

TEST(SplitJsonObject, EmptyObject) {
  const auto members = splitJsonObject("{}");
  ASSERT_TRUE(members.has_value());
  EXPECT_TRUE(members->empty());
}

TEST(SplitJsonObject, RejectsAnythingButOneWellFormedObject) {
  for (const char* bad : {"", "[]", "\"x\"", "{", "{\"a\":1,}", "{\"a\"}", "{a:1}", "{\"a\":1} x",
                          "{\"a\":01}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
                          "{\"a\":[1,]}", "{\"a\":1.}", "{\"a\":\"line\nbreak\"}", "{\"a\":1}{}"}) {
    EXPECT_FALSE(splitJsonObject(bad).has_value()) << bad;
  }
}

TEST(SplitJsonObject, BoundsNesting) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_FALSE(splitJsonObject(deep).has_value());
  std::string ok = "{\"a\":" + std::string(30, '[') + std::string(30, ']') + "}";
  EXPECT_TRUE(splitJsonObject(ok).has_value());
}

}  // namespace
}  // namespace chathost::host
