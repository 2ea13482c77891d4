#pragma once
// Channel connections: which external account an agent is connected to, with its credentials.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace chathost::sdk {

/// An agent's connection to one channel account. `secrets` hold plaintext in memory only: the
/// host encrypts them at rest and never logs them. Value type.
struct Connection {
  std::string subaccountId;
  std::string agentId;
  std::string channel;    // "instagram"
  std::string accountId;  // the channel account's id (Instagram account id)
  std::string pageId;     // the Facebook Page id, when the channel has one
  std::string username;
  std::string accountType;  // "BUSINESS" | "MEDIA_CREATOR" | "UNKNOWN"
  bool connected = false;   // false after disconnect (history is kept)
  bool active = false;      // false when the channel rejected the token: the user must reconnect
  std::string inactiveReason;
  std::map<std::string, std::string> secrets;  // e.g. accessToken, verifyToken, webhookSecret
  std::string settingsJson = "{}";             // non-secret channel settings
  std::int64_t connectedAt = 0;                // ms
  std::int64_t updatedAt = 0;                  // ms
};

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
  virtual Result<ConnectOutcome> connect(const Connection& connection) = 0;
  /// The agent's connection on `channel` (also a disconnected one, without secrets).
  virtual Result<std::optional<Connection>> get(const std::string& subaccountId,
                                                const std::string& agentId,
                                                const std::string& channel) = 0;
  /// The connected agent's connection for an external account.
  virtual Result<std::optional<Connection>> findByAccount(const std::string& channel,
                                                          const std::string& accountId) = 0;
  virtual Status setActive(const std::string& subaccountId, const std::string& agentId,
                           const std::string& channel, bool active, const std::string& reason) = 0;
  /// Marks the connection disconnected and erases its secrets; history stays.
  virtual Status disconnect(const std::string& subaccountId, const std::string& agentId,
                            const std::string& channel) = 0;
};

}  // namespace chathost::sdk
