#include "storage/sql_chat_store.h"

#include <algorithm>

#include "common/message_status.h"
#include "storage/database.h"
#include "storage/json_object.h"
#include "storage/time_and_ids.h"

namespace chathost::host {

namespace {

const std::string kChatColumnList =
    "chat_id, subaccount_id, agent_id, channel, channel_user_id, status, start_ts, last_activity,"
    " message_count, user_name, user_username, last_inbound_at";
const std::string kChatColumns = kChatColumnList + " FROM chats";
const std::string kChatReturning = " RETURNING " + kChatColumnList;
constexpr const char* kMessageColumns =
    "local_id, chat_id, mid, direction, text, attachments, meta, ts, sender_id, status, error,"
    " seq FROM messages";

host::Chat toChat(const SqlRow& r) {
  host::Chat c;
  c.chatId = r.text(0);
  c.key.subaccountId = r.text(1);
  c.key.agentId = r.text(2);
  c.key.channel = r.text(3);
  c.key.channelUserId = r.text(4);
  c.status = r.text(5);
  c.startTimestamp = r.integer(6);
  c.lastActivity = r.integer(7);
  c.messageCount = r.integer(8);
  c.userName = r.text(9);
  c.userUsername = r.text(10);
  c.lastInboundAt = r.integer(11);
  return c;
}

host::Message toMessage(const SqlRow& r) {
  host::Message m;
  m.localId = r.text(0);
  m.chatId = r.text(1);
  m.mid = r.text(2);
  m.direction = r.text(3);
  m.text = r.text(4);
  m.attachmentsJson = r.text(5);
  m.metaJson = r.text(6);
  m.timestamp = r.integer(7);
  m.senderId = r.text(8);
  m.status = parseMessageStatus(r.text(9));
  m.error = r.text(10);
  m.seq = r.integer(11);
  return m;
}

std::optional<host::Chat> queryChat(SqlConnection& c, const host::ChatKey& key) {
  auto rows = c.query(std::string("SELECT ") + kChatColumns +
                          " WHERE subaccount_id = ? AND agent_id = ? AND channel = ?"
                          " AND channel_user_id = ?",
                      {key.subaccountId, key.agentId, key.channel, key.channelUserId});
  if (rows.empty()) return std::nullopt;
  return toChat(rows.front());
}

std::vector<host::Message> queryRecent(SqlConnection& c, const std::string& chatId, int limit) {
  auto rows = c.query(std::string("SELECT ") + kMessageColumns +
                          " WHERE chat_id = ? ORDER BY ts DESC, seq DESC LIMIT ?",
                      {chatId, std::int64_t{limit}});
  std::vector<host::Message> out;
  out.reserve(rows.size());
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) out.push_back(toMessage(*it));
  return out;
}

sdk::Status messageNotFound(const std::string& what) {
  return sdk::Status::notFound("message " + what + " not found");
}

}  // namespace

sdk::Result<host::Chat> SqlChatStore::ensureChat(const host::ChatKey& key,
                                                 std::int64_t timestampMs) {
  if (key.subaccountId.empty() || key.agentId.empty() || key.channel.empty() ||
      key.channelUserId.empty()) {
    return sdk::Status::validation(
        "a chat key needs a subaccount id, an agent id, a channel and a user id");
  }
  // Most calls find the chat: a read spares the single writer.
  auto existing = findChat(key);
  if (!existing) return existing.status();
  if (existing->has_value()) return **existing;
  std::optional<host::Chat> out;
  sdk::Status s = db_.writeStatement("ensure chat", [&](SqlConnection& c) {
    auto created = c.query(
        std::string(
            "INSERT INTO chats (chat_id, subaccount_id, agent_id, channel, channel_user_id, status,"
            " start_ts, last_activity, message_count) VALUES (?, ?, ?, ?, ?, 'ongoing', ?, ?, 0)"
            " ON CONFLICT DO NOTHING") +
            kChatReturning,
        {newRandomId(), key.subaccountId, key.agentId, key.channel, key.channelUserId, timestampMs,
         timestampMs});
    // Nothing returned: another writer created it since the lookup.
    out = created.empty() ? queryChat(c, key) : std::optional<host::Chat>(toChat(created.front()));
    if (!out) return sdk::Status::internal("chat vanished while being created");
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return *out;
}

sdk::Result<bool> SqlChatStore::addMessage(const host::Message& m) {
  if (m.localId.empty() || m.chatId.empty()) {
    return sdk::Status::validation("a message needs a local id and a chat id");
  }
  // One statement reads the chat's channel and count and inserts; the casts type the parameters
  // for PostgreSQL, which does not infer them in a SELECT list.
  static const std::string kInsert =
      "INSERT INTO messages (local_id, chat_id, channel, mid, direction, text, attachments,"
      " meta, ts, seq, sender_id, status, error)"
      " SELECT ?, chat_id, channel, ?, ?, ?, ?, ?, CAST(? AS BIGINT), message_count + 1, ?, ?, ?"
      " FROM chats WHERE chat_id = ? ON CONFLICT DO NOTHING";
  const SqlParams params{m.localId,
                         m.mid,
                         m.direction,
                         m.text,
                         m.attachmentsJson.empty() ? "[]" : m.attachmentsJson,
                         m.metaJson.empty() ? "{}" : m.metaJson,
                         m.timestamp,
                         m.senderId,
                         messageStatusName(m.status),
                         m.error,
                         m.chatId};
  bool added = false;
  const auto chatExists = [&](SqlConnection& c) {
    if (c.query("SELECT 1 FROM chats WHERE chat_id = ?", {m.chatId}).empty())
      return sdk::Status::notFound("chat '" + m.chatId + "' not found");
    return sdk::Status::ok();  // a message with this local id or mid exists
  };
  sdk::Status s;
  if (db_.dialect().backend == SqlBackend::kPostgres) {
    // The insert and the chat's count in one statement (a data-modifying WITH): one round trip
    // and no explicit transaction. The chat's row is locked as its count is read, so concurrent
    // messages of one chat take distinct seqs (threads are paged by seq).
    static const std::string kInsertLocked = [] {
      std::string locked = kInsert;
      return locked.insert(locked.find(" ON CONFLICT"), " FOR UPDATE");
    }();
    s = db_.writeStatement("add message", [&](SqlConnection& c) {
      added = !c.query("WITH ins AS (" + kInsertLocked +
                           " RETURNING chat_id, ts, direction)"
                           " UPDATE chats SET message_count = chats.message_count + 1,"
                           " last_activity = GREATEST(chats.last_activity, ins.ts),"
                           " last_inbound_at = CASE WHEN ins.direction = 'inbound'"
                           " THEN GREATEST(chats.last_inbound_at, ins.ts)"
                           " ELSE chats.last_inbound_at END"
                           " FROM ins WHERE chats.chat_id = ins.chat_id RETURNING 1",
                       params)
                   .empty();
      return added ? sdk::Status::ok() : chatExists(c);
    });
  } else {
    s = db_.write("add message", [&](SqlConnection& c) {
      added = c.execute(kInsert, params) > 0;
      if (!added) return chatExists(c);
      const std::int64_t inboundAt = m.direction == "inbound" ? m.timestamp : 0;
      c.execute(
          "UPDATE chats SET message_count = message_count + 1,"
          " last_activity = CASE WHEN last_activity < ? THEN ? ELSE last_activity END,"
          " last_inbound_at = CASE WHEN last_inbound_at < ? THEN ? ELSE last_inbound_at END"
          " WHERE chat_id = ?",
          {m.timestamp, m.timestamp, inboundAt, inboundAt, m.chatId});
      return sdk::Status::ok();
    });
  }
  if (!s.isOk()) return s;
  return added;
}

sdk::Result<std::optional<host::Message>> SqlChatStore::findByMid(const std::string& channel,
                                                                  const std::string& mid) {
  std::optional<host::Message> out;
  if (mid.empty()) return out;
  sdk::Status s = db_.read("find message", [&](SqlConnection& c) {
    auto rows = c.query(
        std::string("SELECT ") + kMessageColumns + " WHERE channel = ? AND mid = ? AND mid <> ''",
        {channel, mid});
    if (!rows.empty()) out = toMessage(rows.front());
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Result<std::optional<host::Message>> SqlChatStore::findByLocalId(const std::string& localId) {
  std::optional<host::Message> out;
  sdk::Status s = db_.read("find message", [&](SqlConnection& c) {
    auto rows =
        c.query(std::string("SELECT ") + kMessageColumns + " WHERE local_id = ?", {localId});
    if (!rows.empty()) out = toMessage(rows.front());
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Status SqlChatStore::markSent(const std::string& localId, const std::string& mid,
                                   std::int64_t timestampMs) {
  return db_.writeStatement("mark message sent", [&](SqlConnection& c) {
    // The usual case in one statement: the message exists and no other one has this mid.
    if (c.execute("UPDATE messages SET status = 'sent', mid = ?, ts = ?, error = ''"
                  " WHERE local_id = ? AND NOT EXISTS (SELECT 1 FROM messages o"
                  "   WHERE o.channel = messages.channel AND o.mid = ? AND o.mid <> ''"
                  "   AND o.local_id <> messages.local_id)",
                  {mid, timestampMs, localId, mid}) > 0)
      return sdk::Status::ok();
    if (c.query("SELECT 1 FROM messages WHERE local_id = ?", {localId}).empty())
      return messageNotFound("'" + localId + "'");
    return sdk::Status(sdk::ErrorCode::kConflict, "another message already has mid '" + mid + "'");
  });
}

sdk::Status SqlChatStore::markFailed(const std::string& localId, const std::string& error) {
  return db_.write("mark message failed", [&](SqlConnection& c) {
    auto n = c.execute("UPDATE messages SET status = 'failed', error = ? WHERE local_id = ?",
                       {error, localId});
    return n > 0 ? sdk::Status::ok() : messageNotFound("'" + localId + "'");
  });
}

sdk::Status SqlChatStore::markDeleted(const std::string& channel, const std::string& mid) {
  return db_.write("mark message deleted", [&](SqlConnection& c) {
    auto n = c.execute(
        "UPDATE messages SET status = 'deleted', text = '', attachments = '[]'"
        " WHERE channel = ? AND mid = ? AND mid <> ''",
        {channel, mid});
    return n > 0 ? sdk::Status::ok() : messageNotFound("with mid '" + mid + "'");
  });
}

sdk::Status SqlChatStore::patchMeta(const std::string& what, const std::string& channel,
                                    const std::string& mid, const std::string& patchJson,
                                    const std::string& extraSet, const std::string& extraValue) {
  return db_.write(what, [&](SqlConnection& c) {
    auto rows = c.query("SELECT meta FROM messages WHERE channel = ? AND mid = ? AND mid <> ''",
                        {channel, mid});
    if (rows.empty()) return messageNotFound("with mid '" + mid + "'");
    auto merged = mergeJsonObjects(rows[0].text(0), patchJson);
    if (!merged) return merged.status();
    if (extraSet.empty()) {
      c.execute("UPDATE messages SET meta = ? WHERE channel = ? AND mid = ? AND mid <> ''",
                {*merged, channel, mid});
    } else {
      c.execute("UPDATE messages SET meta = ?, " + extraSet +
                    " = ? WHERE channel = ? AND mid = ? AND mid <> ''",
                {*merged, extraValue, channel, mid});
    }
    return sdk::Status::ok();
  });
}

sdk::Status SqlChatStore::editText(const std::string& channel, const std::string& mid,
                                   const std::string& text) {
  return patchMeta("edit message", channel, mid,
                   "{\"edited\":true,\"edited_at\":" + std::to_string(nowMs()) + "}", "text", text);
}

sdk::Status SqlChatStore::mergeMeta(const std::string& channel, const std::string& mid,
                                    const std::string& metaPatchJson) {
  return patchMeta("merge message meta", channel, mid, metaPatchJson, "", "");
}

sdk::Status SqlChatStore::setProfile(const std::string& chatId, const std::string& userName,
                                     const std::string& userUsername) {
  return db_.writeStatement("set chat profile", [&](SqlConnection& c) {
    auto n = c.execute("UPDATE chats SET user_name = ?, user_username = ? WHERE chat_id = ?",
                       {userName, userUsername, chatId});
    return n > 0 ? sdk::Status::ok() : sdk::Status::notFound("chat '" + chatId + "' not found");
  });
}

sdk::Result<std::optional<host::Chat>> SqlChatStore::findChat(const host::ChatKey& key) {
  std::optional<host::Chat> out;
  sdk::Status s = db_.read("find chat", [&](SqlConnection& c) {
    out = queryChat(c, key);
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Result<host::ChatPage> SqlChatStore::listChats(const std::string& subaccountId,
                                                    const std::string& agentId,
                                                    const std::string& channel, int limit, int skip,
                                                    int messagesPerChat) {
  const int perChat =
      messagesPerChat < 0 ? kListedMessages : std::min(messagesPerChat, kListedMessages);
  if (limit < 0 || skip < 0) return sdk::Status::validation("limit and skip must be >= 0");
  host::ChatPage page;
  sdk::Status s = db_.read("list chats", [&](SqlConnection& c) {
    auto rows = c.query(std::string("SELECT ") + kChatColumns +
                            " WHERE subaccount_id = ? AND agent_id = ? AND channel = ?"
                            " ORDER BY last_activity DESC, chat_id LIMIT ? OFFSET ?",
                        {subaccountId, agentId, channel, std::int64_t{limit}, std::int64_t{skip}});
    for (const auto& r : rows) {
      host::ChatWithMessages cwm;
      cwm.chat = toChat(r);
      if (perChat > 0) cwm.messages = queryRecent(c, cwm.chat.chatId, perChat);
      page.chats.push_back(std::move(cwm));
    }
    page.count = c.query(
                      "SELECT COUNT(*) FROM chats WHERE subaccount_id = ? AND agent_id = ?"
                      " AND channel = ?",
                      {subaccountId, agentId, channel})[0]
                     .integer(0);
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return page;
}

sdk::Result<std::optional<host::ChatThread>> SqlChatStore::chatThread(
    const std::string& subaccountId, const std::string& agentId, const std::string& channel,
    const std::string& chatId, int limit, std::int64_t beforeSeq) {
  if (limit < 1) return sdk::Status::validation("limit must be >= 1");
  std::optional<host::ChatThread> out;
  sdk::Status s = db_.read("read chat thread", [&](SqlConnection& c) {
    auto chats = c.query(std::string("SELECT ") + kChatColumns +
                             " WHERE chat_id = ? AND subaccount_id = ? AND agent_id = ?"
                             " AND channel = ?",
                         {chatId, subaccountId, agentId, channel});
    if (chats.empty()) return sdk::Status::ok();
    out.emplace();
    out->chat = toChat(chats.front());
    // One row more than asked tells whether older messages exist.
    auto rows = c.query(std::string("SELECT ") + kMessageColumns +
                            " WHERE chat_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                        {chatId, beforeSeq > 0 ? beforeSeq : INT64_MAX, std::int64_t{limit} + 1});
    out->hasMore = rows.size() > static_cast<std::size_t>(limit);
    if (out->hasMore) rows.pop_back();
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) out->messages.push_back(toMessage(*it));
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Result<std::vector<host::Message>> SqlChatStore::recentMessages(const std::string& chatId,
                                                                     int limit) {
  if (limit < 0) return sdk::Status::validation("limit must be >= 0");
  std::vector<host::Message> out;
  sdk::Status s = db_.read("read recent messages", [&](SqlConnection& c) {
    out = queryRecent(c, chatId, limit);
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

}  // namespace chathost::host
