#pragma once
// A channel's sign-in flow (OAuth) as the dashboard's "Connect with ..." button uses it:
// `POST .../<channel>/oauth/start` (JWT) answers the platform's consent URL with a signed state;
// the platform sends the browser to `GET /oauth/<channel>/callback`, which checks the state (once
// only), lets the channel exchange the code, stores the connection as connect does, and sends
// the browser back to the agent's dashboard page saying what happened.

#include "conversation/channel_routes.h"

#include <chathost/sdk/router.h>

#include <string>

namespace chathost::host {

/// Handlers run concurrently on HTTP threads.
class ChannelSignIn {
 public:
  ChannelSignIn(ReplySender& sender, ChannelRoutes& routes, ConversationServices& services);
  /// Registers the routes when the channel has a sign-in flow.
  void registerRoutes(sdk::Router& router);

  sdk::Result<sdk::Response> start(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> callback(const sdk::Request& req, const sdk::RouteContext& ctx);

 private:
  // The dashboard page of `agentId` (or the agent list when empty) with the outcome in its query.
  sdk::Response backToDashboard(const std::string& agentId, const std::string& error) const;
  std::string redirectUri(const sdk::Request& req) const;
  std::string cookieName() const;
  std::string callbackPath() const;
  // The sign-in secret the browser's cookie carries; empty when none.
  std::string browserSecret(const sdk::Request& req) const;

  ReplySender& sender_;
  ChannelRoutes& routes_;
  ConversationServices& services_;
  const std::string name_;
};

}  // namespace chathost::host
