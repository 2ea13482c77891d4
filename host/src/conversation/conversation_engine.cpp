#include "conversation/conversation_engine.h"

#include "conversation/outbound_parts.h"

#include "agents/agent_busy.h"
#include "common/json_io.h"
#include "conversation/event_record.h"
#include "conversation/outbox_sender.h"
#include "conversation/read_watermark.h"
#include "conversation/text_split.h"
#include "workers/attempt_refund.h"

#include <chathost/sdk/json.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <limits>
#include <random>

namespace chathost::host {

namespace {
// Whether a stored or received attachments array holds anything ("[]" and "" do not).
bool carriesMedia(const std::string& attachmentsJson) {
  return !attachmentsJson.empty() && attachmentsJson != "[]";
}

using host::ProcessOutcome;
using sdk::EventKind;

constexpr std::int64_t kDedupTtlMs = 7LL * 24 * 3600 * 1000;
constexpr std::int64_t kProfileMarkerTtlMs = 24LL * 3600 * 1000;
constexpr int kEchoMatchWindow = 50;

double defaultRandom() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

// Local ids are unique across the chat store, dedup keys and mids only within a channel: the
// ids name the channel.
std::string replyLocalId(const std::string& channel, const std::string& base, std::size_t part) {
  return "reply:" + channel + ":" + base + ":" + std::to_string(part);
}

// The message an event carries, as the chat store keeps it.
host::Message storedMessage(const sdk::InboundEvent& e, std::string localId, std::string chatId,
                            std::string direction, host::MessageStatus status) {
  host::Message m;
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

std::string metricName(const std::string& channel, const char* what) {
  return "chathost_" + channel + "_" + what;
}

}  // namespace

std::int64_t outboxOrder(std::int64_t inboundTimestampMs, std::size_t part) {
  constexpr std::int64_t kPartsPerEvent = 1000;
  const auto index = static_cast<std::int64_t>(std::min<std::size_t>(part, kPartsPerEvent - 1));
  return std::max<std::int64_t>(0, inboundTimestampMs) * kPartsPerEvent + index;
}

std::int64_t backoffDelayMs(int attempt, double unitRandom) {
  constexpr std::int64_t kBaseMs = 1000;
  constexpr std::int64_t kMaxMs = 60000;
  int exponent = std::clamp(attempt - 1, 0, 16);
  std::int64_t delay = std::min(kMaxMs, kBaseMs << exponent);
  double jitter = 0.8 + 0.4 * std::clamp(unitRandom, 0.0, 1.0);
  return static_cast<std::int64_t>(static_cast<double>(delay) * jitter);
}

struct ConversationEngine::Turn {
  const host::InboxEvent& ie;
  sdk::InboundEvent e;
  sdk::Connection c;
};

ConversationEngine::ConversationEngine(ReplySender& sender, ConversationServices& services,
                                       SenderActions* actions)
    : sender_(sender),
      actions_(actions),
      services_(services),
      channel_(sender.description().name),
      startedAt_(services.clock()),
      random_(defaultRandom),
      processed_(services.metrics.counter(metricName(channel_, "events_processed_total"),
                                          "Inbox events of the channel by outcome",
                                          {{"result", "processed"}})),
      duplicates_(services.metrics.counter(metricName(channel_, "events_processed_total"),
                                           "Inbox events of the channel by outcome",
                                           {{"result", "duplicate"}})),
      dropped_(services.metrics.counter(metricName(channel_, "events_processed_total"),
                                        "Inbox events of the channel by outcome",
                                        {{"result", "dropped"}})),
      failed_(services.metrics.counter(metricName(channel_, "events_processed_total"),
                                       "Inbox events of the channel by outcome",
                                       {{"result", "failed"}})) {}

std::int64_t ConversationEngine::budgetLeftMs(const Turn& t) const {
  if (t.ie.receivedAt <= 0) return std::numeric_limits<std::int64_t>::max();  // arrival unknown
  // Events that waited while the host was down get their whole budget from its start.
  const std::int64_t since = std::max(t.ie.receivedAt, startedAt_);
  return sender_.description().replyRetrySeconds * 1000 - (services_.clock() - since);
}

ProcessOutcome ConversationEngine::retry(const Turn& t, const std::string& why) {
  const std::int64_t left = budgetLeftMs(t);
  if (left <= 0) return giveUp(t, why);
  return ProcessOutcome::retry(std::min(backoffDelayMs(t.ie.attempts, random_()), left), why);
}

ProcessOutcome ConversationEngine::giveUp(const Turn& t, const std::string& why, bool budgetSpent) {
  const std::string reason =
      budgetSpent ? "not answered: gave up after " +
                        std::to_string(sender_.description().replyRetrySeconds) + " s: " + why
                  : "not answered: " + why;
  if (t.e.kind == EventKind::kMessage || t.e.kind == EventKind::kPostback) {
    // Parts stored by an earlier attempt whose outbox rows could not be written: failed with it.
    const std::string base = t.e.mid.empty() ? t.e.dedupKey : t.e.mid;
    failPendingPartsFrom(services_.chats, replyLocalId(channel_, base, 0), reason);
    auto s = services_.chats.markFailed("in:" + channel_ + ":" + t.e.dedupKey, reason);
    // Storage still failing: keep the event (and the conversation behind it) until it can say so.
    if (!s && s.code() != sdk::ErrorCode::kNotFound)
      return ProcessOutcome::retry(backoffDelayMs(t.ie.attempts, random_()),
                                   "storage: " + s.message());
  }
  failed_.inc();
  services_.logger.warning(
      channel_ + ": giving up on an event",
      {{"agentId", t.c.agentId}, {"kind", sdk::eventKindName(t.e.kind)}, {"reason", why}});
  return ProcessOutcome::failed(reason);
}

ProcessOutcome ConversationEngine::afterStore(const sdk::Status& s, const Turn& t) {
  if (s.isOk() || s.code() == sdk::ErrorCode::kNotFound) return ProcessOutcome::done();
  return retry(t, "storage: " + s.message());
}

std::optional<sdk::InboundEvent> ConversationEngine::readEvent(const host::InboxEvent& ie) {
  if (auto e = eventFromPayload(ie.event.payload)) return e;
  // Recorded by an earlier version in the channel's own format: the channel reads it again.
  auto body = legacyPayloadAsWebhookBody(ie.event.payload);
  if (!body) return std::nullopt;
  auto parsed = sender_.channel().parseWebhook(*body);
  if (!parsed || parsed->events.size() != 1) return std::nullopt;
  return std::move(parsed->events.front());
}

ProcessOutcome ConversationEngine::process(const host::InboxEvent& ie) {
  auto event = readEvent(ie);
  if (!event) return ProcessOutcome::failed("unreadable " + channel_ + " inbox payload");

  auto found = services_.cache.byAgent(ie.event.subaccountId, ie.event.agentId, channel_);
  if (!found)
    return ProcessOutcome::retry(backoffDelayMs(ie.attempts, random_()),
                                 "connection lookup: " + found.status().message());
  if (!*found || !(*found)->connected) {
    dropped_.inc();  // disconnected since the webhook: acknowledged, never answered
    return ProcessOutcome::done();
  }
  Turn t{ie, std::move(*event), **found};

  // A fresh delivery of an event already seen is a duplicate (the platform retries); a
  // redelivery of the same inbox row (attempts > 1) resumes where the last attempt stopped. When
  // the key/value store is down, the chat store's unique constraints keep processing idempotent.
  const std::string dedupKey =
      channel_ + ":event:" + t.c.subaccountId + ":" + t.c.agentId + ":" + t.e.dedupKey;
  auto fresh = services_.kv.setIfAbsent(dedupKey, "1", kDedupTtlMs);
  if (fresh && !*fresh && ie.attempts <= 1) {
    duplicates_.inc();
    return ProcessOutcome::done();
  }

  ProcessOutcome outcome;
  switch (t.e.kind) {
    case EventKind::kMessage:
    case EventKind::kPostback:
    case EventKind::kReferral:
      outcome = handleInbound(t);
      break;
    case EventKind::kEcho:
      outcome = handleEcho(t);
      break;
    case EventKind::kUnsend:
    case EventKind::kEdit:
    case EventKind::kReaction:
    case EventKind::kRead:
      outcome = applyToOwnMessage(t);
      break;
    case EventKind::kUnknown:
      services_.logger.debug(channel_ + ": ignoring an event of unknown kind",
                             {{"agentId", t.c.agentId}});
      break;
  }
  if (outcome.kind == ProcessOutcome::Kind::kDone) processed_.inc();
  return outcome;
}

// How far back a watermark receipt looks for the account's newest message it covers.
constexpr int kWatermarkScan = 50;

ProcessOutcome ConversationEngine::applyReadWatermark(Turn& t) {
  const auto& e = t.e;
  const auto watermark = readWatermark(e.metaJson);
  if (!watermark) return ProcessOutcome::done();  // a receipt naming nothing we can place
  // Only this agent's chat with the sender is looked at, as for receipts naming a message.
  auto chat = services_.chats.findChat({t.c.subaccountId, t.c.agentId, channel_, e.userId});
  if (!chat) return retry(t, "storage: " + chat.status().message());
  if (!*chat) return ProcessOutcome::done();
  auto recent = services_.chats.recentMessages((*chat)->chatId, kWatermarkScan);
  if (!recent) return retry(t, "storage: " + recent.status().message());
  const Message* read = newestReadBy(*recent, *watermark);
  if (!read) return ProcessOutcome::done();
  return afterStore(
      services_.chats.mergeMeta(channel_, read->mid,
                                "{\"read\":{\"by\":" + sdk::jsonQuote(e.senderId) +
                                    ",\"timestamp\":" + std::to_string(e.timestamp) +
                                    ",\"watermark\":" + std::to_string(*watermark) + "}}"),
      t);
}

ProcessOutcome ConversationEngine::applyToOwnMessage(Turn& t) {
  const auto& e = t.e;
  if (e.kind == EventKind::kRead && e.mid.empty()) return applyReadWatermark(t);
  // These events name their message by mid only: apply them only to a message of this agent's
  // chat with that user, so no event (signed with one agent's secret) touches another's chats.
  auto target = services_.chats.findByMid(channel_, e.mid);
  if (!target) return retry(t, "storage: " + target.status().message());
  if (!*target) return ProcessOutcome::done();  // a message we never stored
  auto chat = services_.chats.findChat({t.c.subaccountId, t.c.agentId, channel_, e.userId});
  if (!chat) return retry(t, "storage: " + chat.status().message());
  if (!*chat || (*chat)->chatId != (*target)->chatId) {
    services_.logger.warning(channel_ + ": ignoring an event for a message of another chat",
                             {{"agentId", t.c.agentId}, {"kind", sdk::eventKindName(e.kind)}});
    return ProcessOutcome::done();
  }
  switch (e.kind) {
    case EventKind::kUnsend:
      return afterStore(services_.chats.markDeleted(channel_, e.mid), t);
    case EventKind::kEdit:
      return afterStore(services_.chats.editText(channel_, e.mid, e.text), t);
    case EventKind::kReaction:
      return handleReaction(t, **target);
    default:
      return afterStore(
          services_.chats.mergeMeta(channel_, e.mid,
                                    "{\"read\":{\"by\":" + sdk::jsonQuote(e.senderId) +
                                        ",\"timestamp\":" + std::to_string(e.timestamp) + "}}"),
          t);
  }
}

ProcessOutcome ConversationEngine::handleInbound(Turn& t) {
  const auto& e = t.e;
  auto chat =
      services_.chats.ensureChat({t.c.subaccountId, t.c.agentId, channel_, e.userId}, e.timestamp);
  if (!chat) return retry(t, "storage: " + chat.status().message());
  const host::Message msg = storedMessage(e, "in:" + channel_ + ":" + e.dedupKey, chat->chatId,
                                          "inbound", host::MessageStatus::kReceived);
  auto added = services_.chats.addMessage(msg);
  if (!added) return retry(t, "storage: " + added.status().message());
  // Already stored by another inbox row (a redelivery that got past the shared dedup, e.g. while
  // Redis is down): that row answers it. A retry of this same row (attempts > 1) carries on.
  if (!*added && t.ie.attempts <= 1) {
    duplicates_.inc();
    return ProcessOutcome::done();
  }

  // Nothing to answer: another app owns the thread, a bare referral, media without text, or
  // credentials the platform rejected (the user must reconnect first).
  ProcessOutcome outcome = ProcessOutcome::done();
  if (!e.standby && e.kind != EventKind::kReferral && !e.text.empty() && t.c.active)
    outcome = reply(t, *chat, msg.localId, t.ie.attempts <= 1);
  // After the reply, which should not wait for it.
  if (sender_.description().fetchesProfiles) fetchProfileOnce(t, *chat);
  return outcome;
}

void ConversationEngine::fetchProfileOnce(Turn& t, const host::Chat& chat) {
  if (!chat.userName.empty() || !chat.userUsername.empty()) return;
  const std::string marker = channel_ + ":profile:" + chat.chatId;
  auto first = services_.kv.setIfAbsent(marker, "1", kProfileMarkerTtlMs);
  if (first && !*first) return;  // already tried (successfully or with an ignorable refusal)
  auto profile = sender_.channel().fetchProfile(t.c, chat.key.channelUserId);
  if (!profile) {
    services_.kv.remove(marker);  // try again with a later message
    services_.logger.debug(channel_ + ": profile fetch failed",
                           {{"agentId", t.c.agentId}, {"error", profile.status().message()}});
    return;
  }
  if (*profile) services_.chats.setProfile(chat.chatId, (*profile)->name, (*profile)->username);
}

ProcessOutcome ConversationEngine::reply(Turn& t, const host::Chat& chat,
                                         const std::string& inboundLocalId, bool firstAttempt) {
  const auto& e = t.e;
  const std::string base = e.mid.empty() ? e.dedupKey : e.mid;
  // The parts stored by an earlier attempt, so a redelivery never asks the agent again.
  std::vector<host::Message> parts;
  for (std::size_t i = 0; !firstAttempt; ++i) {
    auto found = services_.chats.findByLocalId(replyLocalId(channel_, base, i));
    // Parts stored before message ids named their channel ("reply:<base>:<n>").
    if (found && !*found && (i == 0 || parts.front().localId.rfind("reply:" + channel_, 0) != 0))
      found = services_.chats.findByLocalId("reply:" + base + ":" + std::to_string(i));
    if (!found) return retry(t, "storage: " + found.status().message());
    if (!*found) break;
    parts.push_back(**found);
  }
  if (parts.empty()) {
    host::AgentTurn turn;
    turn.agentId = t.c.agentId;
    turn.subaccountId = t.c.subaccountId;
    turn.chatId = chat.chatId;
    turn.channel = channel_;
    turn.userId = e.userId;
    turn.text = e.text;
    // A chat created by this very message has no history to read, and an agent that wants
    // none (rules) is not made to wait for one.
    const int wanted = std::max(0, services_.agents.historyWanted(turn.subaccountId, turn.agentId));
    auto recent = chat.messageCount == 0 || wanted == 0
                      ? sdk::Result<std::vector<host::Message>>(std::vector<host::Message>{})
                      : services_.chats.recentMessages(chat.chatId, wanted + 1);
    if (recent) {
      for (const auto& m : *recent)
        if (m.localId != inboundLocalId && !m.text.empty())
          turn.history.push_back({m.direction, m.text, m.timestamp});
      if (turn.history.size() > static_cast<std::size_t>(wanted))
        turn.history.erase(turn.history.begin(), turn.history.end() - wanted);
    }
    std::uint64_t signals = 0;
    if (actions_) turn.onRemoteCall = [&] { signals = actions_->turnStarted(t.c, e.userId); };
    auto answer = services_.agents.reply(turn);
    if (actions_) actions_->turnEnded(signals);
    if (!answer && isAgentBusy(answer.status()) && budgetLeftMs(t) <= 0)
      return giveUp(t, "agent: " + answer.status().message());
    if (!answer && isAgentBusy(answer.status())) {
      // The agent runs its most turns at once: back soon, and the wait costs no attempt.
      refundCurrentAttempt();
      return ProcessOutcome::retry(agentBusyRetryDelayMs(random_()),
                                   "agent: " + answer.status().message());
    }
    if (!answer && isAgentPermanent(answer.status()))
      return giveUp(t, "agent: " + answer.status().message(), /*budgetSpent=*/false);
    if (!answer) return retry(t, "agent: " + answer.status().message());
    const bool hasText = answer->text && !answer->text->empty();
    if (!hasText && answer->attachments.empty()) return ProcessOutcome::done();
    const std::int64_t now = services_.clock();
    // The text's parts first, then one part per attachment (platforms send media alone).
    std::vector<std::pair<std::string, std::string>> contents;  // text, attachments JSON
    if (hasText)
      for (auto& text : splitText(*answer->text, sender_.description().maxTextBytes))
        contents.emplace_back(std::move(text), "[]");
    for (const auto& a : answer->attachments) {
      if (sender_.description().sendsAttachments)
        contents.emplace_back("", attachmentsJsonOf({a.type, a.url}));
      else
        contents.emplace_back(a.url, "[]");  // the link is the next best thing
    }
    for (std::size_t i = 0; i < contents.size(); ++i) {
      host::Message m;
      m.localId = replyLocalId(channel_, base, i);
      m.chatId = chat.chatId;
      m.direction = "outbound";
      m.text = contents[i].first;
      m.attachmentsJson = contents[i].second;
      m.timestamp = now + static_cast<std::int64_t>(i);  // keeps the parts in order
      m.senderId = t.c.accountId;
      m.status = host::MessageStatus::kPending;
      auto added = services_.chats.addMessage(m);
      if (!added) return retry(t, "storage: " + added.status().message());
      parts.push_back(m);
    }
  }
  return queueParts(t, parts);
}

ProcessOutcome ConversationEngine::queueParts(Turn& t, const std::vector<host::Message>& parts) {
  // One outbox row per part not sent yet, in order, dated by the account's pacing. A row queued
  // twice (a redelivered event) is harmless: the sender sends only parts still pending.
  std::vector<host::NewInboxEvent> rows;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const host::Message& part = parts[i];
    if (part.status != host::MessageStatus::kPending) continue;  // sent, failed or reconciled
    host::NewInboxEvent row;
    row.channel = channel_;
    row.subaccountId = t.c.subaccountId;
    row.agentId = t.c.agentId;
    row.orderingKey = conversationKey(t.c.subaccountId, t.c.agentId, t.e.userId);
    row.dedupKey = part.localId;
    row.kind = "reply";
    // A conversation's rows are sent in (event_ts, id) order: the inbound event's time, then the
    // part's index, keeps each reply's parts together and after the replies to earlier events
    // (wall-clock times of the parts could interleave two replies made within milliseconds).
    row.eventTimestamp = outboxOrder(t.e.timestamp, i);
    row.payload = outboxPayload({part.localId, t.e.userId});
    row.notBefore = sender_.nextSlot(t.c.accountId);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return ProcessOutcome::done();
  if (auto s = services_.outbox.append(rows); !s) return retry(t, "outbox: " + s.message());
  return ProcessOutcome::done();
}

ProcessOutcome ConversationEngine::handleEcho(Turn& t) {
  const auto& e = t.e;
  if (e.mid.empty()) return ProcessOutcome::done();
  auto known = services_.chats.findByMid(channel_, e.mid);
  if (!known) return retry(t, "storage: " + known.status().message());
  if (*known) return ProcessOutcome::done();  // our own send, already marked sent

  auto chat =
      services_.chats.ensureChat({t.c.subaccountId, t.c.agentId, channel_, e.userId}, e.timestamp);
  if (!chat) return retry(t, "storage: " + chat.status().message());
  // A send whose acknowledgement never arrived: the echo tells us it was delivered.
  if (auto recent = services_.chats.recentMessages(chat->chatId, kEchoMatchWindow)) {
    for (const auto& m : *recent) {
      if (m.direction != "outbound" || m.status != host::MessageStatus::kPending ||
          !m.mid.empty() || m.text != e.text ||
          carriesMedia(m.attachmentsJson) != carriesMedia(e.attachmentsJson))
        continue;  // a media part and a text (or an echo of other media) are not the same
      // Only a part a sender took up can have been delivered: a queued one with the same text
      // is still to be sent, and this echo is of another message.
      auto taken = services_.outbox.wasTakenUp(m.localId);
      if (!taken) return retry(t, "outbox: " + taken.status().message());
      if (*taken) return afterStore(services_.chats.markSent(m.localId, e.mid, e.timestamp), t);
    }
  }
  // Sent from the platform's own app or another tool.
  const host::Message msg = storedMessage(e, "echo:" + channel_ + ":" + e.mid, chat->chatId,
                                          "outbound", host::MessageStatus::kSent);
  auto added = services_.chats.addMessage(msg);
  if (!added) return retry(t, "storage: " + added.status().message());
  return ProcessOutcome::done();
}

ProcessOutcome ConversationEngine::handleReaction(Turn& t, const host::Message& target) {
  const auto& e = t.e;
  Poco::JSON::Object::Ptr reactions = new Poco::JSON::Object;
  if (auto meta = json::parseObject(target.metaJson))
    if (meta->has("reactions"))
      if (auto existing = json::asObject(meta->get("reactions"))) reactions = existing;
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
      services_.chats.mergeMeta(channel_, e.mid, "{\"reactions\":" + json::toText(reactions) + "}"),
      t);
}

}  // namespace chathost::host
