#include "storage/sql_inbox_store.h"

#include "storage/database.h"
#include "storage/time_and_ids.h"

#include <algorithm>
#include <map>

namespace chathost::host {

namespace {

constexpr const char* kEventColumns =
    "id, channel, subaccount_id, agent_id, ordering_key, dedup_key, kind, event_ts, payload,"
    " attempts, received_at FROM {T}";

host::InboxEvent toEvent(const SqlRow& r) {
  host::InboxEvent e;
  e.id = r.integer(0);
  e.event.channel = r.text(1);
  e.event.subaccountId = r.text(2);
  e.event.agentId = r.text(3);
  e.event.orderingKey = r.text(4);
  e.event.dedupKey = r.text(5);
  e.event.kind = r.text(6);
  e.event.eventTimestamp = r.integer(7);
  e.event.payload = r.text(8);
  e.attempts = static_cast<int>(r.integer(9));
  e.receivedAt = r.integer(10);
  return e;
}

// No unfinished earlier event (by event_ts, then id) of the same ordering key: events of one key
// are processed one at a time and in order.
constexpr const char* kNotBlocked =
    " AND NOT EXISTS (SELECT 1 FROM {T} e WHERE e.ordering_key = i.ordering_key"
    "     AND e.status IN ('pending', 'claimed')"
    "     AND (e.event_ts < i.event_ts OR (e.event_ts = i.event_ts AND e.id < i.id)))";

// Due pending events by due time, then id: the (status, available_at, id) index walks only rows
// that are due, in claim order, and the scan stops after `max` claimable ones. Rows not due yet
// (retries scheduled for later, the paced replies of a busy account) are never visited, however
// many wait.
const std::string kClaimablePending =
    std::string("SELECT i.id FROM {T} i WHERE i.status = 'pending' AND i.available_at <= ?") +
    kNotBlocked + " ORDER BY i.available_at, i.id LIMIT ?";
// Claims whose lease ran out (a worker or host died).
const std::string kClaimableExpired = std::string("SELECT i.id FROM {T} i") +
                                      " WHERE i.status = 'claimed' AND i.lease_until <= ?" +
                                      kNotBlocked + " ORDER BY i.id LIMIT ?";

// " WHERE id IN (?, ...)" for `ids`, appended to `params`. The list is padded (repeating the
// last id) to a power of two, so a handful of statement texts serve every batch size and stay in
// the prepared-statement cache.
std::string whereIdIn(const std::vector<std::int64_t>& ids, SqlParams& params) {
  std::size_t n = 1;
  while (n < ids.size()) n *= 2;
  std::string sql = " WHERE id IN (";
  for (std::size_t i = 0; i < n; ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(ids[std::min(i, ids.size() - 1)]);
  }
  return sql + ")";
}

// `ids` in slices of at most kSlice: bounded statements, and few distinct statement texts.
constexpr std::size_t kSlice = 256;
std::vector<std::vector<std::int64_t>> slices(const std::vector<std::int64_t>& ids) {
  std::vector<std::vector<std::int64_t>> out;
  for (std::size_t from = 0; from < ids.size(); from += kSlice) {
    out.emplace_back(
        ids.begin() + static_cast<std::ptrdiff_t>(from),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kSlice)));
  }
  return out;
}

}  // namespace

QueueTable QueueTable::inbox() {
  return {"inbox"};
}

QueueTable QueueTable::outbox() {
  return {"outbox"};
}

SqlInboxStore::SqlInboxStore(Database& db, QueueTable table)
    : db_(db),
      table_(std::move(table)),
      claimablePending_(sql(kClaimablePending)),
      claimableExpired_(sql(kClaimableExpired)),
      committer_([this](const std::vector<const Batch*>& b) { return commitGroup(b); }) {}

std::string SqlInboxStore::sql(const std::string& text) const {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "{T}") == 0) {
      out += table_.name;
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

sdk::Status SqlInboxStore::append(const std::vector<host::NewInboxEvent>& events) {
  if (events.empty()) return sdk::Status::ok();
  return committer_.submit(Batch{events, {}, 0, 0, {}});
}

sdk::Status SqlInboxStore::appendWithCallersWrites(const std::vector<host::NewInboxEvent>& events) {
  if (events.empty()) return sdk::Status::ok();
  const auto insert = [&](SqlConnection& c) {
    const std::int64_t now = nowMs();
    for (const auto& e : events) {
      c.execute(sql("INSERT INTO {T} (channel, subaccount_id, agent_id, ordering_key, dedup_key,"
                    " kind, event_ts, payload, status, attempts, available_at, received_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)"),
                {e.channel, e.subaccountId, e.agentId, e.orderingKey, e.dedupKey, e.kind,
                 e.eventTimestamp, e.payload, std::max(now, e.notBefore), now});
    }
    return sdk::Status::ok();
  };
  const std::string what = "append " + table_.name + " rows";
  return events.size() == 1 ? db_.writeStatement(what, insert) : db_.write(what, insert);
}

bool SqlInboxStore::joinsCallersWrites() const {
  return db_.sharesWriter();
}

sdk::Result<std::vector<host::InboxEvent>> SqlInboxStore::appendAndClaim(
    const std::vector<host::NewInboxEvent>& events, const std::string& owner, std::int64_t leaseMs,
    int maxClaim) {
  if (events.empty()) return std::vector<host::InboxEvent>{};
  // Only with SQLite's single writer: on PostgreSQL, hosts appending at the same time do not see
  // each other's uncommitted rows, and two could claim events of one conversation at once.
  if (db_.dialect().backend != SqlBackend::kSqlite) maxClaim = 0;
  Batch batch{events, owner, leaseMs, leaseMs > 0 ? maxClaim : 0, {}};
  if (auto s = committer_.submit(batch); !s.isOk()) return s;
  return std::move(batch.claimed);
}

sdk::Status SqlInboxStore::commitGroup(const std::vector<const Batch*>& batches) {
  // Per ordering key, only the earliest event of this commit may be claimed at once: a later one
  // inserted first would otherwise run before it.
  std::map<std::string, std::pair<std::int64_t, const host::NewInboxEvent*>> earliest;
  for (const Batch* batch : batches) {
    for (const auto& e : batch->events) {
      auto [it, added] = earliest.try_emplace(e.orderingKey, e.eventTimestamp, &e);
      if (!added && e.eventTimestamp < it->second.first) it->second = {e.eventTimestamp, &e};
    }
  }
  return db_.writeNow("append inbox events", [&](SqlConnection& c) {
    const std::int64_t now = nowMs();
    for (const Batch* batch : batches) {
      batch->claimed.clear();  // a retried commit starts over
      for (const auto& e : batch->events) {
        // Claimed at once when the key has nothing unfinished (the rule claim() applies), in the
        // same statement; the casts type the parameters for PostgreSQL.
        auto first = earliest.find(e.orderingKey);
        const std::int64_t availableAt = std::max(now, e.notBefore);
        const std::int64_t mayClaim = static_cast<int>(batch->claimed.size()) < batch->maxClaim &&
                                      first != earliest.end() && first->second.second == &e &&
                                      availableAt <= now;
        auto rows = c.query(
            sql("INSERT INTO {T} (channel, subaccount_id, agent_id, ordering_key, dedup_key, kind,"
                " event_ts, payload, status, attempts, available_at, received_at, claimed_by,"
                " lease_until)"
                " SELECT ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), ?, d.status,"
                "  CASE WHEN d.status = 'claimed' THEN 1 ELSE 0 END, CAST(? AS BIGINT),"
                "  CAST(? AS BIGINT), CASE WHEN d.status = 'claimed' THEN ? ELSE '' END,"
                "  CASE WHEN d.status = 'claimed' THEN CAST(? AS BIGINT) ELSE 0 END"
                " FROM (SELECT CASE WHEN CAST(? AS BIGINT) = 1 AND NOT EXISTS (SELECT 1 FROM {T} e"
                "   WHERE e.ordering_key = ? AND e.status IN ('pending', 'claimed'))"
                "   THEN 'claimed' ELSE 'pending' END AS status) d"
                " RETURNING id, status"),
            {e.channel, e.subaccountId, e.agentId, e.orderingKey, e.dedupKey, e.kind,
             e.eventTimestamp, e.payload, availableAt, now, batch->owner, now + batch->leaseMs,
             mayClaim, e.orderingKey});
        if (rows.at(0).text(1) != "claimed") continue;
        host::InboxEvent out;
        out.id = rows.at(0).integer(0);
        out.event = e;
        out.attempts = 1;
        out.receivedAt = now;
        batch->claimed.push_back(std::move(out));
      }
    }
    return sdk::Status::ok();
  });
}

sdk::Result<std::vector<host::InboxEvent>> SqlInboxStore::claim(const std::string& owner, int max,
                                                                std::int64_t leaseMs) {
  if (max <= 0) return std::vector<host::InboxEvent>{};
  if (leaseMs <= 0) return sdk::Status::validation("the lease must be positive");
  std::vector<host::InboxEvent> out;
  sdk::Status s = db_.writeNow("claim inbox events", [&](SqlConnection& c) {
    const std::int64_t now = nowMs();
    auto ids = c.query(claimableExpired_ + db_.dialect().lockSkipLocked, {now, std::int64_t{max}});
    if (static_cast<int>(ids.size()) < max) {
      auto pending = c.query(claimablePending_ + db_.dialect().lockSkipLocked,
                             {now, std::int64_t{max} - static_cast<std::int64_t>(ids.size())});
      ids.insert(ids.end(), pending.begin(), pending.end());
    }
    if (ids.empty()) return sdk::Status::ok();
    std::vector<std::int64_t> idList;
    for (const auto& r : ids) idList.push_back(r.integer(0));
    SqlParams params{owner, now + leaseMs};
    const std::string in = whereIdIn(idList, params);
    c.execute(sql("UPDATE {T} SET status = 'claimed', claimed_by = ?, lease_until = ?,"
                  " attempts = attempts + 1") +
                  in,
              params);
    SqlParams idParams;
    for (const auto& r : c.query(sql(std::string("SELECT ") + kEventColumns) +
                                     whereIdIn(idList, idParams) + " ORDER BY id",
                                 idParams)) {
      out.push_back(toEvent(r));
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return out;
}

sdk::Status SqlInboxStore::finish(const std::string& what, std::int64_t id, const std::string& sql,
                                  const SqlParams& params) {
  return db_.writeStatement(
      what,
      [&](SqlConnection& c) {
        // Nothing changed: the row is no longer claimed by this owner (its lease ran out and
        // another worker took it, or it was finished). The one who holds it now decides.
        return c.execute(sql, params) > 0
                   ? sdk::Status::ok()
                   : sdk::Status(sdk::ErrorCode::kConflict,
                                 table_.name + " row " + std::to_string(id) + " is no longer ours");
      },
      true);
}

sdk::Status SqlInboxStore::markDone(const std::string& owner, std::int64_t id) {
  return finish("mark inbox event done", id,
                sql("UPDATE {T} SET status = 'done', finished_at = ?, lease_until = 0"
                    " WHERE id = ? AND status = 'claimed' AND claimed_by = ?"),
                {nowMs(), id, owner});
}

sdk::Status SqlInboxStore::extendLeases(const std::string& owner,
                                        const std::vector<std::int64_t>& ids,
                                        std::int64_t leaseMs) {
  if (ids.empty()) return sdk::Status::ok();
  return db_.writeReserved("extend " + table_.name + " leases", [&](SqlConnection& c) {
    const std::int64_t until = nowMs() + leaseMs;
    for (const auto& chunk : slices(ids)) {
      SqlParams params{until};
      const std::string in = whereIdIn(chunk, params);
      params.emplace_back(owner);
      c.execute(
          sql("UPDATE {T} SET lease_until = ?") + in + " AND status = 'claimed' AND claimed_by = ?",
          params);
    }
    return sdk::Status::ok();
  });
}

sdk::Result<std::int64_t> SqlInboxStore::releaseClaimsOf(const std::string& ownerPrefix) {
  if (ownerPrefix.empty()) return sdk::Status::validation("an owner prefix is required");
  std::int64_t n = 0;
  sdk::Status s = db_.writeNow("release claims", [&](SqlConnection& c) {
    n = c.execute(sql("UPDATE {T} SET status = 'pending', claimed_by = '', lease_until = 0,"
                      " available_at = ? WHERE status = 'claimed'"
                      " AND substr(claimed_by, 1, CAST(? AS INTEGER)) = ?"),
                  {nowMs(), static_cast<std::int64_t>(ownerPrefix.size()), ownerPrefix});
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return n;
}

std::uint64_t SqlInboxStore::deferredWritesLost() {
  return db_.lostTransactions();
}

sdk::Status SqlInboxStore::markAllDone(const std::string& owner,
                                       const std::vector<std::int64_t>& ids,
                                       std::uint64_t lostBefore) {
  const auto markDone = [&](SqlConnection& c) {
    // Checked inside the transaction that commits the events' deferred writes: a loss after
    // this point takes the done marks with it.
    if (db_.lostTransactions() != lostBefore)
      return sdk::Status::unavailable("writes of these events were lost before their commit");
    const std::int64_t now = nowMs();
    for (const auto& chunk : slices(ids)) {
      SqlParams params{now};
      const std::string in = whereIdIn(chunk, params);
      params.emplace_back(owner);
      c.execute(sql("UPDATE {T} SET status = 'done', finished_at = ?, lease_until = 0") + in +
                    " AND status = 'claimed' AND claimed_by = ?",
                params);
    }
    return sdk::Status::ok();
  };
  const std::string what = "mark " + table_.name + " rows done";
  return ids.size() <= kSlice ? db_.writeStatement(what, markDone, true)
                              : db_.writeNow(what, markDone);
}

sdk::Status SqlInboxStore::markRetry(const std::string& owner, std::int64_t id,
                                     std::int64_t delayMs, const std::string& reason) {
  return finish("mark inbox event for retry", id,
                sql("UPDATE {T} SET status = 'pending', available_at = ?, lease_until = 0,"
                    " claimed_by = '', reason = ? WHERE id = ? AND status = 'claimed'"
                    " AND claimed_by = ?"),
                {nowMs() + (delayMs > 0 ? delayMs : 0), reason, id, owner});
}

sdk::Status SqlInboxStore::markRetryUncounted(const std::string& owner, std::int64_t id,
                                              std::int64_t delayMs, const std::string& reason) {
  return finish("mark inbox event for retry", id,
                sql("UPDATE {T} SET status = 'pending', available_at = ?, lease_until = 0,"
                    " claimed_by = '', reason = ?,"
                    " attempts = CASE WHEN attempts > 1 THEN attempts - 1 ELSE attempts END"
                    " WHERE id = ? AND status = 'claimed' AND claimed_by = ?"),
                {nowMs() + (delayMs > 0 ? delayMs : 0), reason, id, owner});
}

sdk::Status SqlInboxStore::markFailed(const std::string& owner, std::int64_t id,
                                      const std::string& reason) {
  return finish("mark inbox event failed", id,
                sql("UPDATE {T} SET status = 'failed', finished_at = ?, lease_until = 0,"
                    " reason = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?"),
                {nowMs(), reason, id, owner});
}

sdk::Result<std::int64_t> SqlInboxStore::pendingCount() {
  std::int64_t n = 0;
  sdk::Status s = db_.read("count inbox events", [&](SqlConnection& c) {
    n = c.query(sql("SELECT COUNT(*) FROM {T} WHERE status IN ('pending', 'claimed')"))[0].integer(
        0);
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return n;
}

sdk::Result<bool> SqlInboxStore::wasTakenUp(const std::string& dedupKey) {
  bool taken = false;
  sdk::Status s = db_.read("look up a " + table_.name + " row", [&](SqlConnection& c) {
    taken =
        !c.query(sql("SELECT 1 FROM {T} WHERE dedup_key = ? AND attempts > 0 LIMIT 1"), {dedupKey})
             .empty();
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return taken;
}

sdk::Result<std::int64_t> SqlInboxStore::purgeFinished(std::int64_t olderThanMs, int limit) {
  std::int64_t n = 0;
  sdk::Status s = db_.writeNow("purge finished " + table_.name + " rows", [&](SqlConnection& c) {
    n = c.execute(sql("DELETE FROM {T} WHERE id IN (SELECT id FROM {T}"
                      " WHERE status IN ('done', 'failed') AND finished_at <= ?"
                      " ORDER BY finished_at LIMIT ?)"),
                  {nowMs() - olderThanMs, std::int64_t{limit}});
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return n;
}

sdk::Status SqlInboxStore::confirmClaim(std::int64_t id, const std::string& owner, int attempts,
                                        std::int64_t leaseMs) {
  const auto lost = [&] {
    return sdk::Status(sdk::ErrorCode::kConflict,
                       table_.name + " row " + std::to_string(id) + " is no longer ours");
  };
  if (db_.dialect().backend == SqlBackend::kSqlite) {
    // One process owns a SQLite database (the instance lock), and its claimer commits every
    // claim and takeover before a worker gets the row: reading the committed claim is the whole
    // check, and the claimer renews the lease. No commit on the send path.
    bool ours = false;
    sdk::Status s = db_.read("check a claim", [&](SqlConnection& c) {
      ours = !c.query(sql("SELECT 1 FROM {T} WHERE id = ? AND status = 'claimed'"
                          " AND claimed_by = ? AND attempts = ?"),
                      {id, owner, std::int64_t{attempts}})
                  .empty();
      return sdk::Status::ok();
    });
    if (!s) return s;
    return ours ? sdk::Status::ok() : lost();
  }
  return db_.writeStatement(
      "confirm a claim",
      [&](SqlConnection& c) {
        const std::int64_t n =
            c.execute(sql("UPDATE {T} SET lease_until = ? WHERE id = ? AND status = 'claimed'"
                          " AND claimed_by = ? AND attempts = ?"),
                      {nowMs() + leaseMs, id, owner, std::int64_t{attempts}});
        return n == 1 ? sdk::Status::ok() : lost();
      },
      true);
}

}  // namespace chathost::host
