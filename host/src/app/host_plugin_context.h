#pragma once
// The PluginContext the host lends each plugin: references to host services, nothing owned.

#include <chathost/sdk/context.h>

#include <string>

namespace chathost::host {

/// Every reference must outlive the plugin's stop(); the Host guarantees it by its shutdown order.
struct HostServiceRefs {
  sdk::Logger& logger;
  sdk::Router& router;
  sdk::Agents& agents;
  sdk::ChatStore& chats;
  sdk::ConnectionStore& connections;
  sdk::Inbox& inbox;
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
  sdk::Agents& agents() override { return s_.agents; }
  sdk::ChatStore& chats() override { return s_.chats; }
  sdk::ConnectionStore& connections() override { return s_.connections; }
  sdk::Inbox& inbox() override { return s_.inbox; }
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
