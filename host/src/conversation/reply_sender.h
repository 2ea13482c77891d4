#pragma once
// The one send path of a channel, shared by the engine's replies and the send route: paces
// sends per account, calls the channel, and records what became of the message.

#include "conversation/channel_registry.h"
#include "conversation/conversation_services.h"
#include "conversation/send_pacer.h"
#include "conversation/send_window.h"

#include <chathost/sdk/status.h>

#include <atomic>
#include <memory>
#include <string>

namespace chathost::host {

/// Thread-safe.
class ReplySender {
 public:
  ReplySender(std::shared_ptr<const RegisteredChannel> channel, ConversationServices& services);

  /// Takes a send slot for `accountId` now: 0, or how long (ms) until one is free (none taken).
  /// Counted in the window all hosts share when there is one; in this host's own while that one
  /// cannot be reached.
  std::int64_t tryAcquire(const std::string& accountId);
  /// When a reply queued now for `accountId` should go, pacing the account's replies.
  std::int64_t nextSlot(const std::string& accountId);

  /// Sends the stored pending message `localId` and records the outcome: sent (with the
  /// platform's id), or failed for kReauth (which also marks the connection inactive) and
  /// kPermanent. kRetry and kThrottled leave the message pending for the caller to decide.
  /// `recorded`, when given, receives the storage error of a kSent that could not be marked sent.
  sdk::SendResult sendStored(const sdk::Connection& connection, const std::string& localId,
                             const sdk::OutboundMessage& message, sdk::Status* recorded = nullptr);

  /// Marks `used` inactive after the platform refused its credentials, unless the user has
  /// reconnected meanwhile (the stored secrets differ from the ones used).
  void deactivate(const sdk::Connection& used, const std::string& why);

  /// The API error for a failed send (AUTH_FAILED, RATE_LIMITED or API_ERROR, with the
  /// platform's details in meta). `action` names what failed ("send the message").
  sdk::Status toStatus(const sdk::SendResult& result, const std::string& action) const;

  const sdk::ChannelDescription& description() const { return channel_->description; }
  sdk::Channel& channel() const { return *channel_->channel; }

 private:
  std::shared_ptr<const RegisteredChannel> channel_;
  ConversationServices& services_;
  SendWindow window_;
  SendPacer pacer_;
  std::atomic<bool> sharedWindowDown_{false};
};

}  // namespace chathost::host
