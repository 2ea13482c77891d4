#pragma once
// An in-memory InboxStore with the claim semantics of the real ones (leases, due times, one
// unfinished event per ordering key), plus switches that let tests provoke the dispatcher.

#include "storage/storage.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>

namespace chathost::testing {

class FakeInboxStore : public host::InboxStore {
 public:
  enum class State { kPending, kClaimed, kDone, kFailed };
  struct Row {
    host::InboxEvent event;
    State state = State::kPending;
    std::int64_t dueAt = 0;
    std::int64_t leaseUntil = 0;
    std::string owner;
    std::vector<std::string> retryReasons;
    std::string failReason;
  };

  /// Hand out every due event, ignoring ordering keys (as if leases had expired): exercises the
  /// dispatcher's own per-key ordering.
  bool ignoreOrdering = false;
  /// Treat retry delays as 0 so retry tests need no waiting.
  bool ignoreDelays = false;
  /// What deferredWritesLost() answers; a test raises it to simulate a lost transaction.
  std::atomic<std::uint64_t> lostWrites{0};

  std::uint64_t deferredWritesLost() override { return lostWrites.load(); }

  static std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  sdk::Status append(const std::vector<host::NewInboxEvent>& events) override {
    std::lock_guard lock(mutex_);
    for (const auto& e : events) {
      Row row;
      row.event.id = ++nextId_;
      row.event.event = e;
      row.event.receivedAt = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      rows_[row.event.id] = row;
    }
    return sdk::Status::ok();
  }

  /// Runs at the start of every claim(), outside the store's lock: a test can make claims block
  /// as on a database whose connections are all in use.
  std::function<void()> beforeClaim;

  sdk::Result<std::vector<host::InboxEvent>> claim(const std::string& owner, int max,
                                                   std::int64_t leaseMs) override {
    if (beforeClaim) beforeClaim();
    std::lock_guard lock(mutex_);
    ++claimCalls_;
    std::int64_t now = nowMs();
    std::vector<Row*> order;
    for (auto& [id, row] : rows_) order.push_back(&row);
    std::sort(order.begin(), order.end(), [](const Row* a, const Row* b) {
      if (a->event.event.eventTimestamp != b->event.event.eventTimestamp) {
        return a->event.event.eventTimestamp < b->event.event.eventTimestamp;
      }
      return a->event.id < b->event.id;
    });
    std::map<std::string, bool> blocked;  // key -> an earlier event is unfinished
    std::vector<host::InboxEvent> out;
    for (Row* row : order) {
      const auto& key = row->event.event.orderingKey;
      bool unfinished = row->state == State::kPending || row->state == State::kClaimed;
      bool due = (row->state == State::kPending && row->dueAt <= now) ||
                 (row->state == State::kClaimed && row->leaseUntil <= now);
      bool keyFree = ignoreOrdering || key.empty() || !blocked[key];
      if (unfinished && !key.empty()) {
        bool wasBlocked = blocked[key];
        blocked[key] = true;
        if (!ignoreOrdering && wasBlocked) continue;
      }
      if (!due || !keyFree || static_cast<int>(out.size()) >= max) continue;
      row->state = State::kClaimed;
      row->owner = owner;
      row->leaseUntil = now + leaseMs;
      ++row->event.attempts;
      out.push_back(row->event);
    }
    return out;
  }

  sdk::Status markDone(const std::string& owner, std::int64_t id) override {
    return finish(owner, id, State::kDone, {});
  }
  sdk::Status extendLeases(const std::string& owner, const std::vector<std::int64_t>& ids,
                           std::int64_t leaseMs) override {
    std::lock_guard lock(mutex_);
    for (std::int64_t id : ids) {
      auto it = rows_.find(id);
      if (it == rows_.end() || it->second.state != State::kClaimed || it->second.owner != owner)
        continue;
      it->second.leaseUntil = nowMs() + leaseMs;
      ++renewals_;
    }
    return sdk::Status::ok();
  }
  int renewals() {
    std::lock_guard lock(mutex_);
    return renewals_;
  }
  sdk::Status markFailed(const std::string& owner, std::int64_t id,
                         const std::string& reason) override {
    return finish(owner, id, State::kFailed, reason);
  }
  sdk::Status markRetry(const std::string& owner, std::int64_t id, std::int64_t delayMs,
                        const std::string& reason) override {
    std::lock_guard lock(mutex_);
    auto& row = rows_.at(id);
    if (row.state != State::kClaimed || row.owner != owner)
      return sdk::Status(sdk::ErrorCode::kConflict, "not ours");
    row.state = State::kPending;
    row.dueAt = nowMs() + (ignoreDelays ? 0 : delayMs);
    row.retryReasons.push_back(reason);
    return sdk::Status::ok();
  }
  /// As the SQL stores: the attempt is taken back unless it was the first.
  sdk::Status markRetryUncounted(const std::string& owner, std::int64_t id, std::int64_t delayMs,
                                 const std::string& reason) override {
    {
      std::lock_guard lock(mutex_);
      auto& row = rows_.at(id);
      if (row.state == State::kClaimed && row.owner == owner && row.event.attempts > 1)
        --row.event.attempts;
    }
    return markRetry(owner, id, delayMs, reason);
  }
  sdk::Result<std::int64_t> pendingCount() override {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(std::count_if(rows_.begin(), rows_.end(), [](auto& r) {
      return r.second.state == State::kPending || r.second.state == State::kClaimed;
    }));
  }

  /// Finished rows old enough to purge: each purgeFinished() takes up to its limit of them.
  void setPurgeable(std::int64_t n) {
    std::lock_guard lock(mutex_);
    purgeable_ = n;
  }
  sdk::Result<std::int64_t> purgeFinished(std::int64_t olderThanMs, int limit) override {
    std::lock_guard lock(mutex_);
    purgeCalls_.push_back({olderThanMs, limit});
    const std::int64_t n = std::min<std::int64_t>(purgeable_, limit);
    purgeable_ -= n;
    return n;
  }
  /// (olderThanMs, limit) of every purgeFinished() call.
  std::vector<std::pair<std::int64_t, int>> purgeCalls() {
    std::lock_guard lock(mutex_);
    return purgeCalls_;
  }

  Row row(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return rows_.at(id);
  }
  std::vector<Row> rows() {
    std::lock_guard lock(mutex_);
    std::vector<Row> out;
    for (auto& [id, row] : rows_) out.push_back(row);
    return out;
  }
  int count(State state) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(rows_.begin(), rows_.end(),
                                          [&](auto& r) { return r.second.state == state; }));
  }
  int claimCalls() {
    std::lock_guard lock(mutex_);
    return claimCalls_;
  }
  int finishCalls(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return finishCalls_[id];
  }

 private:
  sdk::Status finish(const std::string& owner, std::int64_t id, State state,
                     const std::string& reason) {
    std::lock_guard lock(mutex_);
    auto& row = rows_.at(id);
    if (row.state != State::kClaimed || row.owner != owner)
      return sdk::Status(sdk::ErrorCode::kConflict, "not ours");
    row.state = state;
    row.failReason = reason;
    ++finishCalls_[id];
    return sdk::Status::ok();
  }

  std::mutex mutex_;
  std::map<std::int64_t, Row> rows_;
  std::map<std::int64_t, int> finishCalls_;
  std::int64_t purgeable_ = 0;
  std::vector<std::pair<std::int64_t, int>> purgeCalls_;
  std::int64_t nextId_ = 0;
  int renewals_ = 0;
  int claimCalls_ = 0;
};

}  // namespace chathost::testing
