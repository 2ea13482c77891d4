#include "conversation/outbox_sender.h"

#include "common/json_io.h"
#include "conversation/conversation_engine.h"
#include "conversation/outbound_parts.h"
#include "workers/attempt_refund.h"

#include <chathost/sdk/json.h>

#include <algorithm>
#include <random>

namespace chathost::host {

namespace {
using host::ProcessOutcome;

constexpr std::int64_t kAckTtlMs = 7LL * 24 * 3600 * 1000;
// Marking a part sent failed after the platform took it: soon again (the ack key keeps it from
// being sent twice meanwhile).
constexpr std::int64_t kRecordRetryMs = 500;

double defaultRandom() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::string stringMember(const json::ObjectPtr& o, const char* key) {
  if (!o->has(key) || !json::isString(o->get(key))) return {};
  return o->get(key).extract<std::string>();
}
}  // namespace

std::optional<std::string> nextPartId(std::string_view localId) {
  const auto colon = localId.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == localId.size()) return std::nullopt;
  std::size_t n = 0;
  for (char ch : localId.substr(colon + 1)) {
    if (ch < '0' || ch > '9' || n > 100000) return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  return std::string(localId.substr(0, colon + 1)) + std::to_string(n + 1);
}

void failPendingPartsFrom(host::ChatStore& chats, const std::string& localId,
                          const std::string& why) {
  for (std::optional<std::string> id = localId; id; id = nextPartId(*id)) {
    auto found = chats.findByLocalId(*id);
    if (!found || !*found) return;
    if ((*found)->status == host::MessageStatus::kPending) chats.markFailed(*id, why);
  }
}

std::string outboxPayload(const OutboxRow& row) {
  return "{\"localId\":" + sdk::jsonQuote(row.localId) +
         ",\"recipientId\":" + sdk::jsonQuote(row.recipientId) + "}";
}

std::optional<OutboxRow> outboxRowFromPayload(std::string_view payload) {
  auto o = json::parseObject(std::string(payload));
  if (!o) return std::nullopt;
  OutboxRow row{stringMember(o, "localId"), stringMember(o, "recipientId")};
  if (row.localId.empty() || row.recipientId.empty()) return std::nullopt;
  return row;
}

OutboxSender::OutboxSender(ReplySender& sender, ConversationServices& services)
    : sender_(sender),
      services_(services),
      channel_(sender.description().name),
      random_(defaultRandom) {}

ProcessOutcome OutboxSender::retry(const host::InboxEvent& row, const std::string& why) {
  return ProcessOutcome::retry(backoffDelayMs(row.attempts, random_()), why);
}

ProcessOutcome OutboxSender::retryWithin(const host::InboxEvent& row, const host::Message& part,
                                         const std::string& why, std::int64_t atLeastMs) {
  const std::int64_t budget = sender_.description().replyRetrySeconds * 1000;
  const std::int64_t left = budget - (services_.clock() - part.timestamp);
  if (left <= 0)
    return giveUp(
        part.localId,
        "gave up after " + std::to_string(sender_.description().replyRetrySeconds) + " s: " + why);
  const std::int64_t delay = std::max(atLeastMs, backoffDelayMs(row.attempts, random_()));
  return ProcessOutcome::retry(std::min(delay, left), why);
}

ProcessOutcome OutboxSender::giveUp(const std::string& localId, const std::string& why) {
  if (auto s = services_.chats.markFailed(localId, why); !s)
    return ProcessOutcome::retry(kRecordRetryMs, "storage: " + s.message());
  return ProcessOutcome::done();
}

ProcessOutcome OutboxSender::process(const host::InboxEvent& row) {
  auto parsed = outboxRowFromPayload(row.event.payload);
  if (!parsed) return ProcessOutcome::failed("unreadable outbox row");
  const OutboxRow& out = *parsed;

  // The stored part decides: sent or failed already (a duplicate row, a redelivery) means
  // nothing to do.
  auto found = services_.chats.findByLocalId(out.localId);
  if (!found) return retry(row, "storage: " + found.status().message());
  if (!*found || (*found)->status != host::MessageStatus::kPending) return ProcessOutcome::done();
  const host::Message& part = **found;

  auto conn = services_.cache.byAgent(row.event.subaccountId, row.event.agentId, channel_);
  if (!conn) return retryWithin(row, part, "connection lookup: " + conn.status().message());
  if (!*conn || !(*conn)->connected)
    return giveUp(out.localId, "not sent: the agent is no longer connected");
  const sdk::Connection& c = **conn;
  if (!c.active) return giveUp(out.localId, "not sent: the credentials were refused; reconnect");

  // The platform took this part before, but marking it sent failed: mark it now, never resend.
  const std::string ackKey = channel_ + ":ack:" + out.localId;
  if (auto acked = services_.kv.get(ackKey); acked && *acked) {
    if (auto s = services_.chats.markSent(out.localId, **acked, services_.clock()); !s) {
      refundCurrentAttempt();  // storage, not the send, failed: never give the row up for it
      return ProcessOutcome::retry(kRecordRetryMs, "storage: " + s.message());
    }
    return ProcessOutcome::done();
  }

  if (const std::int64_t wait = sender_.tryAcquire(c.accountId); wait > 0) {
    // Waiting for a slot is no failure: it must not use up the row's attempts.
    refundCurrentAttempt();
    return ProcessOutcome::retry(wait, "send rate limit");
  }
  // Fencing: a worker whose claim expired (and was taken over) must not send.
  if (auto s = services_.confirmSendClaim(row); !s) {
    if (s.code() == sdk::ErrorCode::kConflict) return ProcessOutcome::abandon(s.message());
    return retryWithin(row, part, "claim check: " + s.message());
  }

  sdk::Status recorded = sdk::Status::ok();
  const sdk::SendResult result = sender_.sendStored(
      c, out.localId, outboundOf(out.recipientId, part.text, part.attachmentsJson), &recorded);
  if (result.kind == sdk::SendResult::Kind::kSent) {
    if (!recorded) {
      // Kept where the next attempt (on any host) looks first: it marks the part, never resends.
      services_.kv.set(ackKey, result.messageId, kAckTtlMs);
      refundCurrentAttempt();  // sent: the row only has to record it, however long that takes
      return ProcessOutcome::retry(kRecordRetryMs, "storage: " + recorded.message());
    }
    return ProcessOutcome::done();
  }
  return afterFailure(row, part, result);
}

void OutboxSender::failLaterParts(const std::string& localId, const std::string& why) {
  // What the platform refuses for good (a user who blocked the account, a closed window) it
  // would refuse for the rest of the reply too; their rows then find them failed.
  if (auto next = nextPartId(localId)) failPendingPartsFrom(services_.chats, *next, why);
}

ProcessOutcome OutboxSender::afterFailure(const host::InboxEvent& row, const host::Message& part,
                                          const sdk::SendResult& result) {
  using Kind = sdk::SendResult::Kind;
  const bool refused = result.kind == Kind::kPermanent || result.kind == Kind::kOutsideWindow;
  if (refused) failLaterParts(part.localId, result.error);
  if (result.kind == Kind::kReauth || refused)
    return ProcessOutcome::done();  // the send path marked the part failed
  return retryWithin(row, part, result.error, result.retryAfterMs);
}

}  // namespace chathost::host
