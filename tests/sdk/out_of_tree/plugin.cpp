// The smallest useful plugin: checks one config key and answers one agent route.
#include <chathost/sdk/sdk.h>

namespace sdk = chathost::sdk;

namespace {

class OutOfTreePlugin final : public sdk::Plugin {
 public:
  std::vector<sdk::ConfigIssue> validateConfig(const sdk::ConfigView& config) override {
    if (!config.getString("greeting", "hello")) return {{"greeting", "must be a string"}};
    if (config.getString("greeting", "hello")->empty()) return {{"greeting", "must not be empty"}};
    return {};
  }

  sdk::Status start(sdk::PluginContext& context) override {
    std::string greeting = *context.config().getString("greeting", "hello");
    context.router().addAgentRoute(
        sdk::Method::kGet, "outoftree/hello", "outOfTreeHello",
        [greeting](const sdk::Request&, const sdk::RouteContext&) -> sdk::Result<sdk::Response> {
          return sdk::Response::okJson("{\"greeting\":" + sdk::jsonQuote(greeting) + "}");
        });
    return sdk::Status::ok();
  }

  void stop() override {}
};

}  // namespace

CHATHOST_PLUGIN(OutOfTreePlugin, "outoftree", "0.1.0")
