#include "storage/database.h"

#include <chrono>

namespace chathost::host {

namespace {
constexpr auto kAcquireTimeout = std::chrono::seconds(30);
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
  if (!dedicatedWriter_) {
    std::unique_ptr<SqlConnection> conn;
    try {
      conn = acquire();
    } catch (const SqlError& e) {
      return sqlErrorStatus(what, e);
    }
    sdk::Status status = run(what, *conn, work, true);
    release(std::move(conn));
    return status;
  }
  WriteRequest request{what, work, {}};
  sdk::Status group = writes_.submit(request);
  return group.isOk() ? request.status : group;
}

// One transaction for every write waiting at this moment: SQLite's commit (a WAL append) costs
// more than most writes, and its single writer would otherwise serialise them commit by commit.
// Each write runs in a savepoint, so one that fails is undone alone and the others still commit.
sdk::Status Database::commitWriteGroup(const std::vector<const WriteRequest*>& group) {
  try {
    if (!writer_ || !writer_->healthy()) writer_ = factory_();
  } catch (const SqlError& e) {
    return sqlErrorStatus(group.front()->what, e);
  }
  SqlConnection& c = *writer_;
  if (group.size() == 1) {
    group.front()->status = run(group.front()->what, c, group.front()->work, true);
    return sdk::Status::ok();
  }
  auto abandon = [&](sdk::Status why) {
    try {
      c.rollback();
    } catch (...) {
      // The connection is broken; it is reopened for the next group.
    }
    return why;
  };
  try {
    c.begin();
  } catch (const SqlError& e) {
    return sqlErrorStatus(group.front()->what, e);
  }
  for (const WriteRequest* request : group) {
    try {
      c.execute("SAVEPOINT one_write", {});
    } catch (const SqlError& e) {
      return abandon(sqlErrorStatus(request->what, e));
    }
    sdk::Status status;
    try {
      status = request->work(c);
    } catch (const SqlError& e) {
      if (e.connectionLost()) return abandon(sqlErrorStatus(request->what, e));
      status = sqlErrorStatus(request->what, e);
    } catch (const std::exception& e) {
      status = sdk::Status::internal("storage error during " + request->what + ": " + e.what());
    }
    try {
      if (!status.isOk()) c.execute("ROLLBACK TO one_write", {});
      c.execute("RELEASE one_write", {});
    } catch (const SqlError& e) {
      // The statement's failure took the whole transaction with it: nothing of the group stays.
      return abandon(sqlErrorStatus(request->what, e));
    }
    request->status = std::move(status);
  }
  try {
    c.commit();
  } catch (const SqlError& e) {
    return abandon(sqlErrorStatus(group.front()->what, e));
  }
  return sdk::Status::ok();
}

sdk::Status Database::read(const std::string& what, const Work& work) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = acquire();
  } catch (const SqlError& e) {
    return sqlErrorStatus(what, e);
  }
  sdk::Status status = run(what, *conn, work, false);
  release(std::move(conn));
  return status;
}

}  // namespace chathost::host
