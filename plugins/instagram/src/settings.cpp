#include "settings.h"

namespace chathost::instagram {

namespace {
constexpr std::int64_t kMaxTokenSeconds = 90 * 86400;  // 7776000: longer than any Meta token

std::vector<sdk::ConfigKey> buildKeys() {
  std::vector<sdk::ConfigKey> keys = meta::graphSettingsKeys("instagram");
  keys.front().description =
      "Graph API host: graph.facebook.com (Facebook login) or graph.instagram.com (Instagram "
      "login)";
  for (auto& key : keys)
    if (key.name == "app_id")
      key.description =
          "Meta app id: with app_secret, enables connecting accounts through Instagram Login and "
          "checking Page tokens; picks this app among a Page's subscribed apps";
  const std::vector<sdk::ConfigKey> own{
      {"api_flavor", "string", "facebook",
       "'facebook' or 'instagram' login; inferred from graph_base_url when absent"},
      {"instagram_graph_base_url", "url", "https://graph.instagram.com",
       "Graph API host of tokens obtained through Instagram Login (token exchange, refresh and "
       "every call of those connections)"},
      {"oauth_authorize_url", "url", "https://www.instagram.com/oauth/authorize",
       "Instagram Login consent page"},
      {"oauth_token_url", "url", "https://api.instagram.com/oauth/access_token",
       "Instagram Login endpoint exchanging an authorization code for a token"},
      {"token_refresh_min_age_seconds", "int", "86400",
       "an Instagram Login token is refreshed only once it is at least this old (0..7776000)"},
      {"token_refresh_before_seconds", "int", "2592000",
       "refresh an Instagram Login token when it expires within this (0..7776000)"},
      {"page_subscribed_fields", "string", kSubscribedFields,
       "the fields a Page is subscribed to at connect (Facebook Login): comma-separated names"},
  };
  keys.insert(keys.end(), own.begin(), own.end());
  return keys;
}
}  // namespace

const std::vector<sdk::ConfigKey>& settingsKeys() {
  static const std::vector<sdk::ConfigKey> keys = buildKeys();
  return keys;
}

std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out) {
  meta::ConfigReader reader(config, "instagram");
  if (!reader.isMap()) return reader.issues();
  reader.rejectUnknown(settingsKeys());
  meta::readGraphSettings(reader, out);

  reader.url("instagram_graph_base_url", out.instagramGraphBaseUrl);
  reader.url("oauth_authorize_url", out.oauthAuthorizeUrl);
  reader.url("oauth_token_url", out.oauthTokenUrl);
  reader.integer("token_refresh_min_age_seconds", out.tokenRefreshMinAgeSeconds, 0,
                 kMaxTokenSeconds);
  reader.integer("token_refresh_before_seconds", out.tokenRefreshBeforeSeconds, 0,
                 kMaxTokenSeconds);
  reader.fieldList("page_subscribed_fields", out.pageSubscribedFields);

  std::string flavor;
  reader.string("api_flavor", flavor);
  if (flavor.empty())
    out.apiFlavor = out.graphBaseUrl.find("graph.instagram.com") != std::string::npos
                        ? ApiFlavor::kInstagram
                        : ApiFlavor::kFacebook;
  else if (flavor == "facebook")
    out.apiFlavor = ApiFlavor::kFacebook;
  else if (flavor == "instagram")
    out.apiFlavor = ApiFlavor::kInstagram;
  else
    reader.issue("api_flavor", "api_flavor must be 'facebook' or 'instagram'");
  return reader.issues();
}

}  // namespace chathost::instagram
