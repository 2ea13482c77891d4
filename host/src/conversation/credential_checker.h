#pragma once
// Offers every active connection of a channel to the channel for a credential refresh or check
// (the channel knows what is due), stores refreshed tokens, and marks connections whose
// credentials the platform refused inactive, with the reason, before a send finds out.

#include "conversation/reply_sender.h"

#include <atomic>
#include <cstdint>

namespace chathost::host {

/// What one round did. Value type.
struct CredentialRound {
  int offered = 0;
  int checked = 0;
  int refreshed = 0;
  int invalid = 0;
  int failed = 0;
};

/// Thread-safe; runOnce() is meant for one background thread.
class CredentialChecker {
 public:
  CredentialChecker(ReplySender& sender, ConversationServices& services);
  /// One pass over the channel's active connections. Several hosts may run it at once: each
  /// connection is offered by one of them per `roundMs` (the shared key/value store decides).
  /// `stop`, when given and set, ends the round before the next connection.
  CredentialRound runOnce(std::int64_t roundMs, const std::atomic<bool>* stop = nullptr);

 private:
  ReplySender& sender_;
  ConversationServices& services_;
  const std::string name_;
  sdk::Counter& checks_;
};

}  // namespace chathost::host
