#pragma once
// InboxStore on any SQL backend, with group commit of concurrent appends.

#include "storage/group_commit.h"
#include "storage/sql_connection.h"
#include "storage/storage.h"

namespace chathost::host {

class Database;

/// Which table a queue lives in (the inbox and the outbox have the same columns).
struct QueueTable {
  std::string name;
  static QueueTable inbox();
  static QueueTable outbox();
};

class SqlInboxStore : public InboxStore {
 public:
  SqlInboxStore(Database& db, QueueTable table);
  sdk::Status append(const std::vector<host::NewInboxEvent>& events) override;
  sdk::Status appendWithCallersWrites(const std::vector<host::NewInboxEvent>& events) override;
  bool joinsCallersWrites() const override;
  sdk::Result<std::vector<host::InboxEvent>> appendAndClaim(
      const std::vector<host::NewInboxEvent>& events, const std::string& owner,
      std::int64_t leaseMs, int maxClaim) override;
  sdk::Result<std::vector<host::InboxEvent>> claim(const std::string& owner, int max,
                                                   std::int64_t leaseMs) override;
  sdk::Status markDone(const std::string& owner, std::int64_t id) override;
  sdk::Result<std::int64_t> releaseClaimsOf(const std::string& ownerPrefix) override;
  sdk::Status extendLeases(const std::string& owner, const std::vector<std::int64_t>& ids,
                           std::int64_t leaseMs) override;
  std::uint64_t deferredWritesLost() override;
  sdk::Status markAllDone(const std::string& owner, const std::vector<std::int64_t>& ids,
                          std::uint64_t lostBefore) override;
  sdk::Status markRetry(const std::string& owner, std::int64_t id, std::int64_t delayMs,
                        const std::string& reason) override;
  sdk::Status markRetryUncounted(const std::string& owner, std::int64_t id, std::int64_t delayMs,
                                 const std::string& reason) override;
  sdk::Status markFailed(const std::string& owner, std::int64_t id,
                         const std::string& reason) override;
  sdk::Status confirmClaim(std::int64_t id, const std::string& owner, int attempts,
                           std::int64_t leaseMs) override;
  sdk::Result<bool> wasTakenUp(const std::string& dedupKey) override;
  sdk::Result<std::int64_t> pendingCount() override;
  sdk::Result<std::int64_t> purgeFinished(std::int64_t olderThanMs, int limit) override;

  /// Transactions used by append() so far: fewer than calls when appends were grouped.
  std::size_t appendCommits() const { return committer_.groupsCommitted(); }

 private:
  // One caller's events; the commit fills `claimed` with those it claimed for `owner`.
  struct Batch {
    const std::vector<host::NewInboxEvent>& events;
    std::string owner;
    std::int64_t leaseMs = 0;
    int maxClaim = 0;
    mutable std::vector<host::InboxEvent> claimed;
  };
  sdk::Status commitGroup(const std::vector<const Batch*>& batches);
  // `text` with every "{T}" replaced by the table's name.
  std::string sql(const std::string& text) const;
  sdk::Status finish(const std::string& what, std::int64_t id, const std::string& sql,
                     const SqlParams& params);

  Database& db_;
  QueueTable table_;
  std::string claimablePending_;
  std::string claimableExpired_;
  GroupCommitter<Batch> committer_;
};

}  // namespace chathost::host
