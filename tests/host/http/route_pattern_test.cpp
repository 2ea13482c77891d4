#include "http/route_pattern.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using Params = std::map<std::string, std::string>;
using Segments = std::vector<std::string>;

RoutePattern pattern(const std::string& text) {
  auto parsed = RoutePattern::parse(text);
  EXPECT_TRUE(parsed.isOk()) << text << ": " << parsed.status().message();
  return parsed.isOk() ? parsed.value() : RoutePattern();
}

std::optional<Params> matchPath(const RoutePattern& p, const std::string& path) {
  auto segments = splitPath(path);
  if (!segments) return std::nullopt;
  Params params;
  if (!p.match(*segments, &params)) return std::nullopt;
  return params;
}

TEST(SplitPath, SplitsThenDecodes) {
  EXPECT_EQ(splitPath("/"), Segments{});
  EXPECT_EQ(splitPath("/a/b"), (Segments{"a", "b"}));
  EXPECT_EQ(splitPath("/a/b/"), (Segments{"a", "b"}));
  EXPECT_EQ(splitPath("/a%2Fb/c%20d"), (Segments{"a/b", "c d"}));
  EXPECT_EQ(splitPath("/a//b"), (Segments{"a", "", "b"}));
  EXPECT_EQ(splitPath("/a+b"), (Segments{"a+b"}));  // '+' is literal in paths
}

TEST(SplitPath, RejectsRelativeAndMalformed) {
  EXPECT_EQ(splitPath(""), std::nullopt);
  EXPECT_EQ(splitPath("a/b"), std::nullopt);
  EXPECT_EQ(splitPath("/a%2"), std::nullopt);
}

TEST(RoutePattern, MatchesTheAgentRoutesAndExtractsParams) {
  const auto p = pattern("/api/database/:subaccountId/chat-agents/:agentId/instagram/connect");
  EXPECT_EQ(matchPath(p, "/api/database/sub_1/chat-agents/agent-9/instagram/connect"),
            (Params{{"subaccountId", "sub_1"}, {"agentId", "agent-9"}}));
  EXPECT_EQ(matchPath(p, "/api/database/sub_1/chat-agents/agent-9/instagram/connect/"),
            (Params{{"subaccountId", "sub_1"}, {"agentId", "agent-9"}}));
  EXPECT_EQ(matchPath(p, "/api/database/s%20x/chat-agents/a%2Fb/instagram/connect"),
            (Params{{"subaccountId", "s x"}, {"agentId", "a/b"}}));
  EXPECT_EQ(matchPath(p, "/api/database/sub_1/chat-agents/agent-9/instagram"), std::nullopt);
  EXPECT_EQ(matchPath(p, "/api/database/sub_1/chat-agents/agent-9/instagram/connect/x"),
            std::nullopt);
  EXPECT_EQ(matchPath(p, "/api/database//chat-agents/agent-9/instagram/connect"), std::nullopt);
  EXPECT_EQ(matchPath(p, "/api/Database/s/chat-agents/a/instagram/connect"), std::nullopt);
}

TEST(RoutePattern, RootAndRestSegments) {
  EXPECT_EQ(matchPath(pattern("/"), "/"), Params{});
  EXPECT_EQ(matchPath(pattern("/"), "/x"), std::nullopt);
  const auto files = pattern("/assets/*file");
  EXPECT_EQ(matchPath(files, "/assets/js/app.js"), (Params{{"file", "js/app.js"}}));
  EXPECT_EQ(matchPath(files, "/assets"), (Params{{"file", ""}}));
  EXPECT_EQ(matchPath(files, "/other/app.js"), std::nullopt);
}

TEST(RoutePattern, RejectsBadPatterns) {
  for (const char* bad : {"", "api/x", "/a//b", "/:", "/:a-b", "/:id/:id", "/*rest/more", "/x/*"}) {
    auto parsed = RoutePattern::parse(bad);
    EXPECT_FALSE(parsed.isOk()) << bad;
    if (!parsed.isOk()) {
      EXPECT_EQ(parsed.status().code(), sdk::ErrorCode::kValidation);
    }
  }
}

TEST(RoutePattern, LiteralsAreMoreSpecificThanParams) {
  const auto literal = pattern("/api/database/:s/chat-agents/search");
  const auto param = pattern("/api/database/:s/chat-agents/:agentId");
  const auto rest = pattern("/api/*rest");
  EXPECT_GT(literal.compareSpecificity(param), 0);
  EXPECT_LT(param.compareSpecificity(literal), 0);
  EXPECT_GT(param.compareSpecificity(rest), 0);
  EXPECT_EQ(param.compareSpecificity(pattern("/api/database/:x/chat-agents/:y")), 0);
  // The leftmost difference decides.
  EXPECT_GT(pattern("/a/:x/c").compareSpecificity(pattern("/:y/b/c")), 0);
}

TEST(RoutePattern, ShapeIgnoresParamNames) {
  EXPECT_EQ(pattern("/a/:x/b/*r").shape(), "/a/:/b/*");
  EXPECT_EQ(pattern("/a/:x").shape(), pattern("/a/:y/").shape());
  EXPECT_EQ(pattern("/").shape(), "/");
  EXPECT_TRUE(pattern("/a/:x").hasParam("x"));
  EXPECT_FALSE(pattern("/a/:x").hasParam("a"));
}

}  // namespace
}  // namespace chathost::host
