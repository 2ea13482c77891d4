#pragma once
// The inbox consumer: applies one recorded webhook event (store, dedup, reactions, edits...) and
// sends the agent's reply with exactly-once-after-ack semantics.

#include "connection_cache.h"
#include "event_parser.h"
#include "graph_client.h"
#include "rate_limiter.h"
#include "services.h"
#include "settings.h"

#include <chathost/sdk/inbox.h>

#include <functional>

namespace chathost::instagram {

/// Delay before retry number `attempt` (1-based): 1 s doubling to at most 60 s, scaled by a
/// jitter factor in [0.8, 1.2] taken from `unitRandom` in [0, 1).
std::int64_t backoffDelayMs(int attempt, double unitRandom);

/// Thread-safe: the host may call process() for different ordering keys concurrently.
class Processor {
 public:
  Processor(Services& services, const Settings& settings, const GraphClient& graph,
            RateLimiter& limiter, ConnectionCache& connections);
  /// The InboxConsumer. Idempotent: a redelivered event never duplicates a stored message nor
  /// re-sends an acknowledged reply.
  sdk::ProcessOutcome process(const sdk::InboxEvent& event);

  /// Replaces the jitter source (tests).
  void setRandom(std::function<double()> random) { random_ = std::move(random); }

 private:
  sdk::ProcessOutcome handleInbound(const InstagramEvent& e, const sdk::Connection& c,
                                    const sdk::InboxEvent& ie);
  sdk::ProcessOutcome handleEcho(const InstagramEvent& e, const sdk::Connection& c,
                                 const sdk::InboxEvent& ie);
  /// Empty when a send slot was taken (after waiting up to kRateLimitInPlaceMs), else why not.
  std::string waitForSendSlot(const std::string& accountId);
  sdk::ProcessOutcome applyToOwnMessage(const InstagramEvent& e, const sdk::Connection& c,
                                        const sdk::InboxEvent& ie);
  sdk::ProcessOutcome handleReaction(const InstagramEvent& e, const sdk::Message& target,
                                     const sdk::InboxEvent& ie);
  /// `firstAttempt`: the inbound message was stored just now, so no earlier attempt stored parts.
  sdk::ProcessOutcome reply(const InstagramEvent& e, const sdk::Connection& c,
                            const sdk::Chat& chat, const std::string& inboundLocalId,
                            bool firstAttempt, const sdk::InboxEvent& ie);
  void fetchProfileOnce(const sdk::Connection& c, const sdk::Chat& chat);
  /// Marks the connection inactive after the platform refused the token `used` carried.
  void deactivate(const sdk::Connection& used, const std::string& why);
  // ok, or retry when storage failed; kNotFound (an event about an unknown message) is ok.
  sdk::ProcessOutcome afterStore(const sdk::Status& s, const sdk::InboxEvent& ie);
  sdk::ProcessOutcome retry(const sdk::InboxEvent& ie, const std::string& why);

  Services& services_;
  const Settings& settings_;
  const GraphClient& graph_;
  RateLimiter& limiter_;
  ConnectionCache& connections_;
  std::function<double()> random_;
  sdk::Counter& processed_;
  sdk::Counter& duplicates_;
  sdk::Counter& dropped_;
  sdk::Counter& sendsOk_;
  sdk::Counter& sendsFailed_;
};

}  // namespace chathost::instagram
