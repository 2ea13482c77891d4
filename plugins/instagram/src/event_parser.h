#pragma once
// Parses Instagram webhook bodies into normalised events, one per messaging[] / standby[] item.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::instagram {

enum class EventKind {
  kMessage,   // a user's message (text, attachments, story reply, quick reply, referral...)
  kEcho,      // a message the account itself sent (is_echo)
  kDeleted,   // the user unsent message `mid`
  kEdit,      // the user edited message `mid` (message_edit)
  kReaction,  // react / unreact on message `mid`
  kPostback,  // button / icebreaker tap
  kRead,      // the user read up to message `mid`
  kReferral,  // ig.me?ref= link opened on a thread
  kUnknown,   // anything else: kept, never fails the batch
};

/// Stable lower-case name ("message", "echo", ...), used as the inbox event kind.
const char* kindName(EventKind kind);

/// One normalised event. Value type.
struct InstagramEvent {
  EventKind kind = EventKind::kUnknown;
  std::string entryId;   // entry[].id: the Instagram account the event belongs to
  bool standby = false;  // from standby[]: another app owns the thread
  std::string senderId;
  std::string recipientId;
  std::int64_t timestamp = 0;  // ms
  std::string mid;             // the message's id, or the referenced message's for
                               // reactions, reads, edits and deletes
  std::string text;            // message text, edited text, or postback title
  std::string attachmentsJson = "[]";
  std::string metaJson = "{}";  // reply_to, quick_reply, referral, postback, unsupported...
  std::string reactionAction;   // "react" | "unreact"
  std::string reaction;         // e.g. "love"
  std::string emoji;
  std::int64_t editCount = 0;
  std::string rawJson;  // the messaging item as received

  /// The Instagram user on the other side: the recipient of an echo, else the sender.
  const std::string& userId() const { return kind == EventKind::kEcho ? recipientId : senderId; }
};

/// A parsed webhook body. Value type.
struct ParsedWebhook {
  std::string object;                  // "instagram" (or "page")
  std::vector<std::string> entryIds;   // every entry[].id, in order
  std::vector<InstagramEvent> events;  // sorted by timestamp (stable)
  int changesSkipped = 0;              // `changes` items (comments, mentions): not DMs
  int unknownEvents = 0;
};

/// Parses a webhook body. VALIDATION_ERROR when it is not a JSON object with an `entry` array;
/// anything odd inside an entry is kept as kUnknown or skipped, never fatal.
sdk::Result<ParsedWebhook> parseWebhook(std::string_view body);

/// Parses one messaging item (as JSON text) of entry `entryId`; kUnknown when unrecognised, and
/// nullopt only when `itemJson` is not a JSON object.
std::optional<InstagramEvent> parseMessagingItem(std::string_view itemJson,
                                                 const std::string& entryId, bool standby);

/// A channel-unique id of the event, stable across redeliveries: "mid:<mid>" for messages and
/// echoes, "<kind>:<mid>:..." for events about another message, sender+timestamp otherwise.
std::string dedupKeyOf(const InstagramEvent& event);

/// The inbox payload for `event`: {"entryId", "standby", "subaccountId", "agentId", "event"}.
std::string toInboxPayload(const InstagramEvent& event, const std::string& subaccountId,
                           const std::string& agentId);
/// Reverses toInboxPayload(); nullopt when the payload is not one.
std::optional<InstagramEvent> fromInboxPayload(std::string_view payload);

}  // namespace chathost::instagram
