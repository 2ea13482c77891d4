#pragma once
// host::ChatStore on any SQL backend.

#include "storage/chat_store.h"

namespace chathost::host {

class Database;

/// listChats returns each chat with its newest kListedMessages messages, oldest first.
class SqlChatStore : public host::ChatStore {
 public:
  static constexpr int kListedMessages = 500;

  explicit SqlChatStore(Database& db) : db_(db) {}
  sdk::Result<host::Chat> ensureChat(const host::ChatKey& key, std::int64_t timestampMs) override;
  sdk::Result<bool> addMessage(const host::Message& message) override;
  sdk::Result<std::optional<host::Message>> findByMid(const std::string& channel,
                                                      const std::string& mid) override;
  sdk::Result<std::optional<host::Message>> findByLocalId(const std::string& localId) override;
  sdk::Status markSent(const std::string& localId, const std::string& mid,
                       std::int64_t timestampMs) override;
  sdk::Status markFailed(const std::string& localId, const std::string& error) override;
  sdk::Status markDeleted(const std::string& channel, const std::string& mid) override;
  /// Also sets meta.edited = true and meta.edited_at (ms).
  sdk::Status editText(const std::string& channel, const std::string& mid,
                       const std::string& text) override;
  sdk::Status mergeMeta(const std::string& channel, const std::string& mid,
                        const std::string& metaPatchJson) override;
  sdk::Status setProfile(const std::string& chatId, const std::string& userName,
                         const std::string& userUsername) override;
  sdk::Result<std::optional<host::Chat>> findChat(const host::ChatKey& key) override;
  sdk::Result<host::ChatPage> listChats(const std::string& subaccountId, const std::string& agentId,
                                        const std::string& channel, int limit, int skip,
                                        int messagesPerChat = -1) override;
  sdk::Result<std::optional<host::ChatThread>> chatThread(const std::string& subaccountId,
                                                          const std::string& agentId,
                                                          const std::string& channel,
                                                          const std::string& chatId, int limit,
                                                          std::int64_t beforeSeq) override;
  sdk::Result<std::vector<host::Message>> recentMessages(const std::string& chatId,
                                                         int limit) override;

 private:
  sdk::Status patchMeta(const std::string& what, const std::string& channel, const std::string& mid,
                        const std::string& patchJson, const std::string& extraSet,
                        const std::string& extraValue);
  Database& db_;
};

}  // namespace chathost::host
