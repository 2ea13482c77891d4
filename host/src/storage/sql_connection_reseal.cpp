// resealLegacyConnectionSecrets: the start-up migration of connection secrets sealed before
// their aad named the subaccount.
#include <optional>
#include <utility>
#include <vector>

#include "secrets/secret_cipher.h"
#include "storage/database.h"
#include "storage/json_object.h"
#include "storage/sql_connection_store.h"

namespace chathost::host {

namespace {

struct StoredSecrets {
  std::string subaccountId;
  std::string agentId;
  std::string channel;
  std::string secretsJson;
};

// The row's secrets column with every legacy-sealed secret re-sealed; nullopt when nothing
// needs it (all current, or unreadable: left for the read path to report).
sdk::Result<std::optional<std::string>> resealed(const StoredSecrets& row,
                                                 const SecretCipher& cipher) {
  auto sealed = decodeStringMap(row.secretsJson);
  if (!sealed) return std::optional<std::string>{};
  bool changed = false;
  for (auto& [name, ciphertext] : *sealed) {
    const std::string aad = connectionSecretAad(row.subaccountId, row.agentId, row.channel, name);
    if (cipher.decrypt(ciphertext, aad)) continue;
    auto plain =
        cipher.decrypt(ciphertext, legacyConnectionSecretAad(row.agentId, row.channel, name));
    if (!plain) continue;
    auto again = cipher.encrypt(*plain, aad);
    if (!again) {
      return sdk::Status::internal("cannot re-seal connection secret '" + name + "' of agent '" +
                                   row.agentId + "' in subaccount '" + row.subaccountId + "'");
    }
    ciphertext = std::move(again.value());
    changed = true;
  }
  if (!changed) return std::optional<std::string>{};
  return std::optional<std::string>{encodeStringMap(*sealed)};
}

}  // namespace

sdk::Result<std::int64_t> resealLegacyConnectionSecrets(Database& db, const SecretCipher& cipher) {
  std::vector<StoredSecrets> stored;
  sdk::Status s = db.read("read connection secrets", [&](SqlConnection& c) {
    for (const auto& r : c.query("SELECT subaccount_id, agent_id, channel, secrets FROM connections"
                                 " WHERE secrets <> '{}'")) {
      stored.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;

  std::vector<std::pair<const StoredSecrets*, std::string>> changes;
  for (const auto& row : stored) {
    auto next = resealed(row, cipher);
    if (!next) return next.status();
    if (*next) changes.emplace_back(&row, std::move(**next));
  }
  if (changes.empty()) return std::int64_t{0};

  std::int64_t rewritten = 0;
  s = db.write("re-seal connection secrets", [&](SqlConnection& c) {
    rewritten = 0;
    for (const auto& [row, secrets] : changes) {
      // Compare-and-set: a connect or disconnect in between (or another host migrating the same
      // database) wins; what it wrote is sealed with the current aad already.
      rewritten += c.execute(
          "UPDATE connections SET secrets = ?"
          " WHERE subaccount_id = ? AND agent_id = ? AND channel = ? AND secrets = ?",
          {secrets, row->subaccountId, row->agentId, row->channel, row->secretsJson});
    }
    return sdk::Status::ok();
  });
  if (!s.isOk()) return s;
  return rewritten;
}

}  // namespace chathost::host
