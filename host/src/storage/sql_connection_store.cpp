#include "storage/sql_connection_store.h"

#include "secrets/secret_cipher.h"
#include "storage/database.h"
#include "storage/json_object.h"
#include "storage/time_and_ids.h"

namespace chathost::host {

namespace {

constexpr const char* kColumns =
    "subaccount_id, agent_id, channel, account_id, page_id, username, account_type, connected,"
    " active, inactive_reason, secrets, settings, connected_at, updated_at, token_expires_at,"
    " credentials_checked_at FROM connections";

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
  c.tokenExpiresAt = r.integer(14);
  c.credentialsCheckedAt = r.integer(15);
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
  auto secretsJson = sealSecrets(conn, conn.secrets);
  if (!secretsJson) return secretsJson.status();
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
        " updated_at, token_expires_at, credentials_checked_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, '', ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (subaccount_id, agent_id, channel) DO UPDATE SET"
        " account_id = excluded.account_id, page_id = excluded.page_id,"
        " username = excluded.username, account_type = excluded.account_type, connected = 1,"
        " active = 1, inactive_reason = '', secrets = excluded.secrets,"
        " settings = excluded.settings, connected_at = excluded.connected_at,"
        " updated_at = excluded.updated_at, token_expires_at = excluded.token_expires_at,"
        " credentials_checked_at = excluded.credentials_checked_at",
        {conn.agentId, conn.channel, conn.subaccountId, conn.accountId, conn.pageId, conn.username,
         conn.accountType, *secretsJson, conn.settingsJson.empty() ? "{}" : conn.settingsJson,
         connectedAt, now, conn.tokenExpiresAt, now});
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

sdk::Result<std::string> SqlConnectionStore::sealSecrets(
    const sdk::Connection& conn, const std::map<std::string, std::string>& secrets) const {
  std::map<std::string, std::string> sealed;
  for (const auto& [name, plain] : secrets) {
    auto c = cipher_.encrypt(
        plain, connectionSecretAad(conn.subaccountId, conn.agentId, conn.channel, name));
    if (!c) return sdk::Status::internal("cannot encrypt connection secret '" + name + "'");
    sealed[name] = std::move(c.value());
  }
  return encodeStringMap(sealed);
}

sdk::Status SqlConnectionStore::openSecrets(sdk::Connection& conn,
                                            const std::string& secretsJson) const {
  auto sealed = decodeStringMap(secretsJson);
  if (!sealed) {
    return sdk::Status::internal("connection secrets of agent '" + conn.agentId +
                                 "' are unreadable: " + sealed.status().message());
  }
  for (const auto& [name, ciphertext] : *sealed) {
    auto plain = cipher_.decrypt(
        ciphertext, connectionSecretAad(conn.subaccountId, conn.agentId, conn.channel, name));
    if (!plain) {
      // Loud: a wrong key must not look like a missing connection. No fallback to the legacy
      // aad here: it lacks the subaccount, so it would open another tenant's copied ciphertext.
      return sdk::Status::internal("connection secret '" + name + "' of agent '" + conn.agentId +
                                   "' in subaccount '" + conn.subaccountId +
                                   "' cannot be decrypted: wrong secrets key or tampered data");
    }
    conn.secrets[name] = std::move(plain.value());
  }
  return sdk::Status::ok();
}

sdk::Result<std::vector<sdk::Connection>> SqlConnectionStore::readAll(const std::string& where,
                                                                      const SqlParams& params,
                                                                      bool skipUnreadable) {
  std::vector<sdk::Connection> out;
  std::vector<std::string> secretsJson;
  sdk::Status s = db_.read("read connection", [&](SqlConnection& c) {
    for (const auto& row : c.query(std::string("SELECT ") + kColumns + " WHERE " + where, params)) {
      out.push_back(toConnection(row));
      secretsJson.push_back(row.text(10));
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  std::vector<sdk::Connection> readable;
  for (std::size_t i = 0; i < out.size(); ++i) {
    sdk::Connection& conn = out[i];
    sdk::Status opened = openSecrets(conn, secretsJson[i]);
    if (opened.isOk()) {
      readable.push_back(std::move(conn));
    } else if (!skipUnreadable) {
      return opened;
    }
  }
  return readable;
}

sdk::Result<std::optional<sdk::Connection>> SqlConnectionStore::readOne(const std::string& where,
                                                                        const SqlParams& params) {
  auto all = readAll(where, params);
  if (!all) return all.status();
  if (all->empty()) return std::optional<sdk::Connection>{};
  return std::optional<sdk::Connection>{std::move(all->front())};
}

sdk::Result<std::vector<sdk::Connection>> SqlConnectionStore::listActive(
    const std::string& channel) {
  return readAll("channel = ? AND connected = 1 AND active = 1", {channel},
                 /*skipUnreadable=*/true);
}

sdk::Result<bool> SqlConnectionStore::recordCredentialCheck(
    const sdk::Connection& checked,
    const std::optional<std::map<std::string, std::string>>& secrets, std::int64_t tokenExpiresAt,
    std::int64_t checkedAt) {
  std::string secretsJson;
  if (secrets) {
    auto sealed = sealSecrets(checked, *secrets);
    if (!sealed) return sealed.status();
    secretsJson = std::move(*sealed);
  }
  bool changed = false;
  // Unchanged since read: the same account, still connected, not updated by a reconnect.
  const std::string where =
      " WHERE subaccount_id = ? AND agent_id = ? AND channel = ? AND account_id = ?"
      " AND connected = 1 AND updated_at = ?";
  sdk::Status s = db_.write("record credential check", [&](SqlConnection& c) {
    std::int64_t n = 0;
    if (secrets) {
      n = c.execute(
          "UPDATE connections SET secrets = ?, token_expires_at = ?,"
          " credentials_checked_at = ?, updated_at = ?" +
              where,
          {secretsJson, tokenExpiresAt, checkedAt, checkedAt, checked.subaccountId, checked.agentId,
           checked.channel, checked.accountId, checked.updatedAt});
    } else {
      n = c.execute("UPDATE connections SET credentials_checked_at = ?" + where,
                    {checkedAt, checked.subaccountId, checked.agentId, checked.channel,
                     checked.accountId, checked.updatedAt});
    }
    changed = n > 0;
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return changed;
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

sdk::Result<bool> SqlConnectionStore::pageUsedByAnother(const std::string& pageId,
                                                        const std::string& subaccountId,
                                                        const std::string& agentId,
                                                        const std::string& channel) {
  if (pageId.empty()) return false;
  bool used = false;
  // No index on page_id: this runs once per disconnect, over the connections table only.
  sdk::Status s = db_.read("find a connection of the page", [&](SqlConnection& c) {
    used = !c.query(
                 "SELECT 1 FROM connections WHERE page_id = ? AND connected = 1"
                 " AND NOT (subaccount_id = ? AND agent_id = ? AND channel = ?) LIMIT 1",
                 {pageId, subaccountId, agentId, channel})
                .empty();
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return used;
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
