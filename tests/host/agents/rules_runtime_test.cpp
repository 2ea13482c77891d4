#include "agents/rules_runtime.h"
#include "agents/text_fold.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

const std::string kConfig =
    R"({"rules":[{"match":"price","reply":"It costs 10."},{"match":"PRICE list","reply":"never"},)"
    R"({"match":"Привет","reply":"Здравствуйте"},{"match":"café","reply":"Coffee!"},)"
    R"({"match":"stop","reply":""}],"fallback":"Ask me about the price."})";

TEST(RulesReply, FirstMatchingRuleAnswersCaseInsensitively) {
  EXPECT_EQ(rulesReply(kConfig, "What is the PRICE list?"), "It costs 10.");
  EXPECT_EQ(rulesReply(kConfig, "ПРИВЕТ всем"), "Здравствуйте");
  EXPECT_EQ(rulesReply(kConfig, "One CAFÉ please"), "Coffee!");
}

TEST(RulesReply, FallsBackOrStaysSilent) {
  EXPECT_EQ(rulesReply(kConfig, "hello"), "Ask me about the price.");
  EXPECT_EQ(rulesReply(kConfig, "please STOP"), std::nullopt);  // empty reply: no answer
  EXPECT_EQ(rulesReply(R"({"rules":[{"match":"a","reply":"b"}]})", "xyz"), std::nullopt);
  EXPECT_EQ(rulesReply("{}", "anything"), std::nullopt);
  EXPECT_EQ(rulesReply(R"({"fallback":""})", "anything"), std::nullopt);
  EXPECT_EQ(rulesReply("not json", "anything"), std::nullopt);
}

TEST(FoldCase, LowersAsciiAndCommonScriptsAndKeepsTheRest) {
  EXPECT_EQ(foldCase("HeLLo 123!"), "hello 123!");
  EXPECT_EQ(foldCase("ÀÉÎÕÜ ×"), "àéîõü ×");
  EXPECT_EQ(foldCase("ŁÓDŹ"), "łódź");
  EXPECT_EQ(foldCase("ΑΒΓ"), "αβγ");
  EXPECT_EQ(foldCase("ЁЖ"), "ёж");
  EXPECT_EQ(foldCase("日本 🙂"), "日本 🙂");
  EXPECT_EQ(foldCase(std::string("\xC3\x28X", 3)), std::string("\xC3\x28x", 3));
}

TEST(RulesRuntime, UsesTheCurrentConfigAfterAnUpdate) {
  RulesRuntime runtime;
  sdk::AgentInfo agent{"a1", "s", "n", "rules", R"({"fallback":"one"})", 1, 1};
  EXPECT_EQ(runtime.reply(agent, "x")->text, "one");
  EXPECT_EQ(runtime.reply(agent, "y")->text, "one");
  agent.configJson = R"({"fallback":"two"})";
  agent.updatedAt = 2;
  EXPECT_EQ(runtime.reply(agent, "x")->text, "two");
  sdk::AgentInfo other{"a2", "s", "n", "rules", R"({"fallback":"three"})", 1, 1};
  EXPECT_EQ(runtime.reply(other, "x")->text, "three");
  EXPECT_EQ(runtime.reply(agent, "x")->text, "two");
}

TEST(RulesRuntime, UnreadableConfigIsAnError) {
  RulesRuntime runtime;
  auto r = runtime.reply({"a1", "s", "n", "rules", "[", 1, 1}, "x");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kInternal);
}

}  // namespace
}  // namespace chathost::host
