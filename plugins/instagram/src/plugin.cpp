// The plugin's entry point: the only file that sees the PluginContext. It reads the settings,
// builds the parts and wires them to the host.

#include "connection_cache.h"
#include "graph_client.h"
#include "processor.h"
#include "rate_limiter.h"
#include "routes.h"
#include "services.h"
#include "settings.h"
#include "webhook.h"

#include <chathost/sdk/sdk.h>

#include <memory>

namespace chathost::instagram {

namespace {
constexpr std::int64_t kConnectionCacheTtlMs = 2000;

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
    settings_ = settings;
    services_ = std::make_unique<Services>(
        Services{context.logger(), context.chats(), context.connections(), context.inbox(),
                 context.kv(), context.http(), context.metrics(), context.agents(), systemNowMs});
    graph_ = std::make_unique<GraphClient>(context.http(), settings_);
    limiter_ = std::make_unique<RateLimiter>(settings_.sendRatePerSecond);
    cache_ = std::make_unique<ConnectionCache>(context.connections(), kConnectionCacheTtlMs,
                                               systemNowMs);
    routes_ = std::make_unique<Routes>(*services_, *graph_, *limiter_, *cache_);
    webhook_ = std::make_unique<Webhook>(*services_, settings_, *cache_);
    processor_ = std::make_unique<Processor>(*services_, settings_, *graph_, *limiter_, *cache_);

    routes_->registerAll(context.router());
    webhook_->registerAll(context.router());
    context.inbox().setConsumer(
        kChannel, [p = processor_.get()](const sdk::InboxEvent& e) { return p->process(e); });
    if (!settings_.requireSignature)
      context.logger().warning(
          "instagram: require_signature is false; unsigned webhook POSTs are accepted when no "
          "secret is configured. Use this only for local experiments.");
    if (settings_.appSecret.empty())
      context.logger().info(
          "instagram: no app_secret configured; the app-level webhook /webhooks/instagram "
          "refuses events and agent webhooks need a webhookSecret");
    context.logger().info(
        "instagram plugin started",
        {{"graphBaseUrl", settings_.graphBaseUrl}, {"graphApiVersion", settings_.graphApiVersion}});
    return sdk::Status::ok();
  }

  // The host drops our routes and consumer before calling stop(); nothing runs in background.
  void stop() {}

 private:
  Settings settings_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<GraphClient> graph_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ConnectionCache> cache_;
  std::unique_ptr<Routes> routes_;
  std::unique_ptr<Webhook> webhook_;
  std::unique_ptr<Processor> processor_;
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
