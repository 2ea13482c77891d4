#include "storage/migrations.h"

#include "storage/database.h"
#include "storage/time_and_ids.h"

namespace chathost::host {

const std::vector<Migration>& schemaMigrations() {
  // Timestamps are ms since the epoch; booleans are 0/1; JSON is text. No NULLs: every column has
  // a default so both backends read the same values.
  static const std::vector<Migration> kMigrations = {
      {1,
       {
           "CREATE TABLE agents ("
           " id TEXT PRIMARY KEY,"
           " subaccount_id TEXT NOT NULL,"
           " name TEXT NOT NULL DEFAULT '',"
           " type TEXT NOT NULL DEFAULT '',"
           " config TEXT NOT NULL DEFAULT '{}',"
           " created_at BIGINT NOT NULL DEFAULT 0,"
           " updated_at BIGINT NOT NULL DEFAULT 0)",
           "CREATE INDEX agents_subaccount_created ON agents (subaccount_id, created_at)",

           "CREATE TABLE connections ("
           " agent_id TEXT NOT NULL,"
           " channel TEXT NOT NULL,"
           " subaccount_id TEXT NOT NULL DEFAULT '',"
           " account_id TEXT NOT NULL DEFAULT '',"
           " page_id TEXT NOT NULL DEFAULT '',"
           " username TEXT NOT NULL DEFAULT '',"
           " account_type TEXT NOT NULL DEFAULT '',"
           " connected BIGINT NOT NULL DEFAULT 0,"
           " active BIGINT NOT NULL DEFAULT 0,"
           " inactive_reason TEXT NOT NULL DEFAULT '',"
           " secrets TEXT NOT NULL DEFAULT '{}',"
           " settings TEXT NOT NULL DEFAULT '{}',"
           " connected_at BIGINT NOT NULL DEFAULT 0,"
           " updated_at BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (agent_id, channel))",
           "CREATE UNIQUE INDEX connections_connected_account ON connections (channel, account_id)"
           " WHERE connected = 1",

           "CREATE TABLE chats ("
           " chat_id TEXT PRIMARY KEY,"
           " subaccount_id TEXT NOT NULL DEFAULT '',"
           " agent_id TEXT NOT NULL,"
           " channel TEXT NOT NULL,"
           " channel_user_id TEXT NOT NULL,"
           " status TEXT NOT NULL DEFAULT 'ongoing',"
           " start_ts BIGINT NOT NULL DEFAULT 0,"
           " last_activity BIGINT NOT NULL DEFAULT 0,"
           " message_count BIGINT NOT NULL DEFAULT 0,"
           " user_name TEXT NOT NULL DEFAULT '',"
           " user_username TEXT NOT NULL DEFAULT '',"
           " UNIQUE (agent_id, channel, channel_user_id))",
           "CREATE INDEX chats_agent_activity ON chats (agent_id, channel, last_activity DESC)",

           // seq orders messages of one chat that share a timestamp (insertion order).
           "CREATE TABLE messages ("
           " local_id TEXT PRIMARY KEY,"
           " chat_id TEXT NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,"
           " channel TEXT NOT NULL DEFAULT '',"
           " mid TEXT NOT NULL DEFAULT '',"
           " direction TEXT NOT NULL DEFAULT '',"
           " text TEXT NOT NULL DEFAULT '',"
           " attachments TEXT NOT NULL DEFAULT '[]',"
           " meta TEXT NOT NULL DEFAULT '{}',"
           " ts BIGINT NOT NULL DEFAULT 0,"
           " seq BIGINT NOT NULL DEFAULT 0,"
           " sender_id TEXT NOT NULL DEFAULT '',"
           " status TEXT NOT NULL DEFAULT 'received',"
           " error TEXT NOT NULL DEFAULT '')",
           "CREATE UNIQUE INDEX messages_channel_mid ON messages (channel, mid) WHERE mid <> ''",
           "CREATE INDEX messages_chat_ts ON messages (chat_id, ts, seq)",

           "CREATE TABLE inbox ("
           " id {ID},"
           " channel TEXT NOT NULL DEFAULT '',"
           " subaccount_id TEXT NOT NULL DEFAULT '',"
           " agent_id TEXT NOT NULL DEFAULT '',"
           " ordering_key TEXT NOT NULL DEFAULT '',"
           " dedup_key TEXT NOT NULL DEFAULT '',"
           " kind TEXT NOT NULL DEFAULT '',"
           " event_ts BIGINT NOT NULL DEFAULT 0,"
           " payload TEXT NOT NULL DEFAULT '',"
           " status TEXT NOT NULL DEFAULT 'pending',"
           " attempts BIGINT NOT NULL DEFAULT 0,"
           " available_at BIGINT NOT NULL DEFAULT 0,"
           " claimed_by TEXT NOT NULL DEFAULT '',"
           " lease_until BIGINT NOT NULL DEFAULT 0,"
           " reason TEXT NOT NULL DEFAULT '',"
           " received_at BIGINT NOT NULL DEFAULT 0,"
           " finished_at BIGINT NOT NULL DEFAULT 0)",
           "CREATE INDEX inbox_status_available ON inbox (status, available_at)",
           "CREATE INDEX inbox_ordering ON inbox (ordering_key, event_ts, id)",
           "CREATE INDEX inbox_agent ON inbox (agent_id)",
       }},
      // Claims walk due events in id order and stop after a batch: O(batch), not O(backlog).
      // The (status, available_at) index made planners sort the whole backlog on every claim.
      {2,
       {
           "CREATE INDEX inbox_status_id ON inbox (status, id)",
           "DROP INDEX inbox_status_available",
       }},
  };
  return kMigrations;
}

sdk::Status runMigrations(Database& db) {
  for (const Migration& m : schemaMigrations()) {
    sdk::Status s =
        db.write("schema migration " + std::to_string(m.version), [&](SqlConnection& c) {
          if (!db.dialect().migrationLock.empty()) c.query(db.dialect().migrationLock);
          c.execute(
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
          if (!c.query("SELECT version FROM schema_migrations WHERE version = ?",
                       {std::int64_t{m.version}})
                   .empty()) {
            return sdk::Status::ok();
          }
          for (const std::string& ddl : m.statements) c.execute(expandDdl(ddl, db.dialect()));
          c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    {std::int64_t{m.version}, nowMs()});
          return sdk::Status::ok();
        });
    if (!s.isOk()) return s;
  }
  return sdk::Status::ok();
}

}  // namespace chathost::host
