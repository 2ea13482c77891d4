#pragma once
// The public webhook routes: verification GET, signed event POST recorded in the inbox before the
// acknowledgement.

#include "connection_cache.h"
#include "event_parser.h"
#include "services.h"
#include "settings.h"

#include <chathost/sdk/router.h>

namespace chathost::instagram {

/// The agent-scoped webhook path (also reachable without the host's JWT).
inline constexpr const char* kAgentWebhookPath =
    "/api/database/:subaccountId/chat-agents/:agentId/instagram/webhook";
/// The app-level webhook that routes entries by Instagram account id.
inline constexpr const char* kAppWebhookPath = "/webhooks/instagram";

/// Handlers run concurrently on HTTP threads; they touch storage only through the connection
/// cache and one inbox append per POST.
class Webhook {
 public:
  Webhook(Services& services, const Settings& settings, ConnectionCache& cache);
  void registerAll(sdk::Router& router);

  sdk::Result<sdk::Response> verifyAgent(const sdk::Request& req);
  sdk::Result<sdk::Response> receiveAgent(const sdk::Request& req);
  sdk::Result<sdk::Response> verifyApp(const sdk::Request& req);
  sdk::Result<sdk::Response> receiveApp(const sdk::Request& req);

 private:
  // The agent's connection when it is connected and belongs to the path's subaccount.
  sdk::Result<std::optional<sdk::Connection>> agentConnection(const sdk::Request& req);
  // ok, or FORBIDDEN when the signature is missing or wrong for `key`.
  sdk::Status checkSignature(const sdk::Request& req, const std::string& key);
  sdk::Result<sdk::Response> challenge(const sdk::Request& req, const std::string& expected);
  sdk::Result<sdk::Response> record(std::vector<sdk::NewInboxEvent> events, int dropped);
  static sdk::NewInboxEvent toInboxEvent(const InstagramEvent& e, const sdk::Connection& c);

  Services& services_;
  const Settings& settings_;
  ConnectionCache& cache_;
  sdk::Counter& accepted_;
  sdk::Counter& dropped_;
  sdk::Counter& ignored_;
  sdk::Counter& badSignature_;
};

}  // namespace chathost::instagram
