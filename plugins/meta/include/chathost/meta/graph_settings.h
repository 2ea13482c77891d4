#pragma once
// The `config:` keys every Meta channel has: where the Graph API is, the app secret and verify
// token of its webhooks, and the limits the host applies to the channel's sends.

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
  std::string appId;  // optional: finds this app among a Page's subscribed apps
  std::string verifyToken;
  bool requireSignature = true;
  std::int64_t replyRetrySeconds = 600;
  double sendRatePerSecond = 100;
  bool profileFetch = true;
  int graphTimeoutMs = 10000;  // each Graph API call, connect/send included

  GraphApiOptions apiOptions() const { return {graphApiVersion, appSecret, graphTimeoutMs, appId}; }
};

/// The common keys in the order readGraphSettings() reads them, with their types, defaults and
/// meanings (for docs and the dashboard). `channel` is the channel's path name ("messenger"),
/// named in the channel-wide webhook URL.
std::vector<sdk::ConfigKey> graphSettingsKeys(const std::string& channel);

/// Reads the common keys into `out`, recording every problem in `reader`.
void readGraphSettings(ConfigReader& reader, GraphSettings& out);

}  // namespace chathost::meta
