#pragma once
// The host's storage facade: agents, chats, connections and the inbox behind one backend
// (SQLite or PostgreSQL). No database types in this header: it is included widely.

#include <chathost/sdk/status.h>
#include "agents/agents.h"
#include "storage/chat_store.h"
#include "storage/connection_store.h"
#include "storage/inbox.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

class SecretCipher;

/// One page of a subaccount's agents, oldest first, and their total number.
struct AgentPage {
  std::vector<sdk::AgentInfo> agents;
  std::int64_t count = 0;
};

/// Agents of every subaccount. Thread-safe.
class AgentStore {
 public:
  virtual ~AgentStore() = default;
  /// Stores a new agent (createdAt/updatedAt set by the store). kConflict when its subaccount
  /// already has an agent with that id (ids are unique per subaccount, not globally).
  virtual sdk::Result<sdk::AgentInfo> create(const sdk::AgentInfo& agent) = 0;
  /// The agent when it belongs to `subaccountId`.
  virtual sdk::Result<std::optional<sdk::AgentInfo>> get(const std::string& subaccountId,
                                                         const std::string& agentId) = 0;
  virtual sdk::Result<AgentPage> list(const std::string& subaccountId, int limit, int skip) = 0;
  /// Replaces name/type/config of an existing agent (updatedAt set by the store).
  virtual sdk::Result<sdk::AgentInfo> update(const sdk::AgentInfo& agent) = 0;
  /// Deletes the agent with its connections, chats, messages and pending inbox events.
  /// kAgentNotFound when it does not exist in that subaccount.
  virtual sdk::Status remove(const std::string& subaccountId, const std::string& agentId) = 0;

  /// Gets a stored agent; returns its new config, or nullopt to leave it as it is.
  using ConfigRewrite =
      std::function<sdk::Result<std::optional<std::string>>(const sdk::AgentInfo& stored)>;
  /// For start-up migrations of config contents: runs `rewrite` over the agents of every
  /// subaccount and stores the configs it returns (updatedAt unchanged), skipping a row that
  /// changed meanwhile. Returns how many rows it rewrote; stops at the first error of `rewrite`.
  virtual sdk::Result<std::int64_t> rewriteConfigs(const ConfigRewrite& /*rewrite*/) {
    return sdk::Status::internal("this agent store cannot rewrite configs");
  }
};

/// The durable queue of received events behind host::Inbox. Thread-safe; several host processes
/// may share one PostgreSQL inbox.
class InboxStore {
 public:
  virtual ~InboxStore() = default;
  /// Commits all events durably before returning (concurrent calls may share one commit).
  virtual sdk::Status append(const std::vector<host::NewInboxEvent>& events) = 0;
  /// Records the events as a write of the caller's: on SQLite, inside a DeferredCommitScope, they
  /// join the writer's open transaction with the caller's other writes and are committed with
  /// them (a reply's outbox rows commit with its messages); elsewhere like append().
  virtual sdk::Status appendWithCallersWrites(const std::vector<host::NewInboxEvent>& events) {
    return append(events);
  }
  /// Whether appendWithCallersWrites() really joins the caller's uncommitted writes (SQLite's
  /// shared writer). When it does not, the caller's writes are committed already, and the new
  /// events may be claimed as they are appended (appendAndClaim).
  virtual bool joinsCallersWrites() const { return false; }
  /// append(), and in the same commit claims for `owner` (as claim() would, attempts 1) up to
  /// `maxClaim` of the new events whose ordering key has no other unfinished event: fresh events
  /// go to the workers without waiting for the next claim. Returns the claimed ones.
  virtual sdk::Result<std::vector<host::InboxEvent>> appendAndClaim(
      const std::vector<host::NewInboxEvent>& events, const std::string& /*owner*/,
      std::int64_t /*leaseMs*/, int /*maxClaim*/) {
    if (auto s = append(events); !s.isOk()) return s;
    return std::vector<host::InboxEvent>{};
  }
  /// Claims up to `max` due events for `owner` for `leaseMs`: pending events whose time has come,
  /// plus claimed events whose lease expired (a crashed worker or host). Never returns an event
  /// while an earlier event (by eventTimestamp, then id) of the same orderingKey is unfinished.
  /// Increments each claimed event's attempts.
  virtual sdk::Result<std::vector<host::InboxEvent>> claim(const std::string& owner, int max,
                                                           std::int64_t leaseMs) = 0;
  virtual sdk::Status markDone(const std::string& owner, std::int64_t id) = 0;
  /// Makes the events claimed by owners whose id starts with `ownerPrefix` pending again, due
  /// now; returns how many. For claims a dead earlier run of the same instance left.
  virtual sdk::Result<std::int64_t> releaseClaimsOf(const std::string& /*ownerPrefix*/) {
    return std::int64_t{0};
  }
  /// Renews the leases `owner` holds on `ids` to `leaseMs` from now, so events that run long are
  /// not claimed again elsewhere; ids not claimed by `owner` are left alone.
  virtual sdk::Status extendLeases(const std::string& owner, const std::vector<std::int64_t>& ids,
                                   std::int64_t leaseMs) = 0;
  /// Changes whenever writes made under a DeferredCommitScope may have been lost before their
  /// commit (their callers were already told ok). Constant for stores that defer nothing.
  virtual std::uint64_t deferredWritesLost() { return 0; }
  /// Marks every event of `ids` done in one commit, which also commits the deferred writes made
  /// so far, provided deferredWritesLost() is still `lostBefore` then; else kUnavailable and
  /// nothing is marked. Ids not found are skipped.
  virtual sdk::Status markAllDone(const std::string& owner, const std::vector<std::int64_t>& ids,
                                  std::uint64_t lostBefore) {
    if (deferredWritesLost() != lostBefore)
      return sdk::Status::unavailable("deferred writes were lost");
    for (std::int64_t id : ids) {
      if (auto s = markDone(owner, id); !s.isOk() && s.code() != sdk::ErrorCode::kConflict)
        return s;
    }
    return sdk::Status::ok();
  }
  /// Returns the event to pending, due after `delayMs`.
  virtual sdk::Status markRetry(const std::string& owner, std::int64_t id, std::int64_t delayMs,
                                const std::string& reason) = 0;
  /// markRetry() for an attempt that did no work (its agent was busy): takes back the attempt
  /// its claim counted, except the first (consumers tell a first delivery by attempts == 1), so
  /// waiting for a busy agent does not use up the event's attempts.
  virtual sdk::Status markRetryUncounted(const std::string& owner, std::int64_t id,
                                         std::int64_t delayMs, const std::string& reason) {
    return markRetry(owner, id, delayMs, reason);
  }
  virtual sdk::Status markFailed(const std::string& owner, std::int64_t id,
                                 const std::string& reason) = 0;
  /// The fencing check before an effect outside the process (a send): ok when `owner` still holds
  /// event `id` under the claim that counted `attempts` (on PostgreSQL also renewing the lease to
  /// `leaseMs` from now, in the same statement); kConflict when the claim expired and another
  /// worker or host took the event.
  virtual sdk::Status confirmClaim(std::int64_t /*id*/, const std::string& /*owner*/,
                                   int /*attempts*/, std::int64_t /*leaseMs*/) {
    return sdk::Status::ok();
  }
  /// Whether a row with `dedupKey` was ever claimed (attempts > 0).
  virtual sdk::Result<bool> wasTakenUp(const std::string& /*dedupKey*/) { return false; }
  /// Number of events not yet done or failed.
  virtual sdk::Result<std::int64_t> pendingCount() = 0;
  /// Deletes up to `limit` done or failed events finished at least `olderThanMs` ago, oldest
  /// first; returns how many. Small batches keep a long purge from holding the writer.
  virtual sdk::Result<std::int64_t> purgeFinished(std::int64_t /*olderThanMs*/, int /*limit*/) {
    return std::int64_t{0};
  }
};

/// While one lives on a thread, that thread's writes to a store with a single writer (SQLite)
/// join the writer's open transaction and return before it commits; its reads use the writer
/// too, so they see them. For inbox consumers: what they write needs to be durable only by the
/// time their event is marked done, which commits it (InboxStore::markAllDone). Elsewhere no-op.
class DeferredCommitScope {
 public:
  DeferredCommitScope();
  ~DeferredCommitScope();
  /// Commits the writes this thread deferred so far (no-op when none). Call before an effect
  /// outside the process that must not happen unless they are durable, such as sending a reply
  /// whose pending record guards against sending it twice.
  static sdk::Status commitPending();
  DeferredCommitScope(const DeferredCommitScope&) = delete;
  DeferredCommitScope& operator=(const DeferredCommitScope&) = delete;
};

/// One open backend. Thread-safe; the stores live as long as this object.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual AgentStore& agents() = 0;
  /// listChats gives each chat its newest 500 messages, oldest first; messageCount is the total.
  virtual host::ChatStore& chats() = 0;
  virtual host::ConnectionStore& connections() = 0;
  virtual InboxStore& inbox() = 0;
  /// Replies waiting to be sent, one row per message part: the same queue as the inbox, claimed
  /// by due time (pacing puts a busy account's replies in the future).
  virtual InboxStore& outbox() = 0;
  /// ok when the database answers a trivial query.
  virtual sdk::Status ping() = 0;
  /// "sqlite" | "postgresql"
  virtual std::string backendName() const = 0;
};

struct StorageOptions {
  std::string backend = "sqlite";  // "sqlite" | "postgresql"
  std::string sqlitePath = "var/chathost.db";
  std::string postgresDsn;  // libpq key/value or URI
  int poolSize = 8;         // connections (PostgreSQL; SQLite readers)
  /// PostgreSQL schema to use (created when missing); empty: the DSN's default search_path.
  /// Letters, digits and '_' only.
  std::string postgresSchema;
  /// SQLite `synchronous=FULL` (durable at every commit); false: NORMAL (durable at checkpoint).
  bool sqliteSynchronousFull = true;
};

/// Opens the backend and runs pending schema migrations (idempotent). `cipher` encrypts the
/// connection secrets at rest and must outlive the storage.
sdk::Result<std::unique_ptr<Storage>> openStorage(const StorageOptions& options,
                                                  const SecretCipher& cipher);

}  // namespace chathost::host
