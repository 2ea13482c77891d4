#pragma once
// Minimal stand-ins for the host services the loader tests need.

#include <chathost/sdk/context.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chathost::host::testing {

/// Records every line as "level message".
class RecordingLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel level, const std::string& message, const sdk::LogFields& fields) override;
  bool enabled(sdk::LogLevel) const override { return true; }
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// A flat config: dotted path -> scalar. Parents of every path are maps.
class MapConfigView : public sdk::ConfigView {
 public:
  explicit MapConfigView(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  sdk::ConfigNodeKind kind(const std::string& path) const override;
  std::optional<std::string> scalar(const std::string& path) const override;
  std::vector<std::string> keys(const std::string& path) const override;
  std::size_t size(const std::string&) const override { return 0; }

 private:
  std::map<std::string, std::string> values_;
};

/// Keeps registered routes so a test can call them, and drops them on request.
class CapturingRouter : public sdk::Router {
 public:
  struct Route {
    bool agentScoped;
    sdk::Method method;
    std::string path;
    std::string operation;
    sdk::RouteHandler handler;
  };
  std::vector<Route> routes;

 protected:
  void doAddAgentRoute(sdk::Method method, const std::string& subpath, const std::string& operation,
                       sdk::RouteHandler handler) override {
    routes.push_back({true, method, subpath, operation, std::move(handler)});
  }
  void doAddPublicRoute(sdk::Method method, const std::string& path, const std::string& operation,
                        sdk::RouteHandler handler) override {
    routes.push_back({false, method, path, operation, std::move(handler)});
  }
};

/// Lends config, logger and router; every other service is absent (the fixtures never use them),
/// and asking for one throws so a test notices.
class TinyContext : public sdk::PluginContext {
 public:
  TinyContext(const sdk::ConfigView& config, sdk::Logger& logger, sdk::Router& router)
      : config_(config), logger_(logger), router_(router) {}
  const sdk::ConfigView& config() override { return config_; }
  sdk::Logger& logger() override { return logger_; }
  sdk::Router& router() override { return router_; }
  sdk::Channels& channels() override;
  sdk::KeyValue& kv() override;
  sdk::HttpClient& http() override;
  sdk::Metrics& metrics() override;
  std::string dataDirectory() override { return "/nonexistent"; }

 private:
  const sdk::ConfigView& config_;
  sdk::Logger& logger_;
  sdk::Router& router_;
};

}  // namespace chathost::host::testing
