#pragma once
// One black-box installation for edge tests: the fake Graph API, the real chathost with the real
// Instagram plugin on SQLite, and helpers to call its API, post signed webhooks and read back
// history, Graph sends and metrics.

#include "support/backend_config.h"
#include "support/fake_graph_process.h"
#include "support/host_process.h"
#include "support/http_call.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chathost::testing::edge {

inline constexpr const char* kJwtSecret = "edge-test-jwt-secret-0123456789abcdefgh";
inline constexpr const char* kSubaccount = "acme";
inline constexpr const char* kAppSecret = "edge-app-secret";
inline constexpr const char* kAppVerifyToken = "edge-app-verify";

using Json = Poco::JSON::Object::Ptr;
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A fake Graph account: "TOKEN:IG_ID:PAGE_ID:USERNAME".
struct EdgeAccount {
  std::string token;
  std::string igId;
  std::string pageId;
  std::string username;
};

struct EdgeOptions {
  /// kPostgresRedis: the ctest fixtures' PostgreSQL (a schema of its own, dropped at the end)
  /// and Redis instead of SQLite and in-memory dedup.
  Backend backend = Backend::kSqlite;
  std::vector<EdgeAccount> accounts;
  std::string serverYaml;  // extra lines under `server:`, indented by two spaces
  /// Extra lines under the plugin's `config:`, indented by six spaces; every `{graph}` in them
  /// becomes the fake Graph API's base URL (e.g. `oauth_token_url: {graph}/oauth/access_token`).
  std::string pluginYaml;
  std::string workersYaml;                 // extra lines under `workers:`, indented by two spaces
  std::map<std::string, std::string> env;  // the host's extra environment
  /// The `agents:` section; by default agents may call the fake endpoints on loopback.
  std::string agentsYaml = "agents:\n  allow_networks: [\"127.0.0.0/8\"]\n";
};

/// One Send API call the fake recorded: a message, or a sender action (typing, seen).
struct SentRecord {
  std::string senderId;  // page or account id in the path
  std::string recipientId;
  std::string text;
  std::string messageId;
  std::string kind;           // "text" | "attachment" | "action"
  std::string tag;            // e.g. "HUMAN_AGENT"
  std::string messagingType;  // "RESPONSE" | "MESSAGE_TAG" | ...
  std::string attachmentType;
  std::string attachmentUrl;
  std::string action;  // typing_on | typing_off | mark_seen
  long long atMs = 0;  // when the fake accepted it (its steady clock)
};

/// The Send API calls the fake Graph API at `graphUrl` recorded in its list `list`: "sent"
/// (messages) or "actions" (typing, seen), in order; empty when it does not answer.
std::vector<SentRecord> sentRecords(const std::string& graphUrl, const std::string& list);

/// Sum of the samples of `name` whose labels include every pair of `labels` (0 when none).
double metricSum(const std::string& metricsText, const std::string& name, const Labels& labels);

/// True when every reply part the host queued in its outbox was sent or failed: nothing waits.
bool outboxSettledIn(const std::string& metricsText);

class EdgeInstance {
 public:
  /// Starts the fake Graph and the host; nullptr with `failure` set when either does not start.
  static std::unique_ptr<EdgeInstance> start(const EdgeOptions& options, std::string& failure);

  const FakeGraphProcess& graph() const { return *graph_; }
  const HostProcess& host() const { return *host_; }
  HostProcess& host() { return *host_; }
  std::string baseUrl() const { return host_->baseUrl(); }

  /// An API call under /api/database/acme/chat-agents with an admin token.
  HttpResult api(const std::string& method, const std::string& path, const std::string& body = "",
                 int timeoutMs = 10000) const;
  /// The same under /api/database/<subaccount>/chat-agents, with a token for that subaccount only.
  HttpResult apiAs(const std::string& subaccount, const std::string& method,
                   const std::string& path, const std::string& body = "") const;
  HttpResult createAgent(const std::string& id, const std::string& type,
                         const std::string& configJson) const;
  /// Connects `agent` to `account`; no webhookSecret when `webhookSecret` is empty.
  HttpResult connect(const std::string& agent, const EdgeAccount& account,
                     const std::string& webhookSecret = "") const;
  /// POSTs `body` to the agent's webhook, signed with `secret` (unsigned when empty).
  HttpResult postWebhook(const std::string& agent, const std::string& body,
                         const std::string& secret) const;
  /// POSTs `body` to /webhooks/instagram, signed with `secret` (unsigned when empty).
  HttpResult postAppWebhook(const std::string& body, const std::string& secret) const;

  /// The agent's chats from /messages (limit 200); empty on any error.
  std::vector<Json> chats(const std::string& agent) const;
  /// The chat with Instagram user `userId`, or null.
  Json chatWith(const std::string& agent, const std::string& userId) const;
  /// Every stored message of the agent, chat by chat, oldest first within a chat.
  std::vector<Json> messages(const std::string& agent) const;
  /// The stored message with `mid`, or null.
  Json messageByMid(const std::string& agent, const std::string& mid) const;

  /// What the fake Graph's Send API received, in order (messages only).
  std::vector<SentRecord> sent() const;
  /// The sender actions (typing, seen) the fake Graph's Send API received, in order.
  std::vector<SentRecord> actions() const;
  /// A call to the fake Graph's control API (`path` like "/_fake/oauth").
  HttpResult graphControl(const std::string& method, const std::string& path,
                          const std::string& body = "") const;
  /// How many Graph requests the fake saw for "METHOD /path".
  int graphRequests(const std::string& methodAndPath) const;

  std::string metricsText() const;
  double metric(const std::string& name, const Labels& labels = {}) const;
  /// Waits until the Instagram inbox has finished (done) at least `count` events in total.
  bool waitInboxDone(double count,
                     std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

  /// Stops the host, then drops its PostgreSQL schema (kPostgresRedis).
  ~EdgeInstance();

 private:
  EdgeInstance() = default;
  TempDir dir_;
  std::optional<FakeGraphProcess> graph_;
  std::optional<HostProcess> host_;
  std::string postgresDsn_;  // with postgresSchema_: dropped by the destructor
  std::string postgresSchema_;
  std::string token_;
};

}  // namespace chathost::testing::edge
