// The plugin's entry point: the only file that sees the PluginContext. It reads the settings,
// builds the channel and registers it; the host runs the conversations.

#include "messenger_channel.h"
#include "settings.h"

#include <chathost/sdk/sdk.h>

#include <memory>

namespace chathost::messenger {

namespace {
// The SDK's guard wraps a class derived from sdk::Plugin.
class Plugin final : public sdk::Plugin {
 public:
  std::vector<sdk::ConfigIssue> validateConfig(const sdk::ConfigView& config) override {
    Settings ignored;
    return readSettings(config, ignored);
  }

  sdk::Status start(sdk::PluginContext& context) override {
    Settings settings;
    auto issues = readSettings(context.config(), settings);
    if (!issues.empty())
      return sdk::Status::validation("messenger config: " + issues.front().path + ": " +
                                     issues.front().message);
    channel_ = std::make_unique<MessengerChannel>(settings, context.http(), context.metrics(),
                                                  context.logger());
    if (auto s = context.channels().add(*channel_); !s) return s;
    if (!settings.requireSignature)
      context.logger().warning(
          "messenger: require_signature is false; unsigned webhook POSTs are accepted when no "
          "secret is configured. Use this only for local experiments.");
    if (settings.appSecret.empty())
      context.logger().info(
          "messenger: no app_secret configured; the app-level webhook /webhooks/messenger "
          "refuses events and agent webhooks need a webhookSecret");
    context.logger().info("messenger plugin started",
                          {{"graphBaseUrl", settings.graphBaseUrl},
                           {"graphApiVersion", settings.graphApiVersion},
                           {"pageTokenCheck", settings.hasAppCredentials() ? "on" : "off"}});
    return sdk::Status::ok();
  }

  // The host stops calling the channel before stop(); the channel lives until destroy().
  void stop() override {}

 private:
  std::unique_ptr<MessengerChannel> channel_;
};
}  // namespace

}  // namespace chathost::messenger

CHATHOST_PLUGIN(chathost::messenger::Plugin, "messenger", "0.1.0")
