#include "storage/migrations.h"

#include "storage/database.h"
#include "storage/sql_dialect.h"
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
       },
       {},
       {}},
      // Claims walk due events in id order and stop after a batch: O(batch), not O(backlog).
      // The (status, available_at) index made planners sort the whole backlog on every claim.
      {2,
       {
           "CREATE INDEX inbox_status_id ON inbox (status, id)",
           "DROP INDEX inbox_status_available",
       },
       {},
       {}},
      // Agent ids are unique per subaccount, not globally: agents, connections and chats are
      // keyed by (subaccount_id, agent id). Rows that lack their subaccount get it from their
      // agent first, while agent ids are still unique.
      {3,
       {
           "UPDATE connections SET subaccount_id = (SELECT a.subaccount_id FROM agents a"
           " WHERE a.id = connections.agent_id) WHERE subaccount_id = ''"
           " AND EXISTS (SELECT 1 FROM agents a WHERE a.id = connections.agent_id)",
           "UPDATE chats SET subaccount_id = (SELECT a.subaccount_id FROM agents a"
           " WHERE a.id = chats.agent_id) WHERE subaccount_id = ''"
           " AND EXISTS (SELECT 1 FROM agents a WHERE a.id = chats.agent_id)",
           "UPDATE inbox SET subaccount_id = (SELECT a.subaccount_id FROM agents a"
           " WHERE a.id = inbox.agent_id) WHERE subaccount_id = ''"
           " AND EXISTS (SELECT 1 FROM agents a WHERE a.id = inbox.agent_id)",
       },
       // SQLite cannot change a key in place: each table is rebuilt and renamed. messages is
       // rebuilt with chats, so dropping the old chats cascades into nothing.
       {
           "CREATE TABLE agents_v3 ("
           " id TEXT NOT NULL,"
           " subaccount_id TEXT NOT NULL,"
           " name TEXT NOT NULL DEFAULT '',"
           " type TEXT NOT NULL DEFAULT '',"
           " config TEXT NOT NULL DEFAULT '{}',"
           " created_at BIGINT NOT NULL DEFAULT 0,"
           " updated_at BIGINT NOT NULL DEFAULT 0,"
           " PRIMARY KEY (subaccount_id, id))",
           "INSERT INTO agents_v3 (id, subaccount_id, name, type, config, created_at, updated_at)"
           " SELECT id, subaccount_id, name, type, config, created_at, updated_at FROM agents",
           "DROP TABLE agents",
           "ALTER TABLE agents_v3 RENAME TO agents",
           "CREATE INDEX agents_subaccount_created ON agents (subaccount_id, created_at)",

           "CREATE TABLE connections_v3 ("
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
           " PRIMARY KEY (subaccount_id, agent_id, channel))",
           "INSERT INTO connections_v3 SELECT agent_id, channel, subaccount_id, account_id,"
           " page_id, username, account_type, connected, active, inactive_reason, secrets,"
           " settings, connected_at, updated_at FROM connections",
           "DROP TABLE connections",
           "ALTER TABLE connections_v3 RENAME TO connections",
           "CREATE UNIQUE INDEX connections_connected_account ON connections (channel, account_id)"
           " WHERE connected = 1",

           "CREATE TABLE chats_v3 ("
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
           " UNIQUE (subaccount_id, agent_id, channel, channel_user_id))",
           "INSERT INTO chats_v3 SELECT chat_id, subaccount_id, agent_id, channel, channel_user_id,"
           " status, start_ts, last_activity, message_count, user_name, user_username FROM chats",
           "CREATE TABLE messages_v3 ("
           " local_id TEXT PRIMARY KEY,"
           " chat_id TEXT NOT NULL REFERENCES chats_v3 (chat_id) ON DELETE CASCADE,"
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
           "INSERT INTO messages_v3 SELECT local_id, chat_id, channel, mid, direction, text,"
           " attachments, meta, ts, seq, sender_id, status, error FROM messages",
           "DROP TABLE messages",
           "DROP TABLE chats",
           // Also points messages_v3's foreign key at the renamed table.
           "ALTER TABLE chats_v3 RENAME TO chats",
           "ALTER TABLE messages_v3 RENAME TO messages",
           "CREATE INDEX chats_agent_activity ON chats"
           " (subaccount_id, agent_id, channel, last_activity DESC)",
           "CREATE UNIQUE INDEX messages_channel_mid ON messages (channel, mid) WHERE mid <> ''",
           "CREATE INDEX messages_chat_ts ON messages (chat_id, ts, seq)",
       },
       // PostgreSQL swaps the keys in place (constraint names as PostgreSQL gave them).
       {
           "ALTER TABLE agents DROP CONSTRAINT agents_pkey,"
           " ADD CONSTRAINT agents_pkey PRIMARY KEY (subaccount_id, id)",
           "ALTER TABLE connections DROP CONSTRAINT connections_pkey,"
           " ADD CONSTRAINT connections_pkey PRIMARY KEY (subaccount_id, agent_id, channel)",
           "ALTER TABLE chats DROP CONSTRAINT chats_agent_id_channel_channel_user_id_key,"
           " ADD CONSTRAINT chats_agent_user_key"
           " UNIQUE (subaccount_id, agent_id, channel, channel_user_id)",
           "DROP INDEX chats_agent_activity",
           "CREATE INDEX chats_agent_activity ON chats"
           " (subaccount_id, agent_id, channel, last_activity DESC)",
       }},
      // The outbox: one row per reply part to send, the same queue shape as the inbox, claimed by
      // due time. Pacing dates a busy account's replies into the future; the (status,
      // available_at, id) index keeps claims from visiting them before they are due.
      {4,
       {
           "CREATE TABLE outbox ("
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
           "CREATE INDEX outbox_status_due ON outbox (status, available_at, id)",
           "CREATE INDEX outbox_ordering ON outbox (ordering_key, event_ts, id)",
           "CREATE INDEX outbox_agent ON outbox (agent_id)",
       },
       {},
       {}},
      // The retention purge finds the oldest finished rows without reading the others.
      {5,
       {
           "CREATE INDEX inbox_finished ON inbox (finished_at)"
           " WHERE status IN ('done', 'failed')",
           "CREATE INDEX outbox_finished ON outbox (finished_at)"
           " WHERE status IN ('done', 'failed')",
       },
       {},
       {}},
      // The inbox is claimed by due time too: in id order, a claim walked every pending event
      // not due yet (retries scheduled for later) before the due ones.
      {6, {"CREATE INDEX inbox_status_due ON inbox (status, available_at, id)"}, {}, {}},
      // An echo reconciles only reply parts whose row a sender took up (found by the part's id).
      {7, {"CREATE INDEX outbox_dedup ON outbox (dedup_key)"}, {}, {}},
      // Token lifetimes (refreshed before they expire) and each chat's last inbound message (the
      // platform's reply windows count from it).
      {8,
       {
           "ALTER TABLE connections ADD COLUMN token_expires_at BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE connections ADD COLUMN credentials_checked_at BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE chats ADD COLUMN last_inbound_at BIGINT NOT NULL DEFAULT 0",
           // Existing connections count their age from when they connected, not from 1970: a
           // token younger than a day is not refreshed (Meta refuses it).
           "UPDATE connections SET credentials_checked_at = connected_at",
           "UPDATE chats SET last_inbound_at = COALESCE((SELECT MAX(ts) FROM messages m"
           " WHERE m.chat_id = chats.chat_id AND m.direction = 'inbound'), 0)",
           // No new index: a thread page reads one chat's rows through messages_chat_ts, and
           // building one over every message would block writes during the upgrade.
       },
       {},
       {}},
  };
  return kMigrations;
}

std::vector<std::string> migrationStatements(const Migration& m, const SqlDialect& dialect) {
  std::vector<std::string> out;
  const auto& own =
      dialect.backend == SqlBackend::kSqlite ? m.sqliteStatements : m.postgresStatements;
  out.reserve(m.statements.size() + own.size());
  for (const std::string& ddl : m.statements) out.push_back(expandDdl(ddl, dialect));
  for (const std::string& ddl : own) out.push_back(expandDdl(ddl, dialect));
  return out;
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
          for (const std::string& ddl : migrationStatements(m, db.dialect())) c.execute(ddl);
          c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    {std::int64_t{m.version}, nowMs()});
          return sdk::Status::ok();
        });
    if (!s.isOk()) return s;
  }
  return sdk::Status::ok();
}

}  // namespace chathost::host
