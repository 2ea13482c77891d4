#pragma once
// A channel connection: which external account an agent is connected to, with its credentials.
// The host stores it; a channel gets it with every call that acts for the account.

#include <cstdint>
#include <map>
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
  std::int64_t tokenExpiresAt = 0;             // ms; 0 = does not expire, or unknown
  std::int64_t credentialsCheckedAt = 0;       // ms; last refresh or check by the channel
};

}  // namespace chathost::sdk
