#pragma once
// A channel's webhook URLs, mounted by the host: the per-agent URL
// `/api/database/:subaccountId/chat-agents/:agentId/<channel>/webhook` and the channel-wide
// `/webhooks/<channel>` (events routed by account). The channel checks the challenge and the
// signature and parses the body; the host records the events in the inbox before answering.

#include "conversation/channel_registry.h"
#include "conversation/conversation_services.h"

#include <chathost/sdk/router.h>

#include <memory>

namespace chathost::host {

/// Handlers run concurrently on HTTP threads.
class WebhookIngress {
 public:
  WebhookIngress(std::shared_ptr<const RegisteredChannel> channel, ConversationServices& services);
  /// Registers the four public routes (GET challenge and POST events, per agent and channel-wide).
  void registerRoutes(sdk::Router& router);

  sdk::Result<sdk::Response> challengeForAgent(const sdk::Request& request);
  sdk::Result<sdk::Response> receiveForAgent(const sdk::Request& request);
  sdk::Result<sdk::Response> challengeForChannel(const sdk::Request& request);
  sdk::Result<sdk::Response> receiveForChannel(const sdk::Request& request);

 private:
  // The connected connection of the URL's agent; an empty optional when there is none.
  sdk::Result<std::optional<sdk::Connection>> agentConnection(const sdk::Request& request);
  host::NewInboxEvent toInboxEvent(const sdk::InboundEvent& event, const sdk::Connection& c) const;
  sdk::Result<sdk::Response> record(std::vector<host::NewInboxEvent> events, int dropped);

  std::shared_ptr<const RegisteredChannel> channel_;
  ConversationServices& services_;
  const std::string name_;
  sdk::Counter& accepted_;
  sdk::Counter& dropped_;
  sdk::Counter& ignored_;
};

}  // namespace chathost::host
