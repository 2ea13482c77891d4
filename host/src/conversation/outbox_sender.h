#pragma once
// Sends the reply parts waiting in the outbox, one row per part: the outbox's consumer for a
// channel. A part is sent at most once after its row was claimed and the claim confirmed, and it
// is marked sent in a commit right after the platform answers.

#include "conversation/reply_sender.h"

#include "storage/inbox.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace chathost::host {

/// The outbox row of a reply part: which stored message, to whom.
struct OutboxRow {
  std::string localId;
  std::string recipientId;
};
/// JSON text of `row`, and back (nullopt when `payload` is not one). Pure.
std::string outboxPayload(const OutboxRow& row);
std::optional<OutboxRow> outboxRowFromPayload(std::string_view payload);
/// The id of the reply part after `localId` ("reply:...:2" -> "reply:...:3"); nullopt when the
/// id does not end in a part number. Pure.
std::optional<std::string> nextPartId(std::string_view localId);
/// Marks reply part `localId` and the parts after it failed with `why` while they are pending,
/// up to the first part not stored (or not readable).
void failPendingPartsFrom(host::ChatStore& chats, const std::string& localId,
                          const std::string& why);

/// Thread-safe: the host runs process() for different conversations at once.
class OutboxSender {
 public:
  OutboxSender(ReplySender& sender, ConversationServices& services);
  host::ProcessOutcome process(const host::InboxEvent& row);
  /// Replaces the jitter source (tests).
  void setRandom(std::function<double()> random) { random_ = std::move(random); }

 private:
  host::ProcessOutcome afterFailure(const host::InboxEvent& row, const host::Message& part,
                                    const sdk::SendResult& result);
  host::ProcessOutcome retry(const host::InboxEvent& row, const std::string& why);
  // A retry after the backoff (or `atLeastMs`, when longer) within the reply's budget
  // (replyRetrySeconds from the part's creation); past it, the part is failed with `why`, so no
  // row is given up by the dispatcher with its part pending.
  host::ProcessOutcome retryWithin(const host::InboxEvent& row, const host::Message& part,
                                   const std::string& why, std::int64_t atLeastMs = 0);
  void failLaterParts(const std::string& localId, const std::string& why);
  // Fails the part for `why` (visible on the message) and finishes the row.
  host::ProcessOutcome giveUp(const std::string& localId, const std::string& why);

  ReplySender& sender_;
  ConversationServices& services_;
  const std::string channel_;
  std::function<double()> random_;
};

}  // namespace chathost::host
