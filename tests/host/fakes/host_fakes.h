#pragma once
// In-memory fakes of the host's own interfaces (chat store, connection store, inbox, agents) for
// unit tests of the modules that use them. Each is thread-safe (one mutex) and lets a test
// inject failures through `failWith` (or its own knobs).

#include "agents/agents.h"
#include "storage/chat_store.h"
#include "storage/connection_store.h"
#include "storage/inbox.h"

#include <chathost/sdk/json.h>
#include <chathost/sdk/status.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace chathost::host::fakes {
// ---------------------------------------------------------------------------------------------
/// Agents held in memory; replies come from `replier` (default: no reply). Turns are recorded.
/// Every agent wants `historyWanted` recent messages (default 10).
class FakeAgents : public Agents {
 public:
  void add(sdk::AgentInfo agent) {
    std::lock_guard lock(mutex_);
    agents_[{agent.subaccountId, agent.id}] = std::move(agent);
  }
  /// Every turn gets `text` as its reply.
  void replyWith(const std::string& text) {
    setReplier([text](const AgentTurn&) -> sdk::Result<AgentReply> {
      AgentReply reply;
      reply.text = text;
      return reply;
    });
  }
  void setReplier(std::function<sdk::Result<AgentReply>(const AgentTurn&)> replier) {
    std::lock_guard lock(mutex_);
    replier_ = std::move(replier);
  }
  std::vector<AgentTurn> turns() const {
    std::lock_guard lock(mutex_);
    return turns_;
  }
  void setHistoryWanted(int history) { historyWanted_ = history; }

  sdk::Result<std::optional<sdk::AgentInfo>> find(const std::string& subaccountId,
                                                  const std::string& agentId) override {
    std::lock_guard lock(mutex_);
    auto it = agents_.find({subaccountId, agentId});
    if (it == agents_.end()) return std::optional<sdk::AgentInfo>{};
    return std::optional<sdk::AgentInfo>{it->second};
  }
  int historyWanted(const std::string&, const std::string&) override { return historyWanted_; }
  sdk::Result<AgentReply> reply(const AgentTurn& turn) override {
    std::function<sdk::Result<AgentReply>(const AgentTurn&)> replier;
    {
      std::lock_guard lock(mutex_);
      turns_.push_back(turn);
      replier = replier_;
    }
    if (!replier) return AgentReply{};
    return replier(turn);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, sdk::AgentInfo> agents_;  // by (subaccount, id)
  std::function<sdk::Result<AgentReply>(const AgentTurn&)> replier_;
  std::vector<AgentTurn> turns_;
  std::atomic<int> historyWanted_{10};
};

// ---------------------------------------------------------------------------------------------
/// A chat store with the contract's uniqueness rules (localId; channel + non-empty mid).
/// `failWith` makes every call fail with that status until cleared.
class FakeChatStore : public ChatStore {
 public:
  std::optional<sdk::Status> failWith;

  sdk::Result<Chat> ensureChat(const ChatKey& key, std::int64_t timestampMs) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (auto& [id, c] : chats_)
      if (sameKey(c.key, key)) return c;
    Chat c;
    c.chatId = "chat_" + std::to_string(++nextId_);
    c.key = key;
    c.startTimestamp = timestampMs;
    c.lastActivity = timestampMs;
    chats_[c.chatId] = c;
    return c;
  }
  sdk::Result<bool> addMessage(const Message& message) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto chat = chats_.find(message.chatId);
    if (chat == chats_.end()) return sdk::Status::notFound("no chat " + message.chatId);
    for (const auto& m : messages_) {
      if (!message.localId.empty() && m.localId == message.localId) return false;
      if (!message.mid.empty() && m.mid == message.mid &&
          channelOf(m.chatId) == chat->second.key.channel)
        return false;
    }
    Message m = message;
    if (m.localId.empty()) m.localId = "local_" + std::to_string(++nextId_);
    chat->second.messageCount++;
    m.seq = chat->second.messageCount;
    messages_.push_back(m);
    chat->second.lastActivity = std::max(chat->second.lastActivity, m.timestamp);
    if (m.direction == "inbound")
      chat->second.lastInboundAt = std::max(chat->second.lastInboundAt, m.timestamp);
    return true;
  }
  sdk::Result<std::optional<Message>> findByMid(const std::string& channel,
                                                const std::string& mid) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    if (auto* m = byMid(channel, mid)) return std::optional<Message>{*m};
    return std::optional<Message>{};
  }
  sdk::Result<std::optional<Message>> findByLocalId(const std::string& localId) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& m : messages_)
      if (m.localId == localId) return std::optional<Message>{m};
    return std::optional<Message>{};
  }
  sdk::Status markSent(const std::string& localId, const std::string& mid,
                       std::int64_t timestampMs) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (auto& m : messages_) {
      if (m.localId != localId) continue;
      m.mid = mid;
      m.status = MessageStatus::kSent;
      if (timestampMs) m.timestamp = timestampMs;
      return sdk::Status::ok();
    }
    return sdk::Status::notFound("no message " + localId);
  }
  sdk::Status markFailed(const std::string& localId, const std::string& error) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (auto& m : messages_) {
      if (m.localId != localId) continue;
      m.status = MessageStatus::kFailed;
      m.error = error;
      return sdk::Status::ok();
    }
    return sdk::Status::notFound("no message " + localId);
  }
  sdk::Status markDeleted(const std::string& channel, const std::string& mid) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return sdk::Status::notFound("no message " + mid);
    m->text.clear();
    m->attachmentsJson = "[]";
    m->status = MessageStatus::kDeleted;
    return sdk::Status::ok();
  }
  sdk::Status editText(const std::string& channel, const std::string& mid,
                       const std::string& text) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return sdk::Status::notFound("no message " + mid);
    m->text = text;
    m->metaJson = mergeObjects(m->metaJson, "{\"edited\":true}");
    return sdk::Status::ok();
  }
  /// Shallow merge: the patch's top-level members replace the meta's (textual, for tests).
  sdk::Status mergeMeta(const std::string& channel, const std::string& mid,
                        const std::string& metaPatchJson) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return sdk::Status::notFound("no message " + mid);
    m->metaJson = mergeObjects(m->metaJson, metaPatchJson);
    metaPatches_.push_back({mid, metaPatchJson});
    return sdk::Status::ok();
  }
  sdk::Status setProfile(const std::string& chatId, const std::string& userName,
                         const std::string& userUsername) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = chats_.find(chatId);
    if (it == chats_.end()) return sdk::Status::notFound("no chat " + chatId);
    it->second.userName = userName;
    it->second.userUsername = userUsername;
    return sdk::Status::ok();
  }
  sdk::Result<std::optional<Chat>> findChat(const ChatKey& key) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& [id, c] : chats_)
      if (sameKey(c.key, key)) return std::optional<Chat>{c};
    return std::optional<Chat>{};
  }
  sdk::Result<std::optional<ChatThread>> chatThread(const std::string& subaccountId,
                                                    const std::string& agentId,
                                                    const std::string& channel,
                                                    const std::string& chatId, int limit,
                                                    std::int64_t beforeSeq) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto chat = chats_.find(chatId);
    if (chat == chats_.end() || chat->second.key.subaccountId != subaccountId ||
        chat->second.key.agentId != agentId || chat->second.key.channel != channel)
      return std::optional<ChatThread>{};
    std::vector<Message> older;
    for (const auto& m : messages_)
      if (m.chatId == chatId && (beforeSeq <= 0 || m.seq < beforeSeq)) older.push_back(m);
    std::stable_sort(older.begin(), older.end(),
                     [](const Message& a, const Message& b) { return a.seq < b.seq; });
    ChatThread thread{chat->second, {}, static_cast<int>(older.size()) > limit};
    thread.messages.assign(older.end() - std::min<std::ptrdiff_t>(limit, older.size()),
                           older.end());
    return std::optional<ChatThread>{thread};
  }
  sdk::Result<ChatPage> listChats(const std::string& subaccountId, const std::string& agentId,
                                  const std::string& channel, int limit, int skip,
                                  int messagesPerChat = -1) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    std::vector<Chat> mine;
    for (const auto& [id, c] : chats_)
      if (c.key.subaccountId == subaccountId && c.key.agentId == agentId &&
          c.key.channel == channel)
        mine.push_back(c);
    std::stable_sort(mine.begin(), mine.end(),
                     [](const Chat& a, const Chat& b) { return a.lastActivity > b.lastActivity; });
    ChatPage page;
    page.count = static_cast<std::int64_t>(mine.size());
    for (int i = skip; i < static_cast<int>(mine.size()) && i < skip + limit; ++i) {
      auto messages = messagesOf(mine[i].chatId);
      if (messagesPerChat >= 0 && static_cast<int>(messages.size()) > messagesPerChat)
        messages.erase(messages.begin(), messages.end() - messagesPerChat);
      page.chats.push_back({mine[i], messages});
    }
    return page;
  }
  sdk::Result<std::vector<Message>> recentMessages(const std::string& chatId, int limit) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto all = messagesOf(chatId);
    if (static_cast<int>(all.size()) > limit) all.erase(all.begin(), all.end() - limit);
    return all;
  }

  // Test helpers.
  std::vector<Message> allMessages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<Chat> allChats() const {
    std::lock_guard lock(mutex_);
    std::vector<Chat> out;
    for (const auto& [id, c] : chats_) out.push_back(c);
    return out;
  }
  std::vector<std::pair<std::string, std::string>> metaPatches() const {
    std::lock_guard lock(mutex_);
    return metaPatches_;
  }

 private:
  static bool sameKey(const ChatKey& a, const ChatKey& b) {
    return a.subaccountId == b.subaccountId && a.agentId == b.agentId && a.channel == b.channel &&
           a.channelUserId == b.channelUserId;
  }
  std::string channelOf(const std::string& chatId) const {
    auto it = chats_.find(chatId);
    return it == chats_.end() ? std::string() : it->second.key.channel;
  }
  Message* byMid(const std::string& channel, const std::string& mid) {
    for (auto& m : messages_)
      if (!mid.empty() && m.mid == mid && channelOf(m.chatId) == channel) return &m;
    return nullptr;
  }
  std::vector<Message> messagesOf(const std::string& chatId) const {
    std::vector<Message> out;
    for (const auto& m : messages_)
      if (m.chatId == chatId) out.push_back(m);
    std::stable_sort(out.begin(), out.end(),
                     [](const Message& a, const Message& b) { return a.timestamp < b.timestamp; });
    return out;
  }
  // Textual shallow merge of two JSON objects: members of `patch` are appended after the
  // base's members whose names the patch does not redefine. Good enough for flat test metas.
  static std::string mergeObjects(const std::string& base, const std::string& patch) {
    auto members = [](const std::string& obj) {
      std::vector<std::pair<std::string, std::string>> out;
      std::size_t i = obj.find('{');
      if (i == std::string::npos) return out;
      ++i;
      while (i < obj.size()) {
        while (i < obj.size() && (obj[i] == ' ' || obj[i] == ',' || obj[i] == '\n')) ++i;
        if (i >= obj.size() || obj[i] != '"') break;
        std::size_t keyEnd = i + 1;
        while (keyEnd < obj.size() && obj[keyEnd] != '"') keyEnd += obj[keyEnd] == '\\' ? 2 : 1;
        std::string key = obj.substr(i, keyEnd + 1 - i);
        std::size_t v = obj.find(':', keyEnd) + 1;
        int depth = 0;
        bool inStr = false;
        std::size_t j = v;
        for (; j < obj.size(); ++j) {
          char c = obj[j];
          if (inStr) {
            if (c == '\\')
              ++j;
            else if (c == '"')
              inStr = false;
            continue;
          }
          if (c == '"')
            inStr = true;
          else if (c == '{' || c == '[')
            ++depth;
          else if (c == '}' || c == ']') {
            if (depth == 0) break;
            --depth;
          } else if (c == ',' && depth == 0)
            break;
        }
        out.push_back({key, obj.substr(v, j - v)});
        i = j;
      }
      return out;
    };
    auto a = members(base);
    auto b = members(patch);
    std::string out = "{";
    bool first = true;
    auto emit = [&](const std::pair<std::string, std::string>& m) {
      if (!first) out += ",";
      first = false;
      out += m.first + ":" + m.second;
    };
    for (const auto& m : a)
      if (std::none_of(b.begin(), b.end(), [&](const auto& x) { return x.first == m.first; }))
        emit(m);
    for (const auto& m : b) emit(m);
    return out + "}";
  }

  mutable std::mutex mutex_;
  std::map<std::string, Chat> chats_;
  std::vector<Message> messages_;
  std::vector<std::pair<std::string, std::string>> metaPatches_;
  int nextId_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// Connections keyed by (agentId, channel), with the store's ACCOUNT_IN_USE rule.
class FakeConnectionStore : public ConnectionStore {
 public:
  std::optional<sdk::Status> failWith;

  sdk::Result<ConnectOutcome> connect(const sdk::Connection& connection) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& [k, c] : conns_)
      if (c.connected && c.channel == connection.channel && c.accountId == connection.accountId &&
          (c.subaccountId != connection.subaccountId || c.agentId != connection.agentId))
        return sdk::Status(
            sdk::ErrorCode::kAccountInUse,
            "This Instagram account is connected to another agent; disconnect it there "
            "first.");
    auto key = keyOf(connection.subaccountId, connection.agentId, connection.channel);
    ConnectOutcome outcome;
    auto it = conns_.find(key);
    outcome.alreadyConnected =
        it != conns_.end() && it->second.connected && it->second.accountId == connection.accountId;
    sdk::Connection c = connection;
    c.connected = true;
    c.active = true;
    c.inactiveReason.clear();
    conns_[key] = c;
    ++connectCalls_;
    return outcome;
  }
  sdk::Result<std::optional<sdk::Connection>> get(const std::string& subaccountId,
                                                  const std::string& agentId,
                                                  const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    ++getCalls_;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return std::optional<sdk::Connection>{};
    return std::optional<sdk::Connection>{it->second};
  }
  sdk::Result<std::optional<sdk::Connection>> findByAccount(const std::string& channel,
                                                            const std::string& accountId) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    ++findByAccountCalls_;
    for (const auto& [k, c] : conns_)
      if (c.connected && c.channel == channel && c.accountId == accountId)
        return std::optional<sdk::Connection>{c};
    return std::optional<sdk::Connection>{};
  }
  sdk::Result<bool> pageUsedByAnother(const std::string& pageId, const std::string& subaccountId,
                                      const std::string& agentId,
                                      const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    if (pageId.empty()) return false;
    const Key self = keyOf(subaccountId, agentId, channel);
    for (const auto& [k, c] : conns_)
      if (k != self && c.connected && c.pageId == pageId) return true;
    return false;
  }
  sdk::Status setActive(const std::string& subaccountId, const std::string& agentId,
                        const std::string& channel, bool active,
                        const std::string& reason) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return sdk::Status::notFound("no connection");
    it->second.active = active;
    it->second.inactiveReason = active ? "" : reason;
    return sdk::Status::ok();
  }
  sdk::Status disconnect(const std::string& subaccountId, const std::string& agentId,
                         const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return sdk::Status::ok();
    it->second.connected = false;
    it->second.active = false;
    it->second.secrets.clear();
    return sdk::Status::ok();
  }
  sdk::Result<std::vector<sdk::Connection>> listActive(const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    std::vector<sdk::Connection> out;
    for (const auto& [k, c] : conns_)
      if (c.connected && c.active && c.channel == channel) out.push_back(c);
    return out;
  }
  sdk::Result<bool> recordCredentialCheck(
      const sdk::Connection& checked,
      const std::optional<std::map<std::string, std::string>>& secrets, std::int64_t tokenExpiresAt,
      std::int64_t checkedAt) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = conns_.find(keyOf(checked.subaccountId, checked.agentId, checked.channel));
    if (it == conns_.end() || !it->second.connected || it->second.accountId != checked.accountId ||
        it->second.updatedAt != checked.updatedAt)
      return false;
    it->second.credentialsCheckedAt = checkedAt;
    if (secrets) {
      it->second.secrets = *secrets;
      it->second.tokenExpiresAt = tokenExpiresAt;
      it->second.updatedAt = checkedAt;
    }
    return true;
  }

  /// Stores `c` as is (no ACCOUNT_IN_USE check), for arranging a test.
  void put(const sdk::Connection& c) {
    std::lock_guard lock(mutex_);
    conns_[keyOf(c.subaccountId, c.agentId, c.channel)] = c;
  }
  int getCalls() const {
    std::lock_guard lock(mutex_);
    return getCalls_;
  }
  int findByAccountCalls() const {
    std::lock_guard lock(mutex_);
    return findByAccountCalls_;
  }

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // subaccount, agent, channel
  static Key keyOf(const std::string& subaccountId, const std::string& agentId,
                   const std::string& channel) {
    return {subaccountId, agentId, channel};
  }
  mutable std::mutex mutex_;
  std::map<Key, sdk::Connection> conns_;
  int connectCalls_ = 0;
  int getCalls_ = 0;
  int findByAccountCalls_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// Records appended events; tests run the installed consumer with deliverAll()/drain().
class FakeInbox : public Inbox {
 public:
  std::optional<sdk::Status> failWith;  // append() fails with it (nothing recorded)

  sdk::Status append(const std::vector<NewInboxEvent>& events) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    ++appendCalls_;
    for (const auto& e : events) {
      InboxEvent ie;
      ie.id = ++nextId_;
      ie.event = e;
      ie.receivedAt = receivedAt;
      pending_.push_back(ie);
      appended_.push_back(e);
    }
    return sdk::Status::ok();
  }

  sdk::Result<bool> wasTakenUp(const std::string& dedupKey) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    return takenUp_.count(dedupKey) > 0;
  }

  /// Every event ever appended, in order.
  std::vector<NewInboxEvent> appended() const {
    std::lock_guard lock(mutex_);
    return appended_;
  }
  int appendCalls() const {
    std::lock_guard lock(mutex_);
    return appendCalls_;
  }
  std::size_t pendingCount() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
  }
  /// Outcomes of every consumer call, in order.
  std::vector<ProcessOutcome> outcomes() const {
    std::lock_guard lock(mutex_);
    return outcomes_;
  }
  /// Delivers each pending event once (in order); kRetry keeps it pending with attempts + 1,
  /// whatever its delay, and, as the host's dispatcher does, holds back the later events of its
  /// ordering key until it is finished. Returns how many were delivered.
  std::size_t deliverAll(const std::string& channel) {
    InboxConsumer consumer;
    std::deque<InboxEvent> batch;
    {
      std::lock_guard lock(mutex_);
      auto it = consumers_.find(channel);
      if (it == consumers_.end()) return 0;
      consumer = it->second;
      batch.swap(pending_);
    }
    std::set<std::string> waiting;  // ordering keys with an unfinished earlier event
    std::size_t n = 0;
    for (auto& e : batch) {
      const std::string& key = e.event.orderingKey;
      if (!key.empty() && waiting.count(key)) {
        std::lock_guard lock(mutex_);
        pending_.push_back(e);
        continue;
      }
      e.attempts++;
      {
        std::lock_guard lock(mutex_);
        takenUp_.insert(e.event.dedupKey);
      }
      ProcessOutcome o = consumer(e);
      ++n;
      std::lock_guard lock(mutex_);
      outcomes_.push_back(o);
      if (o.kind == ProcessOutcome::Kind::kRetry) {
        pending_.push_back(e);
        if (!key.empty()) waiting.insert(key);
      }
    }
    return n;
  }
  /// Delivers until nothing is pending or `maxRounds` rounds ran.
  void drain(const std::string& channel, int maxRounds = 10) {
    for (int i = 0; i < maxRounds && pendingCount() > 0; ++i) deliverAll(channel);
  }
  /// Calls the consumer directly with `event` (e.g. a redelivery with attempts 2).
  std::optional<ProcessOutcome> deliver(const std::string& channel, const InboxEvent& event) {
    InboxConsumer consumer;
    {
      std::lock_guard lock(mutex_);
      takenUp_.insert(event.event.dedupKey);
      auto it = consumers_.find(channel);
      if (it == consumers_.end()) return std::nullopt;
      consumer = it->second;
    }
    return consumer(event);
  }
  bool hasConsumer(const std::string& channel) const {
    std::lock_guard lock(mutex_);
    return consumers_.count(channel) > 0;
  }

  std::int64_t receivedAt = 0;  // stamped on appended events

 protected:
  void doSetConsumer(const std::string& channel, InboxConsumer consumer) override {
    std::lock_guard lock(mutex_);
    consumers_[channel] = std::move(consumer);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, InboxConsumer> consumers_;
  std::deque<InboxEvent> pending_;
  std::vector<NewInboxEvent> appended_;
  std::set<std::string> takenUp_;  // dedup keys of events delivered at least once
  std::vector<ProcessOutcome> outcomes_;
  std::int64_t nextId_ = 0;
  int appendCalls_ = 0;
};

}  // namespace chathost::host::fakes
