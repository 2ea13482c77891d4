#pragma once
// host::ConnectionStore on any SQL backend; secrets encrypted with SecretCipher at rest.

#include "storage/connection_store.h"

#include <cstdint>

#include "storage/sql_connection.h"

namespace chathost::host {

class Database;
class SecretCipher;

/// Each secret is stored as its own ciphertext in the `secrets` JSON object, bound to its row
/// by connectionSecretAad(): subaccount, agent id, channel and secret name. A ciphertext copied
/// into another row (another tenant's agent with the same id included) does not decrypt.
class SqlConnectionStore : public host::ConnectionStore {
 public:
  SqlConnectionStore(Database& db, const SecretCipher& cipher) : db_(db), cipher_(cipher) {}
  sdk::Result<host::ConnectOutcome> connect(const sdk::Connection& connection) override;
  sdk::Result<std::optional<sdk::Connection>> get(const std::string& subaccountId,
                                                  const std::string& agentId,
                                                  const std::string& channel) override;
  sdk::Result<std::optional<sdk::Connection>> findByAccount(const std::string& channel,
                                                            const std::string& accountId) override;
  sdk::Result<bool> pageUsedByAnother(const std::string& pageId, const std::string& subaccountId,
                                      const std::string& agentId,
                                      const std::string& channel) override;
  sdk::Status setActive(const std::string& subaccountId, const std::string& agentId,
                        const std::string& channel, bool active,
                        const std::string& reason) override;
  sdk::Status disconnect(const std::string& subaccountId, const std::string& agentId,
                         const std::string& channel) override;
  sdk::Result<std::vector<sdk::Connection>> listActive(const std::string& channel) override;
  sdk::Result<bool> recordCredentialCheck(
      const sdk::Connection& checked,
      const std::optional<std::map<std::string, std::string>>& secrets, std::int64_t tokenExpiresAt,
      std::int64_t checkedAt) override;

 private:
  sdk::Result<std::optional<sdk::Connection>> readOne(const std::string& where,
                                                      const SqlParams& params);
  // `skipUnreadable`: rows whose secrets do not decrypt are left out instead of failing all.
  sdk::Result<std::vector<sdk::Connection>> readAll(const std::string& where,
                                                    const SqlParams& params,
                                                    bool skipUnreadable = false);
  sdk::Status openSecrets(sdk::Connection& conn, const std::string& secretsJson) const;
  sdk::Result<std::string> sealSecrets(const sdk::Connection& conn,
                                       const std::map<std::string, std::string>& secrets) const;
  Database& db_;
  const SecretCipher& cipher_;
};

/// The aad that binds one encrypted secret to its connection row:
/// "tenant-connection:<subaccountId>:<agentId>:<channel>:<secretName>", each field with '%' and
/// ':' percent-encoded so that no two rows share an aad whatever their ids hold.
std::string connectionSecretAad(const std::string& subaccountId, const std::string& agentId,
                                const std::string& channel, const std::string& secretName);

/// The aad of secrets written before agent ids were unique per subaccount only:
/// "connection:<agentId>:<channel>:<secretName>". Never used to read a connection: only
/// resealLegacyConnectionSecrets() tries it, once, at start-up.
std::string legacyConnectionSecretAad(const std::string& agentId, const std::string& channel,
                                      const std::string& secretName);

/// Start-up migration: re-seals under connectionSecretAad() every connection secret that still
/// opens only with legacyConnectionSecretAad(). A secret that opens with neither (wrong key,
/// tampered data) is left as it is: reading that connection keeps failing loudly. Returns how
/// many rows changed (0 once done: safe at every start, and by several hosts sharing a database
/// at once, each row being updated only if unchanged since it was read).
sdk::Result<std::int64_t> resealLegacyConnectionSecrets(Database& db, const SecretCipher& cipher);

}  // namespace chathost::host
