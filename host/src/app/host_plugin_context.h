#pragma once
// The PluginContext the host lends each plugin: references to host services, nothing owned.

#include <chathost/sdk/context.h>

#include <string>

namespace chathost::host {

/// Every reference must outlive the plugin's stop(); the Host guarantees it by its shutdown order.
struct HostServiceRefs {
  sdk::Logger& logger;
  sdk::Router& router;
  sdk::Channels& channels;
  sdk::KeyValue& kv;
  sdk::HttpClient& http;
  sdk::Metrics& metrics;
};

class HostPluginContext final : public sdk::PluginContext {
 public:
  HostPluginContext(const HostServiceRefs& services, const sdk::ConfigView& config,
                    std::string dataDirectory)
      : s_(services), config_(config), dataDirectory_(std::move(dataDirectory)) {}

  const sdk::ConfigView& config() override { return config_; }
  sdk::Logger& logger() override { return s_.logger; }
  sdk::Router& router() override { return s_.router; }
  sdk::Channels& channels() override { return s_.channels; }
  sdk::KeyValue& kv() override { return s_.kv; }
  sdk::HttpClient& http() override { return s_.http; }
  sdk::Metrics& metrics() override { return s_.metrics; }
  std::string dataDirectory() override { return dataDirectory_; }

 private:
  HostServiceRefs s_;
  const sdk::ConfigView& config_;
  std::string dataDirectory_;
};

}  // namespace chathost::host
