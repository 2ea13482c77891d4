#pragma once
// The plugin's `config:` section, read and validated.

#include <chathost/meta/graph_settings.h>

#include <chathost/sdk/channel.h>
#include <chathost/sdk/config_view.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::instagram {

/// The channel's name for people, in errors and the dashboard.
inline constexpr const char* kDisplayName = "Instagram";

/// Which Graph host and token kind the plugin talks to (see docs/instagram.md).
enum class ApiFlavor { kFacebook, kInstagram };

/// The webhook fields every connected account is subscribed to (SPEC section 6).
inline constexpr const char* kSubscribedFields =
    "messages,messaging_postbacks,messaging_seen,messaging_referral,message_reactions";

/// Validated settings: the keys of every Meta channel, then Instagram's own. Value type.
struct Settings : meta::GraphSettings {
  ApiFlavor apiFlavor = ApiFlavor::kFacebook;

  // Instagram Login (OAuth) and token upkeep; `appId`, `hasAppCredentials()` and the Page token
  // check interval are common.
  /// The Graph host of tokens obtained through Instagram Login, whatever `apiFlavor` is.
  std::string instagramGraphBaseUrl = "https://graph.instagram.com";
  std::string oauthAuthorizeUrl = "https://www.instagram.com/oauth/authorize";
  std::string oauthTokenUrl = "https://api.instagram.com/oauth/access_token";
  std::int64_t tokenRefreshMinAgeSeconds = 86400;    // Meta refuses to refresh younger tokens
  std::int64_t tokenRefreshBeforeSeconds = 2592000;  // refresh when expiring within this
  /// A Page's subscribed_apps fields (Facebook Login): Meta checks them against the Page's own
  /// field names, which an operator may need instead of the Instagram ones.
  std::string pageSubscribedFields = kSubscribedFields;
};

/// Reads `config` into `out` (defaults for absent keys) and returns every problem found: unknown
/// keys, wrong types, out-of-range values. When api_flavor is absent it is inferred from the base
/// URL (graph.instagram.com means the Instagram-login flavour).
std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out);

/// Every key readSettings() accepts, with its type, default and meaning (for docs and the
/// dashboard).
const std::vector<sdk::ConfigKey>& settingsKeys();

}  // namespace chathost::instagram
