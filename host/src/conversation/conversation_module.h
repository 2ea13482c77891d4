#pragma once
// Mounts, for every channel a plugin registers, the host's parts: webhook ingress, the generic
// routes, the send path and the conversation engine as the channel's inbox consumer.

#include "common/periodic_task.h"
#include "conversation/channel_registry.h"
#include "conversation/conversation_services.h"
#include "http/inline_route.h"

#include <chathost/sdk/router.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace chathost::host {

/// Built once by the host; channels come and go with their plugins.
class ConversationModule {
 public:
  /// `router` and `services` must outlive the module. `addInline`, when given, gives the
  /// webhook routes their network-thread variants (see WebhookIngress::registerInline).
  ConversationModule(sdk::Router& router, ConversationServices services,
                     AddInlineHandler addInline = {});
  ~ConversationModule();
  ConversationModule(const ConversationModule&) = delete;
  ConversationModule& operator=(const ConversationModule&) = delete;

  /// The sdk::Channels plugins register with.
  ChannelRegistry& registry() { return registry_; }
  ConnectionCache& cache() { return services_.cache; }

  /// Offers every channel's active connections for a credential refresh or check every
  /// `interval` (the first pass one interval from now), until clear().
  void startCredentialChecks(std::chrono::milliseconds interval);
  /// Stops the credential checks and the typing and seen signals (shutdown: before the plugins
  /// stop). Idempotent.
  void stopBackground();
  /// Drops every channel and its parts. Call after the router dropped the plugin routes and the
  /// inbox its consumers, before the plugin libraries unload.
  void clear();

 private:
  struct Mounted;
  sdk::Status mount(const RegisteredChannel& channel);

  sdk::Router& router_;
  ConversationServices services_;
  AddInlineHandler addInline_;
  ChannelRegistry registry_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Mounted>> mounted_;
  std::unique_ptr<PeriodicTask> credentialTask_;
  std::atomic<bool> stopping_{false};
};

}  // namespace chathost::host
