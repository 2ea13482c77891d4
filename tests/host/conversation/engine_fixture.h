#pragma once
// The conversation engine as the inbox consumer of the fake channel, with the fake inbox to
// deliver recorded events to it.

#include "conversation/conversation_engine.h"
#include "harness.h"

#include <gtest/gtest.h>

namespace chathost::testing {

struct EngineTest : ::testing::Test {
  Harness h;  // no connection caching: every event sees the stored connection
  std::unique_ptr<host::ReplySender> sender;
  std::unique_ptr<host::ConversationEngine> engine;

  EngineTest() { h.connect(); }

  /// Builds the engine from the channel's description as it is now (once).
  void start() {
    if (engine) return;
    sender = std::make_unique<host::ReplySender>(h.registered(), h.services);
    engine = std::make_unique<host::ConversationEngine>(*sender, h.services);
    engine->setRandom([] { return 0.5; });  // no jitter: backoff is 1 s, 2 s, 4 s...
    h.inbox.setConsumer(kChannel, [this](const sdk::InboxEvent& e) { return engine->process(e); });
  }
  void receive(const std::vector<sdk::InboundEvent>& events) { h.receive(events); }
  /// Delivers every pending event once.
  void deliverAll() {
    start();
    h.inbox.deliverAll(kChannel);
  }
  /// Delivers until nothing is pending (retries included, whatever their delay).
  void drain() {
    start();
    h.inbox.drain(kChannel);
  }
  sdk::ProcessOutcome lastOutcome() const { return h.inbox.outcomes().back(); }
  /// Delivers the first recorded event again, as after a crash before it was marked done.
  sdk::ProcessOutcome redeliverFirst(int attempts = 2) {
    start();
    sdk::InboxEvent again;
    again.event = h.inbox.appended().at(0);
    again.attempts = attempts;
    return *h.inbox.deliver(kChannel, again);
  }
  std::size_t sends() const { return h.channel.sendCalls().size(); }
  std::optional<sdk::Message> byMid(const std::string& mid) {
    return *h.chats.findByMid(kChannel, mid);
  }
};

}  // namespace chathost::testing
