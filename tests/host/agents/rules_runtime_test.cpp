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
  EXPECT_EQ(rulesReply(kConfig, "What is the PRICE list?").text, "It costs 10.");
  EXPECT_EQ(rulesReply(kConfig, "ПРИВЕТ всем").text, "Здравствуйте");
  EXPECT_EQ(rulesReply(kConfig, "One CAFÉ please").text, "Coffee!");
}

TEST(RulesReply, FallsBackOrStaysSilent) {
  EXPECT_EQ(rulesReply(kConfig, "hello").text, "Ask me about the price.");
  EXPECT_EQ(rulesReply(kConfig, "please STOP").text, std::nullopt);  // empty reply: no answer
  EXPECT_EQ(rulesReply(R"({"rules":[{"match":"a","reply":"b"}]})", "xyz").text, std::nullopt);
  EXPECT_EQ(rulesReply("{}", "anything").text, std::nullopt);
  EXPECT_EQ(rulesReply(R"({"fallback":""})", "anything").text, std::nullopt);
  EXPECT_EQ(rulesReply("not json", "anything").text, std::nullopt);
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

TEST(RulesReply, RulesAndTheFallbackMayCarryAnAttachment) {
  const std::string config =
      R"({"rules":[{"match":"menu","reply":"Our menu:","attachment":{"type":"image",)"
      R"("url":"https://cdn.example.com/menu.png"}},)"
      R"({"match":"price list","attachment":{"type":"file","url":"https://cdn.example.com/p.pdf"}},)"
      R"({"match":"quiet","reply":""}],)"
      R"("fallback_attachment":{"type":"video","url":"https://cdn.example.com/intro.mp4"}})";
  auto menu = rulesReply(config, "Show me the MENU");
  EXPECT_EQ(menu.text, "Our menu:");
  ASSERT_EQ(menu.attachments.size(), 1u);
  EXPECT_EQ(menu.attachments[0].type, "image");
  EXPECT_EQ(menu.attachments[0].url, "https://cdn.example.com/menu.png");

  auto prices = rulesReply(config, "the price list please");
  EXPECT_FALSE(prices.text.has_value());
  ASSERT_EQ(prices.attachments.size(), 1u);
  EXPECT_EQ(prices.attachments[0].type, "file");

  // A matching rule without text or attachment says nothing, even with a fallback.
  auto quiet = rulesReply(config, "quiet please");
  EXPECT_FALSE(quiet.text.has_value());
  EXPECT_TRUE(quiet.attachments.empty());

  auto fallback = rulesReply(config, "hello");
  EXPECT_FALSE(fallback.text.has_value());
  ASSERT_EQ(fallback.attachments.size(), 1u);
  EXPECT_EQ(fallback.attachments[0].url, "https://cdn.example.com/intro.mp4");

  auto both = rulesReply(R"({"fallback":"Hi!","fallback_attachment":{"type":"audio",)"
                         R"("url":"http://a.example/hi.mp3"}})",
                         "x");
  EXPECT_EQ(both.text, "Hi!");
  ASSERT_EQ(both.attachments.size(), 1u);
  EXPECT_EQ(both.attachments[0].type, "audio");
}

TEST(ParseRulesConfig, AnInvalidAttachmentIsAnError) {
  auto r = parseRulesConfig(
      R"({"rules":[{"match":"a","attachment":{"type":"gif","url":"https://x"}}]})");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "config.rules[0].attachment.type must be one of image, video, audio, file");
  EXPECT_FALSE(parseRulesConfig(R"({"rules":[{"match":"a"}]})").isOk());
  EXPECT_FALSE(parseRulesConfig(R"({"fallback_attachment":{"type":"image"}})").isOk());
}

}  // namespace
}  // namespace chathost::host
