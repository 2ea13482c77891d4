#include <chathost/meta/graph_settings.h>

namespace chathost::meta {

namespace {
constexpr std::int64_t kMaxRetrySeconds = 7 * 86400;
constexpr std::int64_t kMaxSendRate = 1000;
constexpr std::int64_t kMaxTokenSeconds = 90 * 86400;  // 7776000: longer than any Meta token
}  // namespace

std::vector<sdk::ConfigKey> graphSettingsKeys(const std::string& channel) {
  return {
      {"graph_base_url", "url", "https://graph.facebook.com", "Graph API host"},
      {"graph_api_version", "string", "v21.0", "Graph API version used in every call's path"},
      {"app_secret", "string", "",
       "Meta app secret: checks webhook signatures and signs Graph calls (appsecret_proof)"},
      {"app_id", "string", "",
       "Meta app id (optional): with app_secret, enables the periodic debug_token check of Page "
       "tokens; picks this app's entry among a Page's subscribed apps, so that connecting keeps "
       "the fields the other Meta channel subscribed the Page to"},
      {"verify_token", "string", "",
       "token Meta must present to verify the channel-wide webhook subscription (GET "
       "/webhooks/" +
           channel + ")"},
      {"require_signature", "bool", "true",
       "refuse webhook POSTs that cannot be verified because no secret is configured"},
      {"reply_retry_seconds", "int", "600", "how long a failed reply is retried (0..604800)"},
      {"send_rate_per_second", "int", "100",
       "Send API calls per second per account (0..1000, 0 = no limit)"},
      {"profile_fetch", "bool", "true", "fetch each customer's name once per chat"},
      {"graph_timeout_ms", "int", "10000", "timeout of each Graph API call (100..60000)"},
      {"token_check_interval_seconds", "int", "86400",
       "how often a Page token is checked with debug_token (0..7776000; needs app_id)"},
  };
}

void readGraphSettings(ConfigReader& reader, GraphSettings& out) {
  reader.url("graph_base_url", out.graphBaseUrl);
  reader.string("graph_api_version", out.graphApiVersion);
  if (out.graphApiVersion.size() < 2 || out.graphApiVersion[0] != 'v' ||
      out.graphApiVersion.find('/') != std::string::npos)
    reader.issue("graph_api_version", "graph_api_version must look like v21.0");
  reader.string("app_secret", out.appSecret);
  reader.string("app_id", out.appId);
  reader.string("verify_token", out.verifyToken);
  reader.boolean("require_signature", out.requireSignature);
  reader.boolean("profile_fetch", out.profileFetch);
  reader.integer("reply_retry_seconds", out.replyRetrySeconds, 0, kMaxRetrySeconds);
  std::int64_t timeoutMs = out.graphTimeoutMs;
  reader.integer("graph_timeout_ms", timeoutMs, 100, 60000);
  out.graphTimeoutMs = static_cast<int>(timeoutMs);
  // 0 lifts the limit: for a Graph API stand-in, or an app whose limit Meta raised.
  auto rate = static_cast<std::int64_t>(out.sendRatePerSecond);
  reader.integer("send_rate_per_second", rate, 0, kMaxSendRate, " (0 = no limit)");
  out.sendRatePerSecond = static_cast<double>(rate);
  reader.integer("token_check_interval_seconds", out.tokenCheckIntervalSeconds, 0,
                 kMaxTokenSeconds);
}

}  // namespace chathost::meta
