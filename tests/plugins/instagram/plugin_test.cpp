// The plugin's entry point, as the host drives it: start() registers the Instagram channel and
// nothing else (no routes, no inbox consumer).
#include "test_support.h"

#include <chathost/sdk/plugin.h>
#include <gtest/gtest.h>

#include <memory>

extern "C" const chathost::sdk::PluginManifest* chathost_plugin_v1();

using namespace chathost::instagram::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::LogLevel;
using chathost::sdk::Plugin;
using chathost::sdk::Status;

namespace {
struct PluginTest : ::testing::Test {
  const chathost::sdk::PluginManifest* manifest = chathost_plugin_v1();
  std::unique_ptr<Plugin, void (*)(Plugin*) noexcept> plugin{manifest->create(), manifest->destroy};
  chathost::sdk::testing::FakePluginContext ctx;
};

TEST_F(PluginTest, StartRegistersOnlyTheChannel) {
  ASSERT_TRUE(plugin);
  EXPECT_STREQ(manifest->name, "instagram");
  ctx.configView.set("app_secret", kAppSecret);
  ASSERT_TRUE(plugin->validateConfig(ctx.configView).empty());
  auto s = plugin->start(ctx);
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_EQ(ctx.channelsFake.added().size(), 1u);
  auto channel = ctx.channelsFake.find("instagram");
  ASSERT_TRUE(channel);
  EXPECT_EQ(channel->describe().displayName, "Instagram");
  EXPECT_TRUE(ctx.routes.routes().empty());
  EXPECT_TRUE(ctx.log.contains(LogLevel::kInfo, "instagram plugin started"));
  EXPECT_FALSE(ctx.log.mentions(kAppSecret));
  plugin->stop();
}

TEST_F(PluginTest, TheRegisteredChannelUsesTheConfiguredSettings) {
  ctx.configView.set("send_rate_per_second", "20");
  ctx.configView.set("verify_token", "app-verify");
  ASSERT_TRUE(plugin->start(ctx).isOk());
  auto channel = ctx.channelsFake.find("instagram");
  ASSERT_TRUE(channel);
  EXPECT_EQ(channel->describe().sendRatePerSecond, 20);
  chathost::sdk::Request r;
  r.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", "app-verify"}, {"hub.challenge", "7"}};
  auto answer = channel->answerChallenge(r, nullptr);
  ASSERT_TRUE(answer.isOk()) << answer.status().message();
  EXPECT_EQ(answer->body, "7");
}

TEST_F(PluginTest, AppIdAndSecretOfferInstagramLogin) {
  ctx.configView.set("app_id", kAppId);
  ctx.configView.set("app_secret", kAppSecret);
  ctx.configView.set("oauth_authorize_url", kAuthorizeUrl);
  ASSERT_TRUE(plugin->start(ctx).isOk());
  auto channel = ctx.channelsFake.find("instagram");
  ASSERT_TRUE(channel);
  EXPECT_TRUE(channel->describe().oauthConnect);
  auto url = channel->authorizeUrl("https://host.example/cb", "s");
  ASSERT_TRUE(url.isOk()) << url.status().message();
  EXPECT_EQ(url->rfind(std::string(kAuthorizeUrl) + "?client_id=" + kAppId + "&", 0), 0u);
  EXPECT_FALSE(ctx.log.mentions(kAppSecret));
}

TEST_F(PluginTest, StartLogsTheRisksOfTheConfiguration) {
  ctx.configView.set("require_signature", "false");
  ASSERT_TRUE(plugin->start(ctx).isOk());
  EXPECT_TRUE(ctx.log.contains(LogLevel::kWarning, "require_signature is false"));
  EXPECT_TRUE(ctx.log.contains(LogLevel::kInfo, "no app_secret configured"));
}

TEST_F(PluginTest, AnInvalidConfigRegistersNothing) {
  ctx.configView.set("colour", "blue");
  EXPECT_FALSE(plugin->validateConfig(ctx.configView).empty());
  auto s = plugin->start(ctx);
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_NE(s.message().find("colour"), std::string::npos);
  EXPECT_TRUE(ctx.channelsFake.added().empty());
}

TEST_F(PluginTest, ARefusedRegistrationFailsTheStart) {
  ctx.channelsFake.failWith = Status(ErrorCode::kConflict, "channel 'instagram' exists");
  auto s = plugin->start(ctx);
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_FALSE(ctx.log.contains(LogLevel::kInfo, "instagram plugin started"));
}
}  // namespace
