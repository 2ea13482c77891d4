#include "processor.h"

#include "json_util.h"
#include "text_split.h"

#include <chathost/sdk/json.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace chathost::instagram {

namespace {
using sdk::ProcessOutcome;

constexpr std::int64_t kDedupTtlMs = 7LL * 24 * 3600 * 1000;
constexpr std::int64_t kProfileMarkerTtlMs = 24LL * 3600 * 1000;
constexpr int kHistoryLength = 10;
constexpr int kEchoMatchWindow = 50;
// Send-rate waits up to this long happen in place; longer ones retry the event later.
constexpr std::int64_t kRateLimitInPlaceMs = 250;
constexpr std::int64_t kRateLimitRetryMs = 1000;
constexpr const char* kProcessedMetric = "chathost_instagram_events_processed_total";
constexpr const char* kProcessedHelp = "Instagram inbox events by outcome";

double defaultRandom() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::string replyLocalId(const std::string& base, std::size_t part) {
  return "reply:" + base + ":" + std::to_string(part);
}
// The message an event carries, as the chat store keeps it.
sdk::Message storedMessage(const InstagramEvent& e, std::string localId, std::string chatId,
                           std::string direction, sdk::MessageStatus status) {
  sdk::Message m;
  m.localId = std::move(localId);
  m.chatId = std::move(chatId);
  m.mid = e.mid;
  m.direction = std::move(direction);
  m.text = e.text;
  m.attachmentsJson = e.attachmentsJson;
  m.metaJson = e.metaJson;
  m.timestamp = e.timestamp;
  m.senderId = e.senderId;
  m.status = status;
  return m;
}

}  // namespace

std::int64_t backoffDelayMs(int attempt, double unitRandom) {
  constexpr std::int64_t kBaseMs = 1000;
  constexpr std::int64_t kMaxMs = 60000;
  int exponent = std::clamp(attempt - 1, 0, 16);
  std::int64_t delay = std::min(kMaxMs, kBaseMs << exponent);
  double jitter = 0.8 + 0.4 * std::clamp(unitRandom, 0.0, 1.0);
  return static_cast<std::int64_t>(static_cast<double>(delay) * jitter);
}

Processor::Processor(Services& services, const Settings& settings, const GraphClient& graph,
                     RateLimiter& limiter, ConnectionCache& connections)
    : services_(services),
      settings_(settings),
      graph_(graph),
      limiter_(limiter),
      connections_(connections),
      random_(defaultRandom),
      processed_(
          services.metrics.counter(kProcessedMetric, kProcessedHelp, {{"result", "processed"}})),
      duplicates_(
          services.metrics.counter(kProcessedMetric, kProcessedHelp, {{"result", "duplicate"}})),
      dropped_(services.metrics.counter(kProcessedMetric, kProcessedHelp, {{"result", "dropped"}})),
      sendsOk_(services.metrics.counter("chathost_instagram_sends_total",
                                        "Instagram Send API calls", {{"result", "ok"}})),
      sendsFailed_(services.metrics.counter("chathost_instagram_sends_total",
                                            "Instagram Send API calls", {{"result", "error"}})) {}

ProcessOutcome Processor::retry(const sdk::InboxEvent& ie, const std::string& why) {
  return ProcessOutcome::retry(backoffDelayMs(ie.attempts, random_()), why);
}

ProcessOutcome Processor::afterStore(const sdk::Status& s, const sdk::InboxEvent& ie) {
  if (s.isOk() || s.code() == sdk::ErrorCode::kNotFound) return ProcessOutcome::done();
  return retry(ie, "storage: " + s.message());
}

ProcessOutcome Processor::process(const sdk::InboxEvent& ie) {
  auto parsed = fromInboxPayload(ie.event.payload);
  if (!parsed) return ProcessOutcome::failed("unreadable instagram inbox payload");
  const InstagramEvent& e = *parsed;

  auto found = connections_.byAgent(ie.event.subaccountId, ie.event.agentId);
  if (!found) return retry(ie, "connection lookup: " + found.status().message());
  if (!*found || !(*found)->connected) {
    dropped_.inc();  // disconnected since the webhook: acknowledged, never answered
    return ProcessOutcome::done();
  }
  const sdk::Connection& conn = **found;

  // A fresh delivery of an event already seen is a duplicate (Meta retries); a redelivery of the
  // same inbox row (attempts > 1) resumes where the last attempt stopped. When the store is
  // down, the chat store's unique constraints keep processing idempotent.
  std::string dedupKey =
      "instagram:event:" + conn.subaccountId + ":" + conn.agentId + ":" + dedupKeyOf(e);
  auto fresh = services_.kv.setIfAbsent(dedupKey, "1", kDedupTtlMs);
  if (fresh && !*fresh && ie.attempts <= 1) {
    duplicates_.inc();
    return ProcessOutcome::done();
  }

  ProcessOutcome outcome;
  switch (e.kind) {
    case EventKind::kMessage:
    case EventKind::kPostback:
    case EventKind::kReferral:
      outcome = handleInbound(e, conn, ie);
      break;
    case EventKind::kEcho:
      outcome = handleEcho(e, conn, ie);
      break;
    case EventKind::kDeleted:
    case EventKind::kEdit:
    case EventKind::kReaction:
    case EventKind::kRead:
      outcome = applyToOwnMessage(e, conn, ie);
      break;
    case EventKind::kUnknown:
      services_.logger.debug("instagram: ignoring an event of unknown kind",
                             {{"agentId", conn.agentId}});
      break;
  }
  if (outcome.kind == ProcessOutcome::Kind::kDone) processed_.inc();
  return outcome;
}

ProcessOutcome Processor::applyToOwnMessage(const InstagramEvent& e, const sdk::Connection& c,
                                            const sdk::InboxEvent& ie) {
  // These events name their message by mid only: apply them only to a message of this agent's
  // chat with that user, so no event (signed with one agent's secret) touches another's chats.
  auto target = services_.chats.findByMid(kChannel, e.mid);
  if (!target) return retry(ie, "storage: " + target.status().message());
  if (!*target) return ProcessOutcome::done();  // a message we never stored
  const std::string& user = e.senderId == c.accountId ? e.recipientId : e.senderId;
  auto chat = services_.chats.findChat({c.subaccountId, c.agentId, kChannel, user});
  if (!chat) return retry(ie, "storage: " + chat.status().message());
  if (!*chat || (*chat)->chatId != (*target)->chatId) {
    services_.logger.warning("instagram: ignoring an event for a message of another chat",
                             {{"agentId", c.agentId}, {"kind", std::string(kindName(e.kind))}});
    return ProcessOutcome::done();
  }
  switch (e.kind) {
    case EventKind::kDeleted:
      return afterStore(services_.chats.markDeleted(kChannel, e.mid), ie);
    case EventKind::kEdit:
      return afterStore(services_.chats.editText(kChannel, e.mid, e.text), ie);
    case EventKind::kReaction:
      return handleReaction(e, **target, ie);
    default:
      return afterStore(
          services_.chats.mergeMeta(kChannel, e.mid,
                                    "{\"read\":{\"by\":" + sdk::jsonQuote(e.senderId) +
                                        ",\"timestamp\":" + std::to_string(e.timestamp) + "}}"),
          ie);
  }
}

ProcessOutcome Processor::handleInbound(const InstagramEvent& e, const sdk::Connection& c,
                                        const sdk::InboxEvent& ie) {
  auto chat =
      services_.chats.ensureChat({c.subaccountId, c.agentId, kChannel, e.senderId}, e.timestamp);
  if (!chat) return retry(ie, "storage: " + chat.status().message());
  const sdk::Message msg = storedMessage(e, "in:" + dedupKeyOf(e), chat->chatId, "inbound",
                                         sdk::MessageStatus::kReceived);
  auto added = services_.chats.addMessage(msg);
  if (!added) return retry(ie, "storage: " + added.status().message());
  // Already stored by another inbox row (a redelivery that got past the shared dedup, e.g. while
  // Redis is down): that row answers it. A retry of this same row (attempts > 1) carries on.
  if (!*added && ie.attempts <= 1) {
    duplicates_.inc();
    return ProcessOutcome::done();
  }

  // Nothing to answer: another app owns the thread, a bare referral, media without text, or a
  // token the platform rejected (the user must reconnect first).
  ProcessOutcome outcome = ProcessOutcome::done();
  if (!e.standby && e.kind != EventKind::kReferral && !e.text.empty() && c.active)
    outcome = reply(e, c, *chat, msg.localId, ie.attempts <= 1, ie);
  // After the reply, which should not wait for it.
  if (settings_.profileFetch) fetchProfileOnce(c, *chat);
  return outcome;
}

void Processor::fetchProfileOnce(const sdk::Connection& c, const sdk::Chat& chat) {
  if (!chat.userName.empty() || !chat.userUsername.empty()) return;
  auto first =
      services_.kv.setIfAbsent("instagram:profile:" + chat.chatId, "1", kProfileMarkerTtlMs);
  if (first && !*first) return;  // already tried (successfully or with an ignorable refusal)
  auto profile = graph_.fetchProfile(credentialsOf(c), chat.key.channelUserId);
  if (!profile.ok()) {
    services_.kv.remove("instagram:profile:" + chat.chatId);  // try again with a later message
    services_.logger.debug("instagram: profile fetch failed",
                           {{"agentId", c.agentId}, {"error", describe(profile.error)}});
    return;
  }
  if (*profile.value)
    services_.chats.setProfile(chat.chatId, (*profile.value)->name, (*profile.value)->username);
}

ProcessOutcome Processor::reply(const InstagramEvent& e, const sdk::Connection& c,
                                const sdk::Chat& chat, const std::string& inboundLocalId,
                                bool firstAttempt, const sdk::InboxEvent& ie) {
  const std::string base = e.mid.empty() ? dedupKeyOf(e) : e.mid;
  // The parts stored by an earlier attempt, so a redelivery never asks the agent again.
  std::vector<sdk::Message> parts;
  for (std::size_t i = 0; !firstAttempt; ++i) {
    auto found = services_.chats.findByLocalId(replyLocalId(base, i));
    if (!found) return retry(ie, "storage: " + found.status().message());
    if (!*found) break;
    parts.push_back(**found);
  }
  if (parts.empty()) {
    sdk::AgentTurn turn;
    turn.agentId = c.agentId;
    turn.subaccountId = c.subaccountId;
    turn.chatId = chat.chatId;
    turn.channel = kChannel;
    turn.userId = e.senderId;
    turn.text = e.text;
    // A chat created by this very message has no history to read.
    auto recent = chat.messageCount == 0
                      ? sdk::Result<std::vector<sdk::Message>>(std::vector<sdk::Message>{})
                      : services_.chats.recentMessages(chat.chatId, kHistoryLength + 1);
    if (recent) {
      for (const auto& m : *recent)
        if (m.localId != inboundLocalId && !m.text.empty())
          turn.history.push_back({m.direction, m.text, m.timestamp});
      if (turn.history.size() > static_cast<std::size_t>(kHistoryLength))
        turn.history.erase(turn.history.begin(), turn.history.end() - kHistoryLength);
    }
    auto answer = services_.agents.reply(turn);
    if (!answer) return retry(ie, "agent: " + answer.status().message());
    if (!answer->text || answer->text->empty()) return ProcessOutcome::done();
    std::int64_t now = services_.clock();
    auto texts = splitText(*answer->text);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      sdk::Message m;
      m.localId = replyLocalId(base, i);
      m.chatId = chat.chatId;
      m.direction = "outbound";
      m.text = texts[i];
      m.timestamp = now + static_cast<std::int64_t>(i);  // keeps the parts in order
      m.senderId = c.accountId;
      m.status = sdk::MessageStatus::kPending;
      auto added = services_.chats.addMessage(m);
      if (!added) return retry(ie, "storage: " + added.status().message());
      parts.push_back(m);
    }
  }

  auto failRest = [&](std::size_t from, const std::string& why) {
    for (std::size_t k = from; k < parts.size(); ++k)
      if (parts[k].status == sdk::MessageStatus::kPending)
        services_.chats.markFailed(parts[k].localId, why);
  };
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& part = parts[i];
    if (part.status != sdk::MessageStatus::kPending) continue;  // sent, failed or reconciled
    std::int64_t now = services_.clock();
    // An ack recorded by an attempt whose markSent failed: never send that part again.
    const std::string ackKey = "instagram:ack:" + part.localId;
    if (auto acked = services_.kv.get(ackKey); acked && *acked) {
      if (auto s = services_.chats.markSent(part.localId, **acked, now); !s)
        return retry(ie, "storage: " + s.message());
      continue;
    }
    if (auto s = waitForSendSlot(c.accountId); !s.empty())
      return ProcessOutcome::retry(kRateLimitRetryMs, s);
    auto ack = graph_.sendText(credentialsOf(c), e.senderId, part.text);
    if (ack.ok()) {
      sendsOk_.inc();
      services_.kv.set(ackKey, ack.value->messageId, kDedupTtlMs);
      if (auto s = services_.chats.markSent(part.localId, ack.value->messageId, services_.clock());
          !s)
        return retry(ie, "storage: " + s.message());  // the echo will reconcile it meanwhile
      continue;
    }
    sendsFailed_.inc();
    std::string why = describe(ack.error);
    switch (classify(ack.error)) {
      case GraphErrorClass::kReauth:
        deactivate(c, why);
        failRest(i, why);
        return ProcessOutcome::done();
      case GraphErrorClass::kPermanent:
        failRest(i, why);
        return ProcessOutcome::done();
      case GraphErrorClass::kRetryable: {
        std::int64_t elapsed = now - part.timestamp;
        std::int64_t budget = settings_.replyRetrySeconds * 1000;
        if (elapsed >= budget) {
          failRest(i,
                   "gave up after " + std::to_string(settings_.replyRetrySeconds) + " s: " + why);
          return ProcessOutcome::done();
        }
        std::int64_t delay = std::min(backoffDelayMs(ie.attempts, random_()),
                                      std::max<std::int64_t>(1, budget - elapsed));
        return ProcessOutcome::retry(delay, why);
      }
    }
  }
  return ProcessOutcome::done();
}

void Processor::deactivate(const sdk::Connection& used, const std::string& why) {
  // Only the token that was refused: the user may have reconnected meanwhile (the cached
  // connection can be older than the stored one).
  auto current = services_.connections.get(used.subaccountId, used.agentId, kChannel);
  connections_.invalidateAll();
  if (!current || !*current || !(*current)->connected) return;
  auto token = [](const sdk::Connection& c) {
    auto it = c.secrets.find("accessToken");
    return it == c.secrets.end() ? std::string() : it->second;
  };
  if (token(**current) != token(used)) return;
  services_.connections.setActive(used.subaccountId, used.agentId, kChannel, false, why);
  connections_.invalidateAll();
  services_.logger.warning("instagram: access token rejected; connection marked inactive",
                           {{"agentId", used.agentId}});
}

std::string Processor::waitForSendSlot(const std::string& accountId) {
  // Short waits happen in place: a retry would use up one of the event's delivery attempts.
  for (std::int64_t waited = 0;;) {
    const std::int64_t wait = limiter_.acquire(accountId, services_.clock());
    if (wait == 0) return {};
    if (waited + wait > kRateLimitInPlaceMs) return "send rate limit";
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    waited += wait;
  }
}

ProcessOutcome Processor::handleEcho(const InstagramEvent& e, const sdk::Connection& c,
                                     const sdk::InboxEvent& ie) {
  if (e.mid.empty()) return ProcessOutcome::done();
  auto known = services_.chats.findByMid(kChannel, e.mid);
  if (!known) return retry(ie, "storage: " + known.status().message());
  if (*known) return ProcessOutcome::done();  // our own send, already marked sent

  auto chat =
      services_.chats.ensureChat({c.subaccountId, c.agentId, kChannel, e.recipientId}, e.timestamp);
  if (!chat) return retry(ie, "storage: " + chat.status().message());
  // A send whose acknowledgement never arrived: the echo tells us it was delivered.
  if (auto recent = services_.chats.recentMessages(chat->chatId, kEchoMatchWindow)) {
    for (const auto& m : *recent) {
      if (m.direction == "outbound" && m.status == sdk::MessageStatus::kPending && m.mid.empty() &&
          m.text == e.text)
        return afterStore(services_.chats.markSent(m.localId, e.mid, e.timestamp), ie);
    }
  }
  // Sent from the Instagram app or another tool.
  const sdk::Message msg =
      storedMessage(e, "echo:" + e.mid, chat->chatId, "outbound", sdk::MessageStatus::kSent);
  auto added = services_.chats.addMessage(msg);
  if (!added) return retry(ie, "storage: " + added.status().message());
  return ProcessOutcome::done();
}

ProcessOutcome Processor::handleReaction(const InstagramEvent& e, const sdk::Message& target,
                                         const sdk::InboxEvent& ie) {
  Poco::JSON::Object::Ptr reactions = new Poco::JSON::Object;
  if (auto meta = parseObject(target.metaJson))
    if (auto existing = getObject(*meta, "reactions")) reactions = existing;
  if (e.reactionAction == "unreact") {
    reactions->remove(e.senderId);
  } else {
    Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
    r->set("reaction", e.reaction);
    r->set("emoji", e.emoji);
    r->set("timestamp", e.timestamp);
    reactions->set(e.senderId, r);
  }
  return afterStore(
      services_.chats.mergeMeta(kChannel, e.mid, "{\"reactions\":" + toJson(*reactions) + "}"), ie);
}

}  // namespace chathost::instagram
