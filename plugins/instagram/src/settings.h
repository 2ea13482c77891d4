#pragma once
// The plugin's `config:` section, read and validated.

#include <chathost/sdk/channel.h>
#include <chathost/sdk/config_view.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::instagram {

/// Which Graph host and token kind the plugin talks to (see docs/instagram.md).
enum class ApiFlavor { kFacebook, kInstagram };

/// Validated settings. Value type.
struct Settings {
  std::string graphBaseUrl = "https://graph.facebook.com";
  std::string graphApiVersion = "v21.0";
  std::string appSecret;
  std::string verifyToken;
  bool requireSignature = true;
  ApiFlavor apiFlavor = ApiFlavor::kFacebook;
  std::int64_t replyRetrySeconds = 600;
  double sendRatePerSecond = 100;
  bool profileFetch = true;
  int graphTimeoutMs = 10000;  // each Graph API call, connect/send included
};

/// Reads `config` into `out` (defaults for absent keys) and returns every problem found: unknown
/// keys, wrong types, out-of-range values. When api_flavor is absent it is inferred from the base
/// URL (graph.instagram.com means the Instagram-login flavour).
std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out);

/// Every key readSettings() accepts, with its type, default and meaning (for docs and the
/// dashboard).
const std::vector<sdk::ConfigKey>& settingsKeys();

}  // namespace chathost::instagram
