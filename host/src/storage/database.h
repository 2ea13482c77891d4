#pragma once
// Connections of one backend handed out for reads and for write transactions. Thread-safe.
// SQLite: one writer connection whose concurrent writes share one commit (each in a savepoint of
// its own), readers pooled. PostgreSQL: one pool for both.

#include <chathost/sdk/status.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/group_commit.h"
#include "storage/sql_connection.h"
#include "storage/sql_dialect.h"

namespace chathost::host {

class Database {
 public:
  using Factory = std::function<std::unique_ptr<SqlConnection>()>;
  using Work = std::function<sdk::Status(SqlConnection&)>;

  /// `dedicatedWriter`: writes go through one connection of their own (SQLite's single writer).
  Database(const SqlDialect& dialect, Factory factory, int poolSize, bool dedicatedWriter);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const SqlDialect& dialect() const { return dialect_; }
  /// Writes go through the one dedicated writer and may join its open transaction (SQLite).
  bool sharesWriter() const { return dedicatedWriter_; }

  /// Runs `work` in one transaction: committed when it returns ok, rolled back otherwise.
  /// `what` names the operation in error messages. Never throws. With the dedicated writer,
  /// writes that arrive together commit together; each still sees only its own outcome.
  sdk::Status write(const std::string& what, const Work& work);
  /// Commits the deferred writes waiting in the writer's open transaction (see storage.h);
  /// kUnavailable when a transaction was lost since lostTransactions() was `lostBefore`.
  sdk::Status commitDeferred(std::uint64_t lostBefore);
  /// How many transactions of the dedicated writer were rolled back after deferred writes may
  /// have joined them (callers of those writes were already told ok).
  std::uint64_t lostTransactions() const { return lostTransactions_.load(); }
  /// Writes waiting for the dedicated writer's next commit (for tests).
  std::size_t writesWaiting() const { return writes_.queued(); }
  /// write(), committed before it returns even under a DeferredCommitScope (the inbox's writes
  /// are what makes the deferred ones safe).
  sdk::Status writeNow(const std::string& what, const Work& work);
  /// write() on a connection kept apart from the pool, for the few writes that must not wait
  /// behind busy workers (lease renewals: a lease that runs out while its renewal queues for a
  /// connection hands a live event to another host). `work` must be safe to run twice: after a
  /// dropped connection it runs again at once on a new one. With the dedicated writer, writeNow().
  sdk::Status writeReserved(const std::string& what, const Work& work);
  /// write() (or writeNow() with `now`) for work that changes rows with one statement, reads
  /// after it aside. PostgreSQL runs that statement on its own (autocommit: the same atomicity)
  /// and spares the BEGIN and COMMIT round trips; with the dedicated writer nothing changes.
  sdk::Status writeStatement(const std::string& what, const Work& work, bool now = false);
  /// Runs `work` on a pooled connection outside an explicit transaction. Never throws.
  sdk::Status read(const std::string& what, const Work& work);

 private:
  std::unique_ptr<SqlConnection> acquire();
  void release(std::unique_ptr<SqlConnection> conn);
  sdk::Status run(const std::string& what, SqlConnection& conn, const Work& work, bool tx);
  // run() on a connection taken from the pool and given back.
  sdk::Status runPooled(const std::string& what, const Work& work, bool tx);

  struct WriteRequest {
    const std::string& what;
    const Work& work;
    mutable sdk::Status status;  // this write's own outcome, set by the group's commit
  };
  sdk::Status commitWriteGroup(const std::vector<const WriteRequest*>& group);
  sdk::Status writeDeferred(const std::string& what, const Work& work);
  SqlConnection& writer();
  void loseOpenTransaction();
  void beginIfNeeded(SqlConnection& c);
  bool runInSavepoint(SqlConnection& c, const std::string& what, const Work& work,
                      sdk::Status& status);

  const SqlDialect& dialect_;
  Factory factory_;
  int poolSize_;
  std::mutex poolMutex_;
  std::condition_variable poolFree_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;
  int open_ = 0;
  bool dedicatedWriter_;
  std::mutex reservedMutex_;
  std::unique_ptr<SqlConnection> reserved_;  // writeReserved()'s own; guarded by reservedMutex_
  std::mutex writerMutex_;
  std::unique_ptr<SqlConnection> writer_;  // guarded by writerMutex_, like the next one
  bool openTransaction_ = false;           // deferred writes wait in it for the next commit
  std::atomic<std::uint64_t> lostTransactions_{0};
  GroupCommitter<WriteRequest> writes_;
};

/// An error Status for a failed statement: kUnavailable when the database is unreachable.
sdk::Status sqlErrorStatus(const std::string& what, const SqlError& error);

}  // namespace chathost::host
