#pragma once
// The routes every channel gets under `/api/database/:subaccountId/chat-agents/:agentId/<name>/`:
// connect, status, send, messages and disconnect (SPEC section 6). The channel only verifies
// the account and sends; storing, pacing and the answers' shapes are the host's.

#include "conversation/reply_sender.h"

#include <chathost/sdk/router.h>

namespace chathost::host {

/// Handlers run concurrently on HTTP threads.
class ChannelRoutes {
 public:
  ChannelRoutes(ReplySender& sender, ConversationServices& services);
  void registerRoutes(sdk::Router& router);

  sdk::Result<sdk::Response> connect(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> status(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> send(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> messages(const sdk::Request& req, const sdk::RouteContext& ctx);
  sdk::Result<sdk::Response> disconnect(const sdk::Request& req, const sdk::RouteContext& ctx);

 private:
  ReplySender& sender_;
  ConversationServices& services_;
  const std::string name_;
  const std::string displayName_;
};

}  // namespace chathost::host
