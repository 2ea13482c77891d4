// The plugin's entry point, as the host drives it: start() registers the Messenger channel and
// nothing else; a bad config is refused with its path.

#include <chathost/sdk/plugin.h>
#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <memory>

extern "C" const chathost::sdk::PluginManifest* chathost_plugin_v1();

using chathost::sdk::LogLevel;
using chathost::sdk::Plugin;

namespace {
struct PluginTest : ::testing::Test {
  const chathost::sdk::PluginManifest* manifest = chathost_plugin_v1();
  std::unique_ptr<Plugin, void (*)(Plugin*) noexcept> plugin{manifest->create(), manifest->destroy};
  chathost::sdk::testing::FakePluginContext ctx;
};

TEST_F(PluginTest, StartRegistersOnlyTheMessengerChannel) {
  ASSERT_TRUE(plugin);
  EXPECT_STREQ(manifest->name, "messenger");
  ctx.configView.set("app_secret", "app-secret-123");
  ctx.configView.set("verify_token", "app-verify");
  ASSERT_TRUE(plugin->validateConfig(ctx.configView).empty());
  auto s = plugin->start(ctx);
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_EQ(ctx.channelsFake.added().size(), 1u);
  auto channel = ctx.channelsFake.find("messenger");
  ASSERT_TRUE(channel);
  EXPECT_EQ(channel->describe().displayName, "Messenger");
  EXPECT_TRUE(ctx.routes.routes().empty());
  EXPECT_TRUE(ctx.log.contains(LogLevel::kInfo, "messenger plugin started"));
  EXPECT_FALSE(ctx.log.mentions("app-secret-123"));
  chathost::sdk::Request r;
  r.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", "app-verify"}, {"hub.challenge", "7"}};
  auto answer = channel->answerChallenge(r, nullptr);
  ASSERT_TRUE(answer.isOk()) << answer.status().message();
  EXPECT_EQ(answer->body, "7");
  plugin->stop();
}

TEST_F(PluginTest, ABadConfigIsRefusedWithItsPath) {
  ctx.configView.set("graph_timeout_ms", "5");
  auto issues = plugin->validateConfig(ctx.configView);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "graph_timeout_ms");
  auto s = plugin->start(ctx);
  EXPECT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("messenger config: graph_timeout_ms"), std::string::npos);
  EXPECT_TRUE(ctx.channelsFake.added().empty());
}
}  // namespace
