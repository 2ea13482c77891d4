// The plugin's entry point: the only file that sees the PluginContext. It reads the settings,
// builds the channel and registers it; the host runs the conversations.

#include "instagram_channel.h"
#include "settings.h"

#include <chathost/sdk/sdk.h>

#include <memory>

namespace chathost::instagram {

namespace {
class InstagramPlugin {
 public:
  std::vector<sdk::ConfigIssue> validateConfig(const sdk::ConfigView& config) {
    Settings ignored;
    return readSettings(config, ignored);
  }

  sdk::Status start(sdk::PluginContext& context) {
    Settings settings;
    auto issues = readSettings(context.config(), settings);
    if (!issues.empty())
      return sdk::Status::validation("instagram config: " + issues.front().path + ": " +
                                     issues.front().message);
    channel_ = std::make_unique<InstagramChannel>(settings, context.http(), context.metrics(),
                                                  context.logger());
    if (auto s = context.channels().add(*channel_); !s) return s;
    if (!settings.requireSignature)
      context.logger().warning(
          "instagram: require_signature is false; unsigned webhook POSTs are accepted when no "
          "secret is configured. Use this only for local experiments.");
    if (settings.appSecret.empty())
      context.logger().info(
          "instagram: no app_secret configured; the app-level webhook /webhooks/instagram "
          "refuses events and agent webhooks need a webhookSecret");
    context.logger().info("instagram plugin started",
                          {{"graphBaseUrl", settings.graphBaseUrl},
                           {"graphApiVersion", settings.graphApiVersion},
                           {"instagramLogin", settings.hasAppCredentials() ? "on" : "off"}});
    return sdk::Status::ok();
  }

  // The host stops calling the channel before stop(); the channel lives until destroy().
  void stop() {}

 private:
  std::unique_ptr<InstagramChannel> channel_;
};

// The SDK's guard wraps a class derived from sdk::Plugin.
class Plugin final : public sdk::Plugin {
 public:
  std::vector<sdk::ConfigIssue> validateConfig(const sdk::ConfigView& c) override {
    return impl_.validateConfig(c);
  }
  sdk::Status start(sdk::PluginContext& c) override { return impl_.start(c); }
  void stop() override { impl_.stop(); }

 private:
  InstagramPlugin impl_;
};
}  // namespace

}  // namespace chathost::instagram

CHATHOST_PLUGIN(chathost::instagram::Plugin, "instagram", "0.1.0")
