#include "storage/database.h"
#include "storage/storage.h"

#include <chrono>
#include <utility>

namespace chathost::host {

namespace {
constexpr auto kAcquireTimeout = std::chrono::seconds(30);
thread_local int tDeferredCommit = 0;
thread_local Database* tDeferredIn = nullptr;  // holds this thread's uncommitted writes
// tDeferredIn->lostTransactions() before this thread's first uncommitted write.
thread_local std::uint64_t tLostBefore = 0;
}  // namespace

DeferredCommitScope::DeferredCommitScope() {
  ++tDeferredCommit;
}
DeferredCommitScope::~DeferredCommitScope() {
  // Writes left uncommitted (the consumer threw) are committed with someone else's; they were
  // made idempotently, so that is harmless.
  if (--tDeferredCommit == 0) tDeferredIn = nullptr;
}

sdk::Status DeferredCommitScope::commitPending() {
  Database* db = std::exchange(tDeferredIn, nullptr);
  return db ? db->commitDeferred(tLostBefore) : sdk::Status::ok();
}

sdk::Status Database::commitDeferred(std::uint64_t lostBefore) {
  static const std::string kWhat = "commit deferred writes";
  // Checked under the writer, in the commit: a loss of the transaction that held this thread's
  // writes means they are gone, even though this commit itself succeeds.
  const Work check = [this, lostBefore](SqlConnection&) {
    return lostTransactions_.load() == lostBefore
               ? sdk::Status::ok()
               : sdk::Status::unavailable("deferred writes were lost before their commit");
  };
  return writeNow(kWhat, check);
}

sdk::Status sqlErrorStatus(const std::string& what, const SqlError& error) {
  if (error.connectionLost()) {
    return sdk::Status::unavailable("storage unavailable during " + what + ": " + error.what());
  }
  return sdk::Status::internal("storage error during " + what + ": " + error.what());
}

Database::Database(const SqlDialect& dialect, Factory factory, int poolSize, bool dedicatedWriter)
    : dialect_(dialect),
      factory_(std::move(factory)),
      poolSize_(poolSize < 1 ? 1 : poolSize),
      dedicatedWriter_(dedicatedWriter),
      writes_([this](const std::vector<const WriteRequest*>& group) {
        return commitWriteGroup(group);
      }) {}

Database::~Database() = default;

std::unique_ptr<SqlConnection> Database::acquire() {
  std::unique_lock lock(poolMutex_);
  if (!poolFree_.wait_for(lock, kAcquireTimeout,
                          [&] { return !idle_.empty() || open_ < poolSize_; })) {
    throw SqlError("no free database connection within 30 s", true);
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  try {
    return factory_();
  } catch (...) {
    lock.lock();
    --open_;
    poolFree_.notify_one();
    throw;
  }
}

void Database::release(std::unique_ptr<SqlConnection> conn) {
  std::lock_guard lock(poolMutex_);
  if (conn && conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped: the next acquire opens a fresh one
  }
  poolFree_.notify_one();
}

sdk::Status Database::run(const std::string& what, SqlConnection& conn, const Work& work, bool tx) {
  bool began = false;
  try {
    if (tx) {
      conn.begin();
      began = true;
    }
    sdk::Status status = work(conn);
    if (tx) {
      if (status.isOk()) {
        conn.commit();
      } else {
        conn.rollback();
      }
    }
    return status;
  } catch (const SqlError& e) {
    if (began) {
      try {
        conn.rollback();
      } catch (...) {
        // The connection is broken; the pool drops it.
      }
    }
    return sqlErrorStatus(what, e);
  } catch (const std::exception& e) {
    if (began) {
      try {
        conn.rollback();
      } catch (...) {
      }
    }
    return sdk::Status::internal("storage error during " + what + ": " + e.what());
  }
}

sdk::Status Database::write(const std::string& what, const Work& work) {
  if (!dedicatedWriter_) return runPooled(what, work, true);
  if (tDeferredCommit > 0) return writeDeferred(what, work);
  return writeNow(what, work);
}

sdk::Status Database::writeNow(const std::string& what, const Work& work) {
  if (!dedicatedWriter_) return write(what, work);
  WriteRequest request{what, work, {}};
  sdk::Status group = writes_.submit(request);
  return group.isOk() ? request.status : group;
}

sdk::Status Database::writeStatement(const std::string& what, const Work& work, bool now) {
  if (dedicatedWriter_) return now ? writeNow(what, work) : write(what, work);
  return runPooled(what, work, false);
}

sdk::Status Database::writeReserved(const std::string& what, const Work& work) {
  if (dedicatedWriter_) return writeNow(what, work);
  std::lock_guard lock(reservedMutex_);
  sdk::Status status;
  // A connection the server dropped (a restart) fails its next call: a fresh one tries again at
  // once rather than a lease period later.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!reserved_ || !reserved_->healthy()) reserved_ = factory_();
    } catch (const SqlError& e) {
      return sqlErrorStatus(what, e);
    } catch (const std::exception& e) {
      return sdk::Status::unavailable("storage unavailable during " + what + ": " + e.what());
    }
    status = run(what, *reserved_, work, true);
    if (status.isOk() || reserved_->healthy()) return status;
  }
  return status;
}

// Called with writerMutex_ held. A broken writer is replaced; the transaction it held is lost.
SqlConnection& Database::writer() {
  if (!writer_ || !writer_->healthy()) {
    if (openTransaction_) loseOpenTransaction();
    writer_ = factory_();
  }
  // An error (even in a read) may have ended the transaction the deferred writes were in.
  if (openTransaction_ && !writer_->inTransaction()) loseOpenTransaction();
  // A transaction nobody owns (its rollback failed) would make every BEGIN fail.
  if (!openTransaction_ && writer_->inTransaction()) {
    try {
      writer_->rollback();
    } catch (...) {
    }
    if (writer_->inTransaction()) writer_ = factory_();
  }
  return *writer_;
}

// Called with writerMutex_ held.
void Database::loseOpenTransaction() {
  openTransaction_ = false;
  lostTransactions_.fetch_add(1);
  try {
    if (writer_) writer_->rollback();
  } catch (...) {
    // The connection is broken; writer() reopens it.
  }
}

// Called with writerMutex_ held, inside the open transaction. The write's own failure is undone
// alone; a failure that takes the transaction with it returns false (the caller loses it).
bool Database::runInSavepoint(SqlConnection& c, const std::string& what, const Work& work,
                              sdk::Status& status) {
  try {
    c.execute("SAVEPOINT one_write", {});
  } catch (const SqlError& e) {
    status = sqlErrorStatus(what, e);
    return false;
  }
  bool lost = false;
  try {
    status = work(c);
  } catch (const SqlError& e) {
    lost = e.connectionLost();
    status = sqlErrorStatus(what, e);
  } catch (const std::exception& e) {
    status = sdk::Status::internal("storage error during " + what + ": " + e.what());
  } catch (...) {
    status = sdk::Status::internal("storage error during " + what);
    return false;
  }
  if (lost || !c.inTransaction()) return false;
  try {
    if (!status.isOk()) c.execute("ROLLBACK TO one_write", {});
    c.execute("RELEASE one_write", {});
  } catch (const SqlError& e) {
    status = sqlErrorStatus(what, e);
    return false;
  }
  return true;
}

// Called with writerMutex_ held.
void Database::beginIfNeeded(SqlConnection& c) {
  if (openTransaction_) return;
  c.begin();
  openTransaction_ = true;
}

sdk::Status Database::writeDeferred(const std::string& what, const Work& work) {
  std::lock_guard lock(writerMutex_);
  const std::uint64_t lostBefore = tDeferredIn == this ? tLostBefore : lostTransactions_.load();
  sdk::Status status;
  try {
    SqlConnection& c = writer();
    beginIfNeeded(c);
    if (!runInSavepoint(c, what, work, status)) loseOpenTransaction();
  } catch (const SqlError& e) {
    if (openTransaction_ && !writer_->inTransaction()) loseOpenTransaction();
    return sqlErrorStatus(what, e);
  }
  if (openTransaction_ && tDeferredIn != this) {
    tDeferredIn = this;
    tLostBefore = lostBefore;
  }
  return status;
}

// One transaction for every write waiting at this moment: SQLite's commit (a WAL append) costs
// more than most writes, and its single writer would otherwise serialise them commit by commit.
// Each write runs in a savepoint, so one that fails is undone alone and the others still commit.
// Deferred writes made since the last commit are committed with them.
sdk::Status Database::commitWriteGroup(const std::vector<const WriteRequest*>& group) {
  std::lock_guard lock(writerMutex_);
  const std::string& what = group.front()->what;
  try {
    SqlConnection& c = writer();
    if (group.size() == 1 && !openTransaction_) {
      group.front()->status = run(what, c, group.front()->work, true);
      return sdk::Status::ok();
    }
    beginIfNeeded(c);
    for (const WriteRequest* request : group) {
      if (!runInSavepoint(c, request->what, request->work, request->status)) {
        sdk::Status why = request->status;
        loseOpenTransaction();  // nothing of the group stays
        return why;
      }
    }
    c.commit();
    openTransaction_ = false;
  } catch (const SqlError& e) {
    if (openTransaction_) loseOpenTransaction();
    return sqlErrorStatus(what, e);
  } catch (...) {
    if (openTransaction_) loseOpenTransaction();
    return sdk::Status::internal("storage error during " + what);
  }
  return sdk::Status::ok();
}

sdk::Status Database::read(const std::string& what, const Work& work) {
  if (dedicatedWriter_ && tDeferredCommit > 0) {
    // Sees this thread's (and every) deferred write, which readers see only once committed.
    std::lock_guard lock(writerMutex_);
    try {
      return run(what, writer(), work, false);
    } catch (const SqlError& e) {
      return sqlErrorStatus(what, e);
    }
  }
  return runPooled(what, work, false);
}

sdk::Status Database::runPooled(const std::string& what, const Work& work, bool tx) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = acquire();
  } catch (const SqlError& e) {
    return sqlErrorStatus(what, e);
  }
  sdk::Status status = run(what, *conn, work, tx);
  release(std::move(conn));
  return status;
}

}  // namespace chathost::host
