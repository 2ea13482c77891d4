#pragma once
// Applies one recorded event of a channel to its conversation: dedup, the stored message (or
// the reaction, edit, unsend, read it describes), the agent's turn, and the reply's parts stored
// as pending messages and queued in the outbox (OutboxSender sends them). The inbox consumer of
// every channel.

#include "conversation/reply_sender.h"
#include "conversation/sender_actions.h"

#include "storage/inbox.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace chathost::host {

/// Delay before retry number `attempt` (1-based): 1 s doubling to at most 60 s, scaled by a
/// jitter factor in [0.8, 1.2] taken from `unitRandom` in [0, 1). Pure.
std::int64_t backoffDelayMs(int attempt, double unitRandom);

/// The outbox order (event_ts) of part `part` of the reply to an inbound event of time
/// `inboundTimestampMs`: after every part of the replies to earlier events, in part order. Pure.
std::int64_t outboxOrder(std::int64_t inboundTimestampMs, std::size_t part);

/// Thread-safe: the host calls process() for different conversations concurrently.
class ConversationEngine {
 public:
  /// `actions`, when given, shows typing and seen while remote agents think.
  ConversationEngine(ReplySender& sender, ConversationServices& services,
                     SenderActions* actions = nullptr);
  /// The InboxConsumer. Idempotent: a redelivered event never duplicates a stored message nor
  /// re-sends an acknowledged reply.
  host::ProcessOutcome process(const host::InboxEvent& event);

  /// Replaces the jitter source (tests).
  void setRandom(std::function<double()> random) { random_ = std::move(random); }

 private:
  struct Turn;  // one event being processed
  host::ProcessOutcome handleInbound(Turn& t);
  host::ProcessOutcome handleEcho(Turn& t);
  host::ProcessOutcome applyToOwnMessage(Turn& t);
  host::ProcessOutcome applyReadWatermark(Turn& t);
  host::ProcessOutcome handleReaction(Turn& t, const host::Message& target);
  /// `firstAttempt`: the inbound message was stored just now, so no earlier attempt stored parts.
  host::ProcessOutcome reply(Turn& t, const host::Chat& chat, const std::string& inboundLocalId,
                             bool firstAttempt);
  // Puts the parts still pending into the outbox for the sender.
  host::ProcessOutcome queueParts(Turn& t, const std::vector<host::Message>& parts);
  void fetchProfileOnce(Turn& t, const host::Chat& chat);
  // ok, or retry when storage failed; kNotFound (an event about an unknown message) is ok.
  host::ProcessOutcome afterStore(const sdk::Status& s, const Turn& t);
  // Ms left of the channel's retry budget for this event (replyRetrySeconds from its arrival).
  std::int64_t budgetLeftMs(const Turn& t) const;
  // A retry with backoff within the channel's budget (replyRetrySeconds from the event's
  // arrival); past it, giveUp().
  host::ProcessOutcome retry(const Turn& t, const std::string& why);
  // The event failed for good: its message (when stored) shows why, and the conversation's next
  // event runs.
  // `budgetSpent` false: refused for good at once (e.g. the agent's endpoint answered 401).
  host::ProcessOutcome giveUp(const Turn& t, const std::string& why, bool budgetSpent = true);
  std::optional<sdk::InboundEvent> readEvent(const host::InboxEvent& ie);

  ReplySender& sender_;
  SenderActions* actions_;
  ConversationServices& services_;
  const std::string channel_;
  const std::int64_t startedAt_;  // ms; budgets of events older than this start here
  std::function<double()> random_;
  sdk::Counter& processed_;
  sdk::Counter& duplicates_;
  sdk::Counter& dropped_;
  sdk::Counter& failed_;
};

}  // namespace chathost::host
