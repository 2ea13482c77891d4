#pragma once
// A channel's webhook URLs, mounted by the host: the per-agent URL
// `/api/database/:subaccountId/chat-agents/:agentId/<channel>/webhook` and the channel-wide
// `/webhooks/<channel>` (events routed by account). The channel checks the challenge and the
// signature and parses the body; the host records the events in the inbox before answering.

#include "conversation/channel_registry.h"
#include "conversation/conversation_services.h"

#include "http/inline_route.h"

#include <chathost/sdk/router.h>

#include <memory>

namespace chathost::host {

/// Handlers run concurrently on HTTP threads.
class WebhookIngress {
 public:
  WebhookIngress(std::shared_ptr<const RegisteredChannel> channel, ConversationServices& services);
  /// Registers the four public routes (GET challenge and POST events, per agent and channel-wide).
  void registerRoutes(sdk::Router& router);
  /// Gives both POST routes their network-thread variant (after registerRoutes): with the
  /// connection in the cache, the body is checked and parsed where it was read and the answer
  /// goes out once the inbox's commit holding the events is done.
  sdk::Status registerInline(const AddInlineHandler& add);

  sdk::Result<sdk::Response> challengeForAgent(const sdk::Request& request);
  sdk::Result<sdk::Response> receiveForAgent(const sdk::Request& request);
  sdk::Result<sdk::Response> challengeForChannel(const sdk::Request& request);
  sdk::Result<sdk::Response> receiveForChannel(const sdk::Request& request);
  /// The inline handlers: false (nothing answered) when a connection is not in the cache.
  bool receiveInlineForAgent(const sdk::Request& request, InlineReply reply);
  bool receiveInlineForChannel(const sdk::Request& request, InlineReply reply);

 private:
  std::string agentWebhookPath() const;
  std::string channelWebhookPath() const;
  // The connected connection of the URL's agent; an empty optional when there is none.
  sdk::Result<std::optional<sdk::Connection>> agentConnection(const sdk::Request& request);
  host::NewInboxEvent toInboxEvent(const sdk::InboundEvent& event, const sdk::Connection& c) const;
  // A checked body's events for the inbox, and how many were dropped (not this agent's, or of
  // an account no agent is connected to).
  struct Delivery {
    std::vector<host::NewInboxEvent> events;
    int dropped = 0;
  };
  // `connection`: the URL's agent's connection, or null when it has none (events dropped).
  sdk::Result<Delivery> deliveryForAgent(const sdk::Request& request,
                                         const sdk::Connection* connection);
  // Finds the connection of an event's account; an empty Cached declines (not known without
  // waiting for storage).
  using AccountLookup =
      std::function<sdk::Result<ConnectionCache::Cached>(const std::string& accountId)>;
  sdk::Result<std::optional<Delivery>> deliveryForChannel(const sdk::Request& request,
                                                          const AccountLookup& lookup);
  // The answer to a delivery whose `events` were appended with outcome `appended`; counts them.
  sdk::Result<sdk::Response> recorded(const sdk::Status& appended, std::size_t events, int dropped);
  sdk::Result<sdk::Response> record(Delivery delivery);
  void recordAsync(Delivery delivery, InlineReply reply);

  std::shared_ptr<const RegisteredChannel> channel_;
  ConversationServices& services_;
  const std::string name_;
  sdk::Counter& accepted_;
  sdk::Counter& dropped_;
  sdk::Counter& ignored_;
};

}  // namespace chathost::host
