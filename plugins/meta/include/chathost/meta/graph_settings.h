#pragma once
// The `config:` keys every Meta channel has: where the Graph API is, the app secret and verify
// token of its webhooks, the limits the host applies to the channel's sends, and how often
// stored Page tokens are checked.

#include <chathost/meta/config_reader.h>
#include <chathost/meta/graph_api.h>

#include <chathost/sdk/channel.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::meta {

/// Validated common settings. Value type.
struct GraphSettings {
  std::string graphBaseUrl = "https://graph.facebook.com";
  std::string graphApiVersion = "v21.0";
  std::string appSecret;
  std::string appId;  // optional: this app among a Page's subscribed apps; debug_token checks
  std::string verifyToken;
  bool requireSignature = true;
  std::int64_t replyRetrySeconds = 600;
  double sendRatePerSecond = 100;
  bool profileFetch = true;
  int graphTimeoutMs = 10000;                      // each Graph API call, connect/send included
  std::int64_t tokenCheckIntervalSeconds = 86400;  // debug_token checks of Page tokens

  GraphApiOptions apiOptions() const { return {graphApiVersion, appSecret, graphTimeoutMs, appId}; }
  /// app_id and app_secret are both set: debug_token (and Instagram Login) can be used.
  bool hasAppCredentials() const { return !appId.empty() && !appSecret.empty(); }
};

/// The common keys in the order readGraphSettings() reads them, with their types, defaults and
/// meanings (for docs and the dashboard). `channel` is the channel's path name ("messenger"),
/// named in the channel-wide webhook URL.
std::vector<sdk::ConfigKey> graphSettingsKeys(const std::string& channel);

/// Reads the common keys into `out`, recording every problem in `reader`.
void readGraphSettings(ConfigReader& reader, GraphSettings& out);

}  // namespace chathost::meta
