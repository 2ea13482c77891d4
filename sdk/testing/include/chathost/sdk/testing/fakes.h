#pragma once
// In-memory fakes of every SDK interface, for plugin unit tests. Header-only; no host needed.
// Each fake is thread-safe (one mutex) so code under test may call it from several threads, and
// each lets a test inject failures through `failWith` (or the fake's own knobs).

#include <chathost/sdk/agents.h>
#include <chathost/sdk/chat_store.h>
#include <chathost/sdk/inbox.h>
#include <chathost/sdk/sdk.h>

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

namespace chathost::sdk::testing {

// ---------------------------------------------------------------------------------------------
/// A plugin's config section given as dotted paths: {"graph_api_version", "v21.0"},
/// {"limits.per_second", "10"}, {"items.0.name", "a"}. Maps and sequences are implied by the
/// paths; setNull() records an explicit YAML null.
class FakeConfigView : public ConfigView {
 public:
  FakeConfigView() = default;
  FakeConfigView(std::initializer_list<std::pair<std::string, std::string>> values) {
    for (const auto& [k, v] : values) set(k, v);
  }
  void set(const std::string& path, const std::string& value) { entries_.push_back({path, value}); }
  void setNull(const std::string& path) { entries_.push_back({path, std::nullopt}); }

  ConfigNodeKind kind(const std::string& path) const override {
    if (path.empty()) return ConfigNodeKind::kMap;
    for (const auto& [k, v] : entries_)
      if (k == path) return v ? ConfigNodeKind::kScalar : ConfigNodeKind::kNull;
    auto children = childNames(path);
    if (children.empty()) return ConfigNodeKind::kMissing;
    bool numeric = std::all_of(children.begin(), children.end(), [](const std::string& c) {
      return !c.empty() &&
             std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    });
    return numeric ? ConfigNodeKind::kSequence : ConfigNodeKind::kMap;
  }
  std::optional<std::string> scalar(const std::string& path) const override {
    for (const auto& [k, v] : entries_)
      if (k == path) return v;
    return std::nullopt;
  }
  std::vector<std::string> keys(const std::string& path) const override {
    return kind(path) == ConfigNodeKind::kMap ? childNames(path) : std::vector<std::string>{};
  }
  std::size_t size(const std::string& path) const override {
    return kind(path) == ConfigNodeKind::kSequence ? childNames(path).size() : 0;
  }

 private:
  std::vector<std::string> childNames(const std::string& path) const {
    std::string prefix = path.empty() ? "" : path + ".";
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) {
      if (k.size() <= prefix.size() || k.compare(0, prefix.size(), prefix) != 0) continue;
      std::string rest = k.substr(prefix.size());
      std::string child = rest.substr(0, rest.find('.'));
      if (std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
    }
    return out;
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> entries_;
};

// ---------------------------------------------------------------------------------------------
/// Captures every log line.
class FakeLogger : public Logger {
 public:
  struct Line {
    LogLevel level;
    std::string message;
    LogFields fields;
  };
  void log(LogLevel level, const std::string& message, const LogFields& fields) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, message, fields});
  }
  bool enabled(LogLevel) const override { return true; }

  std::vector<Line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  /// True when a line at `level` contains `text` in its message.
  bool contains(LogLevel level, const std::string& text) const {
    std::lock_guard lock(mutex_);
    return std::any_of(lines_.begin(), lines_.end(), [&](const Line& l) {
      return l.level == level && l.message.find(text) != std::string::npos;
    });
  }
  /// True when `text` appears anywhere: message, field names or values (for "no secret" checks).
  bool mentions(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_) {
      if (l.message.find(text) != std::string::npos) return true;
      for (const auto& [k, v] : l.fields)
        if (k.find(text) != std::string::npos || v.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

// ---------------------------------------------------------------------------------------------
/// Captures registered routes; tests call them with invokeAgent() / invokePublic().
class FakeRouter : public Router {
 public:
  struct Route {
    Method method;
    std::string pattern;  // agent routes: the subpath; public routes: the absolute path
    std::string operation;
    RouteHandler handler;
    bool agentScoped;
  };

  /// Calls the agent route `subpath` (exact pattern) as the host would after auth, with `agent`
  /// resolved and the prefix's subaccountId/agentId in pathParams. kNotFound when not registered.
  Result<Response> invokeAgent(Method method, const std::string& subpath, Request request,
                               const AgentInfo& agent) const {
    const Route* r = find(method, subpath, true, request.pathParams);
    if (!r) return Status::notFound("no agent route " + subpath);
    request.method = method;
    request.pathParams["subaccountId"] = agent.subaccountId;
    request.pathParams["agentId"] = agent.id;
    request.path =
        "/api/database/" + agent.subaccountId + "/chat-agents/" + agent.id + "/" + subpath;
    RouteContext ctx{&agent, "op-test"};
    return r->handler(request, ctx);
  }
  /// Calls the public route matching the concrete `path` (":params" filled from it).
  Result<Response> invokePublic(Method method, const std::string& path, Request request) const {
    const Route* r = find(method, path, false, request.pathParams);
    if (!r) return Status::notFound("no public route " + path);
    request.method = method;
    request.path = path;
    RouteContext ctx{nullptr, "op-test"};
    return r->handler(request, ctx);
  }
  bool has(Method method, const std::string& pattern) const {
    std::lock_guard lock(mutex_);
    return std::any_of(routes_.begin(), routes_.end(),
                       [&](const Route& r) { return r.method == method && r.pattern == pattern; });
  }
  std::vector<Route> routes() const {
    std::lock_guard lock(mutex_);
    return routes_;
  }

 protected:
  void doAddAgentRoute(Method method, const std::string& subpath, const std::string& operation,
                       RouteHandler handler) override {
    std::lock_guard lock(mutex_);
    routes_.push_back({method, subpath, operation, std::move(handler), true});
  }
  void doAddPublicRoute(Method method, const std::string& path, const std::string& operation,
                        RouteHandler handler) override {
    std::lock_guard lock(mutex_);
    routes_.push_back({method, path, operation, std::move(handler), false});
  }

 private:
  static std::vector<std::string> segments(const std::string& p) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : p) {
      if (c == '/') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }
  const Route* find(Method method, const std::string& path, bool agentScoped,
                    std::map<std::string, std::string>& params) const {
    std::lock_guard lock(mutex_);
    auto want = segments(path);
    for (const auto& r : routes_) {
      if (r.method != method || r.agentScoped != agentScoped) continue;
      auto have = segments(r.pattern);
      if (have.size() != want.size()) continue;
      std::map<std::string, std::string> found;
      bool ok = true;
      for (std::size_t i = 0; i < have.size() && ok; ++i) {
        if (!have[i].empty() && have[i][0] == ':')
          found[have[i].substr(1)] = want[i];
        else
          ok = have[i] == want[i];
      }
      if (!ok) continue;
      for (auto& [k, v] : found) params[k] = v;
      return &r;
    }
    return nullptr;
  }
  mutable std::mutex mutex_;
  std::vector<Route> routes_;
};

// ---------------------------------------------------------------------------------------------
/// Agents held in memory; replies come from `replier` (default: no reply). Turns are recorded.
class FakeAgents : public Agents {
 public:
  void add(AgentInfo agent) {
    std::lock_guard lock(mutex_);
    agents_[{agent.subaccountId, agent.id}] = std::move(agent);
  }
  /// Every turn gets `text` as its reply.
  void replyWith(const std::string& text) {
    setReplier([text](const AgentTurn&) -> Result<AgentReply> { return AgentReply{text}; });
  }
  void setReplier(std::function<Result<AgentReply>(const AgentTurn&)> replier) {
    std::lock_guard lock(mutex_);
    replier_ = std::move(replier);
  }
  std::vector<AgentTurn> turns() const {
    std::lock_guard lock(mutex_);
    return turns_;
  }

  Result<std::optional<AgentInfo>> find(const std::string& subaccountId,
                                        const std::string& agentId) override {
    std::lock_guard lock(mutex_);
    auto it = agents_.find({subaccountId, agentId});
    if (it == agents_.end()) return std::optional<AgentInfo>{};
    return std::optional<AgentInfo>{it->second};
  }
  Result<AgentReply> reply(const AgentTurn& turn) override {
    std::function<Result<AgentReply>(const AgentTurn&)> replier;
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
  std::map<std::pair<std::string, std::string>, AgentInfo> agents_;  // by (subaccount, id)
  std::function<Result<AgentReply>(const AgentTurn&)> replier_;
  std::vector<AgentTurn> turns_;
};

// ---------------------------------------------------------------------------------------------
/// A chat store with the contract's uniqueness rules (localId; channel + non-empty mid).
/// `failWith` makes every call fail with that status until cleared.
class FakeChatStore : public ChatStore {
 public:
  std::optional<Status> failWith;

  Result<Chat> ensureChat(const ChatKey& key, std::int64_t timestampMs) override {
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
  Result<bool> addMessage(const Message& message) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto chat = chats_.find(message.chatId);
    if (chat == chats_.end()) return Status::notFound("no chat " + message.chatId);
    for (const auto& m : messages_) {
      if (!message.localId.empty() && m.localId == message.localId) return false;
      if (!message.mid.empty() && m.mid == message.mid &&
          channelOf(m.chatId) == chat->second.key.channel)
        return false;
    }
    Message m = message;
    if (m.localId.empty()) m.localId = "local_" + std::to_string(++nextId_);
    messages_.push_back(m);
    chat->second.messageCount++;
    chat->second.lastActivity = std::max(chat->second.lastActivity, m.timestamp);
    return true;
  }
  Result<std::optional<Message>> findByMid(const std::string& channel,
                                           const std::string& mid) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    if (auto* m = byMid(channel, mid)) return std::optional<Message>{*m};
    return std::optional<Message>{};
  }
  Result<std::optional<Message>> findByLocalId(const std::string& localId) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& m : messages_)
      if (m.localId == localId) return std::optional<Message>{m};
    return std::optional<Message>{};
  }
  Status markSent(const std::string& localId, const std::string& mid,
                  std::int64_t timestampMs) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (auto& m : messages_) {
      if (m.localId != localId) continue;
      m.mid = mid;
      m.status = MessageStatus::kSent;
      if (timestampMs) m.timestamp = timestampMs;
      return Status::ok();
    }
    return Status::notFound("no message " + localId);
  }
  Status markFailed(const std::string& localId, const std::string& error) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (auto& m : messages_) {
      if (m.localId != localId) continue;
      m.status = MessageStatus::kFailed;
      m.error = error;
      return Status::ok();
    }
    return Status::notFound("no message " + localId);
  }
  Status markDeleted(const std::string& channel, const std::string& mid) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return Status::notFound("no message " + mid);
    m->text.clear();
    m->attachmentsJson = "[]";
    m->status = MessageStatus::kDeleted;
    return Status::ok();
  }
  Status editText(const std::string& channel, const std::string& mid,
                  const std::string& text) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return Status::notFound("no message " + mid);
    m->text = text;
    m->metaJson = mergeObjects(m->metaJson, "{\"edited\":true}");
    return Status::ok();
  }
  /// Shallow merge: the patch's top-level members replace the meta's (textual, for tests).
  Status mergeMeta(const std::string& channel, const std::string& mid,
                   const std::string& metaPatchJson) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto* m = byMid(channel, mid);
    if (!m) return Status::notFound("no message " + mid);
    m->metaJson = mergeObjects(m->metaJson, metaPatchJson);
    metaPatches_.push_back({mid, metaPatchJson});
    return Status::ok();
  }
  Status setProfile(const std::string& chatId, const std::string& userName,
                    const std::string& userUsername) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = chats_.find(chatId);
    if (it == chats_.end()) return Status::notFound("no chat " + chatId);
    it->second.userName = userName;
    it->second.userUsername = userUsername;
    return Status::ok();
  }
  Result<std::optional<Chat>> findChat(const ChatKey& key) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& [id, c] : chats_)
      if (sameKey(c.key, key)) return std::optional<Chat>{c};
    return std::optional<Chat>{};
  }
  Result<ChatPage> listChats(const std::string& subaccountId, const std::string& agentId,
                             const std::string& channel, int limit, int skip) override {
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
    for (int i = skip; i < static_cast<int>(mine.size()) && i < skip + limit; ++i)
      page.chats.push_back({mine[i], messagesOf(mine[i].chatId)});
    return page;
  }
  Result<std::vector<Message>> recentMessages(const std::string& chatId, int limit) override {
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
  std::optional<Status> failWith;

  Result<ConnectOutcome> connect(const Connection& connection) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    for (const auto& [k, c] : conns_)
      if (c.connected && c.channel == connection.channel && c.accountId == connection.accountId &&
          (c.subaccountId != connection.subaccountId || c.agentId != connection.agentId))
        return Status(ErrorCode::kAccountInUse,
                      "This Instagram account is connected to another agent; disconnect it there "
                      "first.");
    auto key = keyOf(connection.subaccountId, connection.agentId, connection.channel);
    ConnectOutcome outcome;
    auto it = conns_.find(key);
    outcome.alreadyConnected =
        it != conns_.end() && it->second.connected && it->second.accountId == connection.accountId;
    Connection c = connection;
    c.connected = true;
    c.active = true;
    c.inactiveReason.clear();
    conns_[key] = c;
    ++connectCalls_;
    return outcome;
  }
  Result<std::optional<Connection>> get(const std::string& subaccountId, const std::string& agentId,
                                        const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    ++getCalls_;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return std::optional<Connection>{};
    return std::optional<Connection>{it->second};
  }
  Result<std::optional<Connection>> findByAccount(const std::string& channel,
                                                  const std::string& accountId) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    ++findByAccountCalls_;
    for (const auto& [k, c] : conns_)
      if (c.connected && c.channel == channel && c.accountId == accountId)
        return std::optional<Connection>{c};
    return std::optional<Connection>{};
  }
  Status setActive(const std::string& subaccountId, const std::string& agentId,
                   const std::string& channel, bool active, const std::string& reason) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return Status::notFound("no connection");
    it->second.active = active;
    it->second.inactiveReason = active ? "" : reason;
    return Status::ok();
  }
  Status disconnect(const std::string& subaccountId, const std::string& agentId,
                    const std::string& channel) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    auto it = conns_.find(keyOf(subaccountId, agentId, channel));
    if (it == conns_.end()) return Status::ok();
    it->second.connected = false;
    it->second.active = false;
    it->second.secrets.clear();
    return Status::ok();
  }

  /// Stores `c` as is (no ACCOUNT_IN_USE check), for arranging a test.
  void put(const Connection& c) {
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
  std::map<Key, Connection> conns_;
  int connectCalls_ = 0;
  int getCalls_ = 0;
  int findByAccountCalls_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// Records appended events; tests run the installed consumer with deliverAll()/drain().
class FakeInbox : public Inbox {
 public:
  std::optional<Status> failWith;  // append() fails with it (nothing recorded)

  Status append(const std::vector<NewInboxEvent>& events) override {
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
    return Status::ok();
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
  std::vector<ProcessOutcome> outcomes_;
  std::int64_t nextId_ = 0;
  int appendCalls_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// Key/value store in memory. TTLs are recorded but never expire unless expire() is called;
/// `unavailable` makes every call answer kUnavailable.
class FakeKeyValue : public KeyValue {
 public:
  std::atomic<bool> unavailable{false};

  Result<bool> setIfAbsent(const std::string& key, const std::string& value,
                           std::int64_t ttlMs) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    if (values_.count(key)) return false;
    values_[key] = {value, ttlMs};
    return true;
  }
  Result<std::optional<std::string>> get(const std::string& key) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second.first};
  }
  Status set(const std::string& key, const std::string& value, std::int64_t ttlMs) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    values_[key] = {value, ttlMs};
    return Status::ok();
  }
  Status remove(const std::string& key) override {
    if (unavailable) return Status::unavailable("kv down");
    std::lock_guard lock(mutex_);
    values_.erase(key);
    return Status::ok();
  }
  void expire(const std::string& key) {
    std::lock_guard lock(mutex_);
    values_.erase(key);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return values_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::string, std::int64_t>> values_;
};

// ---------------------------------------------------------------------------------------------
/// Outbound HTTP scripted by method and URL. A rule matches when the request URL without its
/// query equals `url`, or starts with it when `url` ends with '*'. A rule answers its queued
/// results in order, repeating the last one. Unmatched requests answer 404. Every request is
/// recorded.
class FakeHttpClient : public HttpClient {
 public:
  using Responder = std::function<Result<HttpResponse>(const HttpRequest&)>;

  /// Adds `result` to the queue of the rule (method, url).
  void on(Method method, const std::string& url, Result<HttpResponse> result) {
    on(method, url, [result](const HttpRequest&) { return result; });
  }
  void on(Method method, const std::string& url, Responder responder) {
    std::lock_guard lock(mutex_);
    for (auto& r : rules_)
      if (r.method == method && r.url == url) {
        r.queue.push_back(std::move(responder));
        return;
      }
    rules_.push_back({method, url, {std::move(responder)}});
  }
  /// A JSON response with `status`.
  static HttpResponse json(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    return r;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    Responder responder;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      std::string bare = request.url.substr(0, request.url.find('?'));
      for (auto& r : rules_) {
        if (r.method != request.method) continue;
        bool match = !r.url.empty() && r.url.back() == '*'
                         ? bare.compare(0, r.url.size() - 1, r.url, 0, r.url.size() - 1) == 0
                         : bare == r.url;
        if (!match) continue;
        responder = r.queue.front();
        if (r.queue.size() > 1) r.queue.pop_front();
        break;
      }
    }
    if (!responder) return json(404, "{\"error\":{\"message\":\"no such route in fake\"}}");
    return responder(request);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  /// Recorded requests whose URL contains `fragment`.
  std::vector<HttpRequest> requestsTo(const std::string& fragment) const {
    std::lock_guard lock(mutex_);
    std::vector<HttpRequest> out;
    for (const auto& r : requests_)
      if (r.url.find(fragment) != std::string::npos) out.push_back(r);
    return out;
  }

 private:
  struct Rule {
    Method method;
    std::string url;
    std::deque<Responder> queue;
  };
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::vector<HttpRequest> requests_;
};

// ---------------------------------------------------------------------------------------------
/// Metrics whose values tests can read back by name and labels.
class FakeMetrics : public Metrics {
 public:
  class FakeCounter : public Counter {
   public:
    void inc(double by) override {
      std::lock_guard lock(m_);
      value_ += by;
    }
    double value() const {
      std::lock_guard lock(m_);
      return value_;
    }

   private:
    mutable std::mutex m_;
    double value_ = 0;
  };
  class FakeGauge : public Gauge {
   public:
    void set(double v) override {
      std::lock_guard lock(m_);
      value_ = v;
    }
    void add(double by) override {
      std::lock_guard lock(m_);
      value_ += by;
    }
    double value() const {
      std::lock_guard lock(m_);
      return value_;
    }

   private:
    mutable std::mutex m_;
    double value_ = 0;
  };
  class FakeHistogram : public Histogram {
   public:
    void observe(double v) override {
      std::lock_guard lock(m_);
      values_.push_back(v);
    }
    std::vector<double> values() const {
      std::lock_guard lock(m_);
      return values_;
    }

   private:
    mutable std::mutex m_;
    std::vector<double> values_;
  };

  Counter& counter(const std::string& name, const std::string&,
                   const MetricLabels& labels) override {
    std::lock_guard lock(mutex_);
    auto& p = counters_[{name, labels}];
    if (!p) p = std::make_unique<FakeCounter>();
    return *p;
  }
  Gauge& gauge(const std::string& name, const std::string&, const MetricLabels& labels) override {
    std::lock_guard lock(mutex_);
    auto& p = gauges_[{name, labels}];
    if (!p) p = std::make_unique<FakeGauge>();
    return *p;
  }
  Histogram& histogram(const std::string& name, const std::string&, const MetricLabels& labels,
                       const std::vector<double>&) override {
    std::lock_guard lock(mutex_);
    auto& p = histograms_[{name, labels}];
    if (!p) p = std::make_unique<FakeHistogram>();
    return *p;
  }

  /// Value of a counter; 0 when it was never created.
  double counterValue(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = counters_.find({name, labels});
    return it == counters_.end() ? 0 : it->second->value();
  }
  double gaugeValue(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = gauges_.find({name, labels});
    return it == gauges_.end() ? 0 : it->second->value();
  }
  std::size_t observations(const std::string& name, const MetricLabels& labels = {}) const {
    std::lock_guard lock(mutex_);
    auto it = histograms_.find({name, labels});
    return it == histograms_.end() ? 0 : it->second->values().size();
  }

 private:
  using Key = std::pair<std::string, MetricLabels>;
  mutable std::mutex mutex_;
  std::map<Key, std::unique_ptr<FakeCounter>> counters_;
  std::map<Key, std::unique_ptr<FakeGauge>> gauges_;
  std::map<Key, std::unique_ptr<FakeHistogram>> histograms_;
};

// ---------------------------------------------------------------------------------------------
/// Records the channels a plugin registers (each wrapped by the SDK's guard, as the host gets
/// them). Refuses a second channel of the same name with kConflict, as the host does;
/// `failWith` makes add() fail with that status until cleared.
class FakeChannels : public Channels {
 public:
  std::optional<Status> failWith;

  /// The registered channels, in order.
  std::vector<std::shared_ptr<Channel>> added() const {
    std::lock_guard lock(mutex_);
    return channels_;
  }
  /// The registered channel named `name` (by its description), or null.
  std::shared_ptr<Channel> find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    for (const auto& c : channels_)
      if (c->describe().name == name) return c;
    return nullptr;
  }

 protected:
  Status doAdd(std::shared_ptr<Channel> guarded) override {
    std::lock_guard lock(mutex_);
    if (failWith) return *failWith;
    const std::string name = guarded->describe().name;
    if (name.empty()) return Status::validation("a channel needs a name");
    for (const auto& c : channels_)
      if (c->describe().name == name) return {ErrorCode::kConflict, "channel '" + name + "' exists"};
    channels_.push_back(std::move(guarded));
    return Status::ok();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Channel>> channels_;
};

// ---------------------------------------------------------------------------------------------
/// A PluginContext owning one of each fake; members are public so tests arrange and inspect them.
class FakePluginContext : public PluginContext {
 public:
  FakeConfigView configView;
  FakeLogger log;
  FakeRouter routes;
  FakeChannels channelsFake;
  FakeKeyValue kvFake;
  FakeHttpClient httpFake;
  FakeMetrics metricsFake;
  std::string dataDir = "/tmp";

  const ConfigView& config() override { return configView; }
  Logger& logger() override { return log; }
  Router& router() override { return routes; }
  Channels& channels() override { return channelsFake; }
  KeyValue& kv() override { return kvFake; }
  HttpClient& http() override { return httpFake; }
  Metrics& metrics() override { return metricsFake; }
  std::string dataDirectory() override { return dataDir; }
};

}  // namespace chathost::sdk::testing
