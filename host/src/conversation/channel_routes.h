#pragma once
// The routes every channel gets under `/api/database/:subaccountId/chat-agents/:agentId/<name>/`:
// connect, status, send, messages and disconnect (SPEC section 6). The channel only verifies
// the account and sends; storing, pacing and the answers' shapes are the host's.

#include "conversation/reply_sender.h"
#include "conversation/views.h"

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
  /// One page of one chat's messages (`GET .../messages/:chatId?limit&before`).
  sdk::Result<sdk::Response> thread(const sdk::Request& req, const sdk::RouteContext& ctx);

  /// Stores an account the channel verified for `agent` (connect and sign-in alike).
  sdk::Result<host::ConnectOutcome> store(const sdk::AgentInfo& agent,
                                          const sdk::ConnectResult& verified);

 private:
  ChatWindows windows() const;
  // Lets the channel end `connection` on the platform (its disconnect(); a refusal is logged
  // naming `what`), unless its Page stays in use: `pageKept`, or another connected connection
  // has the same page id (Messenger and Instagram share a Facebook Page's webhook
  // subscription). An error only when the storage cannot tell; nothing was undone then.
  sdk::Status undoOnPlatform(const sdk::Connection& connection, bool pageKept,
                             const std::string& what);

  ReplySender& sender_;
  ConversationServices& services_;
  const std::string name_;
  const std::string displayName_;
};

}  // namespace chathost::host
