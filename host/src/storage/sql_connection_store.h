#pragma once
// sdk::ConnectionStore on any SQL backend; secrets encrypted with SecretCipher at rest.

#include <chathost/sdk/connection_store.h>

#include "storage/sql_connection.h"

namespace chathost::host {

class Database;
class SecretCipher;

/// Each secret is stored as its own ciphertext in the `secrets` JSON object, bound to its row
/// by the aad "connection:<agentId>:<channel>:<secretName>".
class SqlConnectionStore : public sdk::ConnectionStore {
 public:
  SqlConnectionStore(Database& db, const SecretCipher& cipher) : db_(db), cipher_(cipher) {}
  sdk::Result<sdk::ConnectOutcome> connect(const sdk::Connection& connection) override;
  sdk::Result<std::optional<sdk::Connection>> get(const std::string& subaccountId,
                                                  const std::string& agentId,
                                                  const std::string& channel) override;
  sdk::Result<std::optional<sdk::Connection>> findByAccount(const std::string& channel,
                                                            const std::string& accountId) override;
  sdk::Status setActive(const std::string& subaccountId, const std::string& agentId,
                        const std::string& channel, bool active,
                        const std::string& reason) override;
  sdk::Status disconnect(const std::string& subaccountId, const std::string& agentId,
                         const std::string& channel) override;

 private:
  sdk::Result<std::optional<sdk::Connection>> readOne(const std::string& where,
                                                      const SqlParams& params);
  Database& db_;
  const SecretCipher& cipher_;
};

/// The aad that binds one encrypted secret to its connection row.
std::string connectionSecretAad(const std::string& agentId, const std::string& channel,
                                const std::string& secretName);

}  // namespace chathost::host
