#pragma once
// The host's store of channel connections (implemented by storage/sql_connection_store).

#include <chathost/sdk/connection.h>
#include <chathost/sdk/status.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

/// Result of storing a connection. Value type.
struct ConnectOutcome {
  bool alreadyConnected = false;  // this agent was already connected to the same account
};

/// The host's connection store. Owned by the host; valid until stop() returns. Thread-safe;
/// calls block on storage. Reads are cheap enough for the webhook path (the host caches them).
/// Agent ids are unique only within a subaccount, so an agent is always named by both.
class ConnectionStore {
 public:
  virtual ~ConnectionStore() = default;
  /// Stores `connection` as connected and active. kAccountInUse when another agent (of any
  /// subaccount) is connected
  /// to the same (channel, accountId).
  virtual sdk::Result<ConnectOutcome> connect(const sdk::Connection& connection) = 0;
  /// The agent's connection on `channel` (also a disconnected one, without secrets).
  virtual sdk::Result<std::optional<sdk::Connection>> get(const std::string& subaccountId,
                                                          const std::string& agentId,
                                                          const std::string& channel) = 0;
  /// The connected agent's connection for an external account.
  virtual sdk::Result<std::optional<sdk::Connection>> findByAccount(
      const std::string& channel, const std::string& accountId) = 0;
  /// True when a connected connection other than the agent's on `channel` (of any channel, agent
  /// or subaccount) has the page id `pageId`; false for an empty one. Channels of one platform
  /// may share a Page's webhook subscription (Messenger and Instagram on a Facebook Page).
  virtual sdk::Result<bool> pageUsedByAnother(const std::string& pageId,
                                              const std::string& subaccountId,
                                              const std::string& agentId,
                                              const std::string& channel) = 0;
  virtual sdk::Status setActive(const std::string& subaccountId, const std::string& agentId,
                                const std::string& channel, bool active,
                                const std::string& reason) = 0;
  /// Marks the connection disconnected and erases its secrets; history stays.
  virtual sdk::Status disconnect(const std::string& subaccountId, const std::string& agentId,
                                 const std::string& channel) = 0;
  /// Every connected and active connection of `channel`, secrets included (for the credential
  /// check). A connection whose secrets cannot be decrypted is left out: it fails on its own
  /// reads, and must not stop the others' checks.
  virtual sdk::Result<std::vector<sdk::Connection>> listActive(const std::string& channel) = 0;
  /// Records a credential check of `checked` (as read by listActive): its time, and with
  /// `secrets` new credentials and their expiry. Changes nothing when the connection was
  /// reconnected or disconnected since it was read (false then).
  virtual sdk::Result<bool> recordCredentialCheck(
      const sdk::Connection& checked,
      const std::optional<std::map<std::string, std::string>>& secrets, std::int64_t tokenExpiresAt,
      std::int64_t checkedAt) = 0;
};

}  // namespace chathost::host
