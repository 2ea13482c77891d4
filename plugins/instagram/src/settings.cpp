#include "settings.h"

#include <algorithm>
#include <string_view>

namespace chathost::instagram {

namespace {
bool isKnownKey(const std::string& key) {
  const auto& known = settingsKeys();
  return std::any_of(known.begin(), known.end(),
                     [&](const sdk::ConfigKey& k) { return k.name == key; });
}

// Comma-separated names of [a-z_]: they go into a URL query as they are.
bool isFieldList(const std::string& s) {
  if (s.empty() || s.front() == ',' || s.back() == ',' || s.find(",,") != std::string::npos)
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == ','; });
}

bool startsWith(const std::string& s, std::string_view p) {
  return s.rfind(p, 0) == 0;
}

constexpr std::int64_t kMaxTokenSeconds = 90 * 86400;  // 7776000: longer than any Meta token
}  // namespace

const std::vector<sdk::ConfigKey>& settingsKeys() {
  static const std::vector<sdk::ConfigKey> keys{
      {"graph_base_url", "url", "https://graph.facebook.com",
       "Graph API host: graph.facebook.com (Facebook login) or graph.instagram.com (Instagram "
       "login)"},
      {"graph_api_version", "string", "v21.0", "Graph API version used in every call's path"},
      {"app_secret", "string", "",
       "Meta app secret: checks webhook signatures and signs Graph calls (appsecret_proof)"},
      {"verify_token", "string", "",
       "token Meta must present to verify the channel-wide webhook subscription"},
      {"require_signature", "bool", "true",
       "refuse webhook POSTs that cannot be verified because no secret is configured"},
      {"api_flavor", "string", "facebook",
       "'facebook' or 'instagram' login; inferred from graph_base_url when absent"},
      {"reply_retry_seconds", "int", "600", "how long a failed reply is retried (0..604800)"},
      {"send_rate_per_second", "int", "100",
       "Send API calls per second per account (0..1000, 0 = no limit)"},
      {"profile_fetch", "bool", "true", "fetch each customer's name and username once per chat"},
      {"graph_timeout_ms", "int", "10000", "timeout of each Graph API call (100..60000)"},
      {"app_id", "string", "",
       "Meta app id: with app_secret, enables connecting accounts through Instagram Login and "
       "checking Page tokens"},
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
      {"token_check_interval_seconds", "int", "86400",
       "how often a Page token is checked with debug_token (0..7776000; needs app_id)"},
      {"page_subscribed_fields", "string", kSubscribedFields,
       "the fields a Page is subscribed to at connect (Facebook Login): comma-separated names"},
  };
  return keys;
}

std::vector<sdk::ConfigIssue> readSettings(const sdk::ConfigView& config, Settings& out) {
  std::vector<sdk::ConfigIssue> issues;
  auto rootKind = config.kind("");
  if (rootKind != sdk::ConfigNodeKind::kMap && rootKind != sdk::ConfigNodeKind::kMissing &&
      rootKind != sdk::ConfigNodeKind::kNull) {
    issues.push_back({"", "the instagram plugin's config must be a map"});
    return issues;
  }
  for (const auto& key : config.keys(""))
    if (!isKnownKey(key)) issues.push_back({key, "unknown key '" + key + "'"});

  auto readString = [&](const char* key, std::string& target) {
    auto k = config.kind(key);
    if (k == sdk::ConfigNodeKind::kMap || k == sdk::ConfigNodeKind::kSequence) {
      issues.push_back({key, std::string(key) + " must be a string"});
      return;
    }
    if (auto v = config.getString(key, target)) target = *v;
  };
  auto readBool = [&](const char* key, bool& target) {
    if (auto v = config.getBool(key, target))
      target = *v;
    else
      issues.push_back({key, std::string(key) + " must be true or false"});
  };

  auto readUrl = [&](const char* key, std::string& target) {
    readString(key, target);
    while (!target.empty() && target.back() == '/') target.pop_back();
    if (!startsWith(target, "http://") && !startsWith(target, "https://"))
      issues.push_back({key, std::string(key) + " must start with http:// or https://"});
  };
  auto readSeconds = [&](const char* key, std::int64_t& target) {
    if (auto v = config.getInt(key, target); v && *v >= 0 && *v <= kMaxTokenSeconds)
      target = *v;
    else
      issues.push_back({key, std::string(key) + " must be an integer 0..7776000"});
  };

  readUrl("graph_base_url", out.graphBaseUrl);
  readString("graph_api_version", out.graphApiVersion);
  if (out.graphApiVersion.size() < 2 || out.graphApiVersion[0] != 'v' ||
      out.graphApiVersion.find('/') != std::string::npos)
    issues.push_back({"graph_api_version", "graph_api_version must look like v21.0"});
  readString("app_secret", out.appSecret);
  readString("verify_token", out.verifyToken);
  readBool("require_signature", out.requireSignature);
  readBool("profile_fetch", out.profileFetch);
  readString("app_id", out.appId);
  readUrl("instagram_graph_base_url", out.instagramGraphBaseUrl);
  readUrl("oauth_authorize_url", out.oauthAuthorizeUrl);
  readUrl("oauth_token_url", out.oauthTokenUrl);
  readSeconds("token_refresh_min_age_seconds", out.tokenRefreshMinAgeSeconds);
  readSeconds("token_refresh_before_seconds", out.tokenRefreshBeforeSeconds);
  readSeconds("token_check_interval_seconds", out.tokenCheckIntervalSeconds);
  readString("page_subscribed_fields", out.pageSubscribedFields);
  if (!isFieldList(out.pageSubscribedFields))
    issues.push_back({"page_subscribed_fields",
                      "page_subscribed_fields must be comma-separated field names such as "
                      "messages,messaging_postbacks"});

  std::string flavor;
  readString("api_flavor", flavor);
  if (flavor.empty())
    out.apiFlavor = out.graphBaseUrl.find("graph.instagram.com") != std::string::npos
                        ? ApiFlavor::kInstagram
                        : ApiFlavor::kFacebook;
  else if (flavor == "facebook")
    out.apiFlavor = ApiFlavor::kFacebook;
  else if (flavor == "instagram")
    out.apiFlavor = ApiFlavor::kInstagram;
  else
    issues.push_back({"api_flavor", "api_flavor must be 'facebook' or 'instagram'"});

  if (auto v = config.getInt("reply_retry_seconds", out.replyRetrySeconds);
      v && *v >= 0 && *v <= 7 * 86400)
    out.replyRetrySeconds = *v;
  else
    issues.push_back({"reply_retry_seconds", "reply_retry_seconds must be an integer 0..604800"});
  if (auto v = config.getInt("graph_timeout_ms", out.graphTimeoutMs); v && *v >= 100 && *v <= 60000)
    out.graphTimeoutMs = static_cast<int>(*v);
  else
    issues.push_back({"graph_timeout_ms", "graph_timeout_ms must be an integer 100..60000"});
  // 0 lifts the limit: for a Graph API stand-in, or an app whose limit Meta raised.
  if (auto v = config.getInt("send_rate_per_second", 100); v && *v >= 0 && *v <= 1000)
    out.sendRatePerSecond = static_cast<double>(*v);
  else
    issues.push_back(
        {"send_rate_per_second", "send_rate_per_second must be an integer 0..1000 (0 = no limit)"});
  return issues;
}

}  // namespace chathost::instagram
