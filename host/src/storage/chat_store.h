#pragma once
// Conversations and their messages (the `chats` collection of the product contract).

#include <chathost/sdk/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// Identifies a conversation: one agent, one channel, one user of that channel. Value type.
struct ChatKey {
  std::string subaccountId;
  std::string agentId;
  std::string channel;        // "instagram"
  std::string channelUserId;  // e.g. the Instagram-scoped user id (IGSID)
};

/// A conversation. Value type.
struct Chat {
  std::string chatId;
  ChatKey key;
  std::string status = "ongoing";   // "ongoing" | "ended"
  std::int64_t startTimestamp = 0;  // ms
  std::int64_t lastActivity = 0;    // ms
  std::int64_t lastInboundAt = 0;   // ms of the user's last message; 0 = none stored
  std::int64_t messageCount = 0;
  std::string userName;      // display name from the channel's profile, if known
  std::string userUsername;  // handle from the channel's profile, if known
};

/// Delivery state of a message.
enum class MessageStatus { kReceived, kPending, kSent, kFailed, kDeleted };

/// One message. `localId` is the host's own unique id (for outbound replies it is derived from
/// the inbound event so a retry finds the same row); `mid` is the channel's id once known.
/// `attachmentsJson` is a JSON array; `metaJson` a JSON object (reply_to, quick_reply, reactions,
/// referral, postback, read...). Value type.
struct Message {
  std::string localId;
  std::string chatId;
  std::string mid;
  std::string direction;  // "inbound" | "outbound"
  std::string text;
  std::string attachmentsJson = "[]";
  std::string metaJson = "{}";
  std::int64_t timestamp = 0;  // ms
  std::string senderId;
  MessageStatus status = MessageStatus::kReceived;
  std::string error;     // why a send failed, in words (with the channel's code)
  std::int64_t seq = 0;  // set by the store: increases within a chat (read-only)
};

/// A chat with its messages, oldest first. Value type.
struct ChatWithMessages {
  Chat chat;
  std::vector<Message> messages;
};

/// One page of a chat's messages (oldest first) and whether older ones exist. Value type.
struct ChatThread {
  Chat chat;
  std::vector<Message> messages;
  bool hasMore = false;
};

/// One page of chats, newest activity first, and the total number of chats. Value type.
struct ChatPage {
  std::vector<ChatWithMessages> chats;
  std::int64_t count = 0;
};

/// The host's chat store (SQLite or PostgreSQL). Owned by the host; valid until stop() returns.
/// Thread-safe; every call blocks on storage and commits before it returns.
class ChatStore {
 public:
  virtual ~ChatStore() = default;
  /// The chat for `key`, created (ongoing, started at `timestampMs`) when missing.
  virtual sdk::Result<Chat> ensureChat(const ChatKey& key, std::int64_t timestampMs) = 0;
  /// Stores `message`; false (and nothing written) when a message with the same `localId`, or the
  /// same non-empty `mid` in the same channel, exists. Updates the chat's activity and count.
  virtual sdk::Result<bool> addMessage(const Message& message) = 0;
  virtual sdk::Result<std::optional<Message>> findByMid(const std::string& channel,
                                                        const std::string& mid) = 0;
  virtual sdk::Result<std::optional<Message>> findByLocalId(const std::string& localId) = 0;
  /// An outbound message was acknowledged by the channel under `mid`.
  virtual sdk::Status markSent(const std::string& localId, const std::string& mid,
                               std::int64_t timestampMs) = 0;
  /// An outbound message will not be delivered; `error` says why.
  virtual sdk::Status markFailed(const std::string& localId, const std::string& error) = 0;
  /// The user unsent the message `mid`: its text and attachments are cleared, status kDeleted.
  virtual sdk::Status markDeleted(const std::string& channel, const std::string& mid) = 0;
  /// Replaces the text of message `mid` (an edit) and records the edit in its meta.
  virtual sdk::Status editText(const std::string& channel, const std::string& mid,
                               const std::string& text) = 0;
  /// Merges the members of `metaPatchJson` (a JSON object) into the message's meta.
  virtual sdk::Status mergeMeta(const std::string& channel, const std::string& mid,
                                const std::string& metaPatchJson) = 0;
  virtual sdk::Status setProfile(const std::string& chatId, const std::string& userName,
                                 const std::string& userUsername) = 0;
  virtual sdk::Result<std::optional<Chat>> findChat(const ChatKey& key) = 0;
  /// Chats of one agent (of `subaccountId`) on one channel, newest activity first, each with its
  /// newest `messagesPerChat` messages (negative: as many as the store lists, its cap).
  virtual sdk::Result<ChatPage> listChats(const std::string& subaccountId,
                                          const std::string& agentId, const std::string& channel,
                                          int limit, int skip, int messagesPerChat = -1) = 0;
  /// The chat `chatId` when it is this agent's on `channel`, with its newest `limit` messages of
  /// seq below `beforeSeq` (0: the newest), oldest first.
  virtual sdk::Result<std::optional<ChatThread>> chatThread(const std::string& subaccountId,
                                                            const std::string& agentId,
                                                            const std::string& channel,
                                                            const std::string& chatId, int limit,
                                                            std::int64_t beforeSeq) = 0;
  /// The newest `limit` messages of a chat, returned oldest first.
  virtual sdk::Result<std::vector<Message>> recentMessages(const std::string& chatId,
                                                           int limit) = 0;
};

}  // namespace chathost::host
