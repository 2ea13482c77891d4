#pragma once
// The conversation engine as the inbox consumer of the fake channel and the outbox sender as the
// outbox's, with the fake queues to deliver recorded events and queued reply parts to them.

#include "conversation/conversation_engine.h"
#include "conversation/outbox_sender.h"
#include "harness.h"

#include <gtest/gtest.h>

namespace chathost::testing {

struct EngineTest : ::testing::Test {
  Harness h;  // no connection caching: every event sees the stored connection
  std::unique_ptr<host::ReplySender> sender;
  std::unique_ptr<host::ConversationEngine> engine;
  std::unique_ptr<host::OutboxSender> outboxSender;

  EngineTest() { h.connect(); }

  /// Builds the engine from the channel's description as it is now (once).
  void start() {
    if (engine) return;
    sender = std::make_unique<host::ReplySender>(h.registered(), h.services);
    engine = std::make_unique<host::ConversationEngine>(*sender, h.services);
    engine->setRandom([] { return 0.5; });  // no jitter: backoff is 1 s, 2 s, 4 s...
    h.inbox.setConsumer(kChannel, [this](const host::InboxEvent& e) { return engine->process(e); });
    outboxSender = std::make_unique<host::OutboxSender>(*sender, h.services);
    outboxSender->setRandom([] { return 0.5; });
    h.outbox.setConsumer(kChannel,
                         [this](const host::InboxEvent& e) { return outboxSender->process(e); });
  }
  void receive(const std::vector<sdk::InboundEvent>& events) { h.receive(events); }
  /// Delivers every pending event once, then every reply part queued by then once.
  void deliverAll() {
    start();
    h.inbox.deliverAll(kChannel);
    h.outbox.deliverAll(kChannel);
  }
  /// Delivers until nothing is pending in either queue (retries included, whatever their delay).
  void drain() {
    for (int round = 0; round < 10; ++round) {
      deliverAll();
      if (h.inbox.pendingCount() == 0 && h.outbox.pendingCount() == 0) return;
    }
  }
  /// What the engine made of the last event, and the sender of the last reply part.
  host::ProcessOutcome lastOutcome() const { return h.inbox.outcomes().back(); }
  host::ProcessOutcome lastSendOutcome() const { return h.outbox.outcomes().back(); }
  /// Delivers the first recorded event again, as after a crash before it was marked done.
  host::ProcessOutcome redeliverFirst(int attempts = 2) {
    start();
    host::InboxEvent again;
    again.event = h.inbox.appended().at(0);
    again.attempts = attempts;
    return *h.inbox.deliver(kChannel, again);
  }
  std::size_t sends() const { return h.channel.sendCalls().size(); }
  std::optional<host::Message> byMid(const std::string& mid) {
    return *h.chats.findByMid(kChannel, mid);
  }
};

}  // namespace chathost::testing
