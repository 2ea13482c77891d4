#pragma once
// Shared arrangement of the conversation tests: the SDK fakes as ConversationServices with a
// controllable clock, a FakeChannel registered through a real ChannelRegistry (so the code under
// test holds the SDK's guard, as in production), a connected agent, events as a channel parses
// them and inbox rows as the webhook ingress records them.

#include "common/json_io.h"
#include "conversation/channel_registry.h"
#include "conversation/conversation_services.h"
#include "conversation/event_record.h"
#include "fake_channel.h"

#include "../fakes/host_fakes.h"

#include <chathost/sdk/testing/fakes.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace chathost::testing {

namespace fakes = chathost::sdk::testing;
namespace hostfakes = chathost::host::fakes;
namespace json = chathost::host::json;

inline constexpr const char* kChannel = "fakechat";
inline constexpr const char* kAccount = "acct-1";
inline constexpr const char* kUser = "user-1";
inline constexpr const char* kToken = "secret-token-123";
inline constexpr std::int64_t kStart = 1718000000000;

/// The fake chat store, whose markSent can be made to fail a number of times.
class ChatStore : public hostfakes::FakeChatStore {
 public:
  std::atomic<int> markSentFailures{0};
  sdk::Status markSent(const std::string& localId, const std::string& mid,
                       std::int64_t timestampMs) override {
    if (markSentFailures > 0) {
      --markSentFailures;
      return sdk::Status::unavailable("db blip");
    }
    return FakeChatStore::markSent(localId, mid, timestampMs);
  }
};

struct Harness {
  explicit Harness(std::int64_t cacheTtlMs = 0)
      : cache(connections, cacheTtlMs, [this] { return now; }) {
    agents.add(agent);
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  std::int64_t now = kStart;
  fakes::FakeLogger log;
  ChatStore chats;
  hostfakes::FakeConnectionStore connections;
  hostfakes::FakeInbox inbox;
  hostfakes::FakeInbox outbox;                   // reply parts queued for the sender
  sdk::Status claimVerdict = sdk::Status::ok();  // what the sender's claim check answers
  std::vector<std::int64_t> claimChecks;         // outbox row ids checked, in order
  fakes::FakeKeyValue kv;
  hostfakes::FakeAgents agents;
  fakes::FakeMetrics metrics;
  fakes::FakeRouter router;
  host::ConnectionCache cache;
  host::ConversationServices services{log,
                                      chats,
                                      connections,
                                      inbox,
                                      outbox,
                                      [this](const host::InboxEvent& row) {
                                        claimChecks.push_back(row.id);
                                        return claimVerdict;
                                      },
                                      kv,
                                      agents,
                                      metrics,
                                      cache,
                                      [this] { return now; }};
  FakeChannel channel;
  host::ChannelRegistry registry;
  sdk::AgentInfo agent{"agent1", "sub1", "Helper", "rules", "{}", 0, 0};

  /// The channel as registered; registers it (with its description as it is now) on first use.
  std::shared_ptr<const host::RegisteredChannel> registered() {
    if (auto r = registry.find(channel.description.name)) return r;
    if (auto s = registry.add(channel); !s)
      throw std::runtime_error("could not register the fake channel: " + s.message());
    return registry.find(channel.description.name);
  }

  sdk::Connection connection() const {
    sdk::Connection c;
    c.subaccountId = agent.subaccountId;
    c.agentId = agent.id;
    c.channel = kChannel;
    c.accountId = kAccount;
    c.username = "shop";
    c.accountType = "BUSINESS";
    c.connected = true;
    c.active = true;
    c.secrets = {{"token", kToken}, {"verifyToken", "verify-me"}};
    return c;
  }
  void connect() { connections.put(connection()); }

  /// Records `events` in the inbox as the webhook ingress does for the connected agent.
  void receive(const std::vector<sdk::InboundEvent>& events,
               const std::string& subaccountId = "sub1", const std::string& agentId = "agent1") {
    std::vector<host::NewInboxEvent> rows;
    for (const auto& e : events) {
      host::NewInboxEvent n;
      n.channel = kChannel;
      n.subaccountId = subaccountId;
      n.agentId = agentId;
      n.orderingKey = host::conversationKey(subaccountId, agentId, e.userId);
      n.dedupKey = e.dedupKey;
      n.kind = sdk::eventKindName(e.kind);
      n.eventTimestamp = e.timestamp;
      n.payload = host::eventToPayload(e);
      rows.push_back(n);
    }
    if (auto s = inbox.append(rows); !s) throw std::runtime_error(s.message());
  }

  std::vector<host::Message> byDirection(const std::string& direction) const {
    std::vector<host::Message> out;
    for (const auto& m : chats.allMessages())
      if (m.direction == direction) out.push_back(m);
    return out;
  }
  double counter(const std::string& what, const std::string& result) const {
    return metrics.counterValue("chathost_fakechat_" + what, {{"result", result}});
  }
};

// ---------------------------------------------------------------------------------------------
// Events as a channel's parseWebhook gives them.

/// The user wrote `text` (message `mid`) to the connected account, a minute before the test's
/// clock starts.
inline sdk::InboundEvent userMessage(const std::string& mid, const std::string& text,
                                     std::int64_t timestamp = kStart - 60000,
                                     const std::string& user = kUser) {
  sdk::InboundEvent e;
  e.kind = sdk::EventKind::kMessage;
  e.accountId = kAccount;
  e.userId = user;
  e.senderId = user;
  e.recipientId = kAccount;
  e.timestamp = timestamp;
  e.mid = mid;
  e.text = text;
  e.dedupKey = "mid:" + mid;
  return e;
}

/// The connected account itself sent `text` to the user.
inline sdk::InboundEvent echo(const std::string& mid, const std::string& text) {
  sdk::InboundEvent e = userMessage(mid, text, kStart - 30000);
  e.kind = sdk::EventKind::kEcho;
  e.senderId = kAccount;
  e.recipientId = kUser;
  return e;
}

/// A `kind` event of `user` about message `mid` (reaction, read, edit, unsend).
inline sdk::InboundEvent about(sdk::EventKind kind, const std::string& mid, std::int64_t timestamp,
                               const std::string& user = kUser) {
  sdk::InboundEvent e;
  e.kind = kind;
  e.accountId = kAccount;
  e.userId = user;
  e.senderId = user;
  e.recipientId = kAccount;
  e.timestamp = timestamp;
  e.mid = mid;
  e.dedupKey = std::string(sdk::eventKindName(kind)) + ":" + mid + ":" + std::to_string(timestamp);
  return e;
}

inline sdk::ParsedWebhook parsedOf(std::vector<sdk::InboundEvent> events, int ignored = 0) {
  sdk::ParsedWebhook p;
  p.events = std::move(events);
  p.ignored = ignored;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Reading answers.

/// The `data` object of a success envelope; null (and a failed expectation) otherwise.
inline json::ObjectPtr dataOf(const sdk::Response& r) {
  auto root = json::parseObject(r.body);
  if (!root || !root->has("success") || !root->getValue<bool>("success")) return nullptr;
  return root->getObject("data");
}

}  // namespace chathost::testing
