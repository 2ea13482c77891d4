#include "storage/sql_connection_store.h"

#include "secrets/secret_cipher.h"
#include "storage/database.h"
#include "storage/json_object.h"
#include "storage/time_and_ids.h"

namespace chathost::host {

namespace {

constexpr const char* kColumns =
    "subaccount_id, agent_id, channel, account_id, page_id, username, account_type, connected,"
    " active, inactive_reason, secrets, settings, connected_at, updated_at FROM connections";

const char* const kAccountInUse =
    "This Instagram account is connected to another agent; disconnect it there first.";

sdk::Connection toConnection(const SqlRow& r) {
  sdk::Connection c;
  c.subaccountId = r.text(0);
  c.agentId = r.text(1);
  c.channel = r.text(2);
  c.accountId = r.text(3);
  c.pageId = r.text(4);
  c.username = r.text(5);
  c.accountType = r.text(6);
  c.connected = r.integer(7) != 0;
  c.active = r.integer(8) != 0;
  c.inactiveReason = r.text(9);
  c.settingsJson = r.text(11);
  c.connectedAt = r.integer(12);
  c.updatedAt = r.integer(13);
  return c;
}

bool accountHeldByOther(SqlConnection& c, const sdk::Connection& conn) {
  return !c.query(
               "SELECT agent_id FROM connections WHERE channel = ? AND account_id = ?"
               " AND connected = 1 AND (agent_id <> ? OR subaccount_id <> ?)",
               {conn.channel, conn.accountId, conn.agentId, conn.subaccountId})
              .empty();
}

// One field of an aad: '%' and ':' percent-encoded, so the separators stay unambiguous.
std::string aadField(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '%') {
      out += "%25";
    } else if (c == ':') {
      out += "%3A";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string connectionSecretAad(const std::string& subaccountId, const std::string& agentId,
                                const std::string& channel, const std::string& secretName) {
  return "tenant-connection:" + aadField(subaccountId) + ":" + aadField(agentId) + ":" +
         aadField(channel) + ":" + aadField(secretName);
}

std::string legacyConnectionSecretAad(const std::string& agentId, const std::string& channel,
                                      const std::string& secretName) {
  return "connection:" + agentId + ":" + channel + ":" + secretName;
}

sdk::Result<host::ConnectOutcome> SqlConnectionStore::connect(const sdk::Connection& conn) {
  if (conn.subaccountId.empty() || conn.agentId.empty() || conn.channel.empty() ||
      conn.accountId.empty()) {
    return sdk::Status::validation(
        "a connection needs a subaccount id, an agent id, a channel and an account id");
  }
  std::map<std::string, std::string> sealed;
  for (const auto& [name, plain] : conn.secrets) {
    auto c = cipher_.encrypt(
        plain, connectionSecretAad(conn.subaccountId, conn.agentId, conn.channel, name));
    if (!c) return sdk::Status::internal("cannot encrypt connection secret '" + name + "'");
    sealed[name] = std::move(c.value());
  }
  const std::string secretsJson = encodeStringMap(sealed);
  host::ConnectOutcome outcome;
  sdk::Status s = db_.write("connect", [&](SqlConnection& c) {
    if (accountHeldByOther(c, conn))
      return sdk::Status(sdk::ErrorCode::kAccountInUse, kAccountInUse);
    auto prev = c.query(
        "SELECT connected, account_id, connected_at FROM connections"
        " WHERE subaccount_id = ? AND agent_id = ? AND channel = ?",
        {conn.subaccountId, conn.agentId, conn.channel});
    outcome.alreadyConnected =
        !prev.empty() && prev[0].integer(0) != 0 && prev[0].text(1) == conn.accountId;
    const std::int64_t now = nowMs();
    const std::int64_t connectedAt = outcome.alreadyConnected ? prev[0].integer(2) : now;
    c.execute(
        "INSERT INTO connections (agent_id, channel, subaccount_id, account_id, page_id, username,"
        " account_type, connected, active, inactive_reason, secrets, settings, connected_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, '', ?, ?, ?, ?)"
        " ON CONFLICT (subaccount_id, agent_id, channel) DO UPDATE SET"
        " account_id = excluded.account_id, page_id = excluded.page_id,"
        " username = excluded.username, account_type = excluded.account_type, connected = 1,"
        " active = 1, inactive_reason = '', secrets = excluded.secrets,"
        " settings = excluded.settings, connected_at = excluded.connected_at,"
        " updated_at = excluded.updated_at",
        {conn.agentId, conn.channel, conn.subaccountId, conn.accountId, conn.pageId, conn.username,
         conn.accountType, secretsJson, conn.settingsJson.empty() ? "{}" : conn.settingsJson,
         connectedAt, now});
    return sdk::Status::ok();
  });
  if (s.isOk()) return outcome;
  if (s.code() == sdk::ErrorCode::kInternal) {
    // Another host may have connected the account between our check and insert: the unique
    // index refused it. Report it as the domain error it is.
    bool inUse = false;
    db_.read("connect", [&](SqlConnection& c) {
      inUse = accountHeldByOther(c, conn);
      return sdk::Status::ok();
    });
    if (inUse) return sdk::Status(sdk::ErrorCode::kAccountInUse, kAccountInUse);
  }
  return s;
}

sdk::Result<std::optional<sdk::Connection>> SqlConnectionStore::readOne(const std::string& where,
                                                                        const SqlParams& params) {
  std::optional<sdk::Connection> out;
  std::string secretsJson;
  sdk::Status s = db_.read("read connection", [&](SqlConnection& c) {
    auto rows = c.query(std::string("SELECT ") + kColumns + " WHERE " + where, params);
    if (!rows.empty()) {
      out = toConnection(rows.front());
      secretsJson = rows.front().text(10);
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  if (!out) return out;
  auto sealed = decodeStringMap(secretsJson);
  if (!sealed) {
    return sdk::Status::internal("connection secrets of agent '" + out->agentId +
                                 "' are unreadable: " + sealed.status().message());
  }
  for (const auto& [name, ciphertext] : *sealed) {
    auto plain = cipher_.decrypt(
        ciphertext, connectionSecretAad(out->subaccountId, out->agentId, out->channel, name));
    if (!plain) {
      // Loud: a wrong key must not look like a missing connection. No fallback to the legacy
      // aad here: it lacks the subaccount, so it would open another tenant's copied ciphertext.
      return sdk::Status::internal("connection secret '" + name + "' of agent '" + out->agentId +
                                   "' in subaccount '" + out->subaccountId +
                                   "' cannot be decrypted: wrong secrets key or tampered data");
    }
    out->secrets[name] = std::move(plain.value());
  }
  return out;
}

sdk::Result<std::optional<sdk::Connection>> SqlConnectionStore::get(const std::string& subaccountId,
                                                                    const std::string& agentId,
                                                                    const std::string& channel) {
  return readOne("subaccount_id = ? AND agent_id = ? AND channel = ?",
                 {subaccountId, agentId, channel});
}

sdk::Result<std::optional<sdk::Connection>> SqlConnectionStore::findByAccount(
    const std::string& channel, const std::string& accountId) {
  return readOne("channel = ? AND account_id = ? AND connected = 1", {channel, accountId});
}

sdk::Status SqlConnectionStore::setActive(const std::string& subaccountId,
                                          const std::string& agentId, const std::string& channel,
                                          bool active, const std::string& reason) {
  return db_.write("set connection active", [&](SqlConnection& c) {
    auto n = c.execute(
        "UPDATE connections SET active = ?, inactive_reason = ?, updated_at = ?"
        " WHERE subaccount_id = ? AND agent_id = ? AND channel = ?",
        {std::int64_t{active ? 1 : 0}, active ? std::string() : reason, nowMs(), subaccountId,
         agentId, channel});
    return n > 0 ? sdk::Status::ok()
                 : sdk::Status(sdk::ErrorCode::kNotConnected,
                               "agent '" + agentId + "' has no " + channel + " connection");
  });
}

sdk::Status SqlConnectionStore::disconnect(const std::string& subaccountId,
                                           const std::string& agentId, const std::string& channel) {
  return db_.write("disconnect", [&](SqlConnection& c) {
    auto n = c.execute(
        "UPDATE connections SET connected = 0, active = 0, secrets = '{}', updated_at = ?"
        " WHERE subaccount_id = ? AND agent_id = ? AND channel = ?",
        {nowMs(), subaccountId, agentId, channel});
    return n > 0 ? sdk::Status::ok()
                 : sdk::Status(sdk::ErrorCode::kNotConnected,
                               "agent '" + agentId + "' has no " + channel + " connection");
  });
}

}  // namespace chathost::host
