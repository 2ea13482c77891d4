#include "settings.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace chathost::instagram;
using chathost::sdk::testing::FakeConfigView;

TEST(Settings, DefaultsWhenEmpty) {
  FakeConfigView cfg;
  Settings s;
  EXPECT_TRUE(readSettings(cfg, s).empty());
  EXPECT_EQ(s.graphBaseUrl, "https://graph.facebook.com");
  EXPECT_EQ(s.graphApiVersion, "v21.0");
  EXPECT_TRUE(s.requireSignature);
  EXPECT_EQ(s.apiFlavor, ApiFlavor::kFacebook);
  EXPECT_EQ(s.replyRetrySeconds, 600);
  EXPECT_TRUE(s.profileFetch);
}

TEST(Settings, ReadsEveryKeyAndInfersFlavour) {
  FakeConfigView cfg{{"graph_base_url", "https://graph.instagram.com/"},
                     {"graph_api_version", "v22.0"},
                     {"app_secret", "s"},
                     {"verify_token", "v"},
                     {"require_signature", "false"},
                     {"reply_retry_seconds", "30"},
                     {"send_rate_per_second", "50"},
                     {"profile_fetch", "no"}};
  Settings s;
  EXPECT_TRUE(readSettings(cfg, s).empty());
  EXPECT_EQ(s.graphBaseUrl, "https://graph.instagram.com");
  EXPECT_EQ(s.apiFlavor, ApiFlavor::kInstagram);
  EXPECT_FALSE(s.requireSignature);
  EXPECT_EQ(s.replyRetrySeconds, 30);
  EXPECT_EQ(s.sendRatePerSecond, 50);
  EXPECT_FALSE(s.profileFetch);
  EXPECT_EQ(s.appSecret, "s");
}

TEST(Settings, ReportsEveryProblemWithItsPath) {
  FakeConfigView cfg{{"graph_base_url", "ftp://x"}, {"require_signature", "maybe"},
                     {"api_flavor", "twitter"},     {"reply_retry_seconds", "-1"},
                     {"send_rate_per_second", "a"}, {"colour", "blue"}};
  Settings s;
  auto issues = readSettings(cfg, s);
  std::set<std::string> paths;
  for (const auto& i : issues) paths.insert(i.path);
  for (const char* p : {"graph_base_url", "require_signature", "api_flavor", "reply_retry_seconds",
                        "send_rate_per_second", "colour"})
    EXPECT_TRUE(paths.count(p)) << p;
}

TEST(Settings, TheDescribedKeysAreExactlyTheAcceptedOnesWithWorkingDefaults) {
  const auto& keys = settingsKeys();
  EXPECT_EQ(keys.size(), 18u);
  std::set<std::string> types{"string", "bool", "int", "number", "url"};
  for (const auto& k : keys) {
    EXPECT_TRUE(types.count(k.type)) << k.name;
    EXPECT_FALSE(k.description.empty()) << k.name;
    // Each key with its documented default is accepted and gives the default settings.
    FakeConfigView cfg{{k.name, k.defaultValue}};
    Settings s;
    EXPECT_TRUE(readSettings(cfg, s).empty()) << k.name << " = '" << k.defaultValue << "'";
    Settings defaults;
    EXPECT_EQ(s.graphBaseUrl, defaults.graphBaseUrl) << k.name;
    EXPECT_EQ(s.graphApiVersion, defaults.graphApiVersion) << k.name;
    EXPECT_EQ(s.requireSignature, defaults.requireSignature) << k.name;
    EXPECT_EQ(s.apiFlavor, defaults.apiFlavor) << k.name;
    EXPECT_EQ(s.replyRetrySeconds, defaults.replyRetrySeconds) << k.name;
    EXPECT_EQ(s.sendRatePerSecond, defaults.sendRatePerSecond) << k.name;
    EXPECT_EQ(s.profileFetch, defaults.profileFetch) << k.name;
    EXPECT_EQ(s.graphTimeoutMs, defaults.graphTimeoutMs) << k.name;
    EXPECT_EQ(s.appId, defaults.appId) << k.name;
    EXPECT_EQ(s.instagramGraphBaseUrl, defaults.instagramGraphBaseUrl) << k.name;
    EXPECT_EQ(s.oauthAuthorizeUrl, defaults.oauthAuthorizeUrl) << k.name;
    EXPECT_EQ(s.oauthTokenUrl, defaults.oauthTokenUrl) << k.name;
    EXPECT_EQ(s.tokenRefreshMinAgeSeconds, defaults.tokenRefreshMinAgeSeconds) << k.name;
    EXPECT_EQ(s.tokenRefreshBeforeSeconds, defaults.tokenRefreshBeforeSeconds) << k.name;
    EXPECT_EQ(s.tokenCheckIntervalSeconds, defaults.tokenCheckIntervalSeconds) << k.name;
  }
  FakeConfigView unknown{{"webhook_secret", "x"}};
  Settings s;
  EXPECT_EQ(readSettings(unknown, s).size(), 1u);
}

TEST(Settings, InstagramLoginAndTokenKeysHaveTheirDefaults) {
  FakeConfigView cfg;
  Settings s;
  ASSERT_TRUE(readSettings(cfg, s).empty());
  EXPECT_EQ(s.appId, "");
  EXPECT_EQ(s.instagramGraphBaseUrl, "https://graph.instagram.com");
  EXPECT_EQ(s.oauthAuthorizeUrl, "https://www.instagram.com/oauth/authorize");
  EXPECT_EQ(s.oauthTokenUrl, "https://api.instagram.com/oauth/access_token");
  EXPECT_EQ(s.tokenRefreshMinAgeSeconds, 86400);
  EXPECT_EQ(s.tokenRefreshBeforeSeconds, 2592000);
  EXPECT_EQ(s.tokenCheckIntervalSeconds, 86400);
  EXPECT_FALSE(s.hasAppCredentials());
}

TEST(Settings, ReadsTheInstagramLoginAndTokenKeys) {
  FakeConfigView cfg{{"app_id", "1234567890"},
                     {"app_secret", "s"},
                     {"instagram_graph_base_url", "http://127.0.0.1:9/"},
                     {"oauth_authorize_url", "http://127.0.0.1:9/oauth/authorize"},
                     {"oauth_token_url", "http://127.0.0.1:9/oauth/access_token//"},
                     {"token_refresh_min_age_seconds", "0"},
                     {"token_refresh_before_seconds", "7776000"},
                     {"token_check_interval_seconds", "60"}};
  Settings s;
  ASSERT_TRUE(readSettings(cfg, s).empty());
  EXPECT_EQ(s.appId, "1234567890");
  EXPECT_EQ(s.instagramGraphBaseUrl, "http://127.0.0.1:9");
  EXPECT_EQ(s.oauthAuthorizeUrl, "http://127.0.0.1:9/oauth/authorize");
  EXPECT_EQ(s.oauthTokenUrl, "http://127.0.0.1:9/oauth/access_token");
  EXPECT_EQ(s.tokenRefreshMinAgeSeconds, 0);
  EXPECT_EQ(s.tokenRefreshBeforeSeconds, 7776000);
  EXPECT_EQ(s.tokenCheckIntervalSeconds, 60);
  EXPECT_TRUE(s.hasAppCredentials());
  // The configured flavour is not changed by the Instagram Login host.
  EXPECT_EQ(s.apiFlavor, ApiFlavor::kFacebook);
}

TEST(Settings, ReportsBadInstagramLoginAndTokenKeys) {
  FakeConfigView cfg{{"instagram_graph_base_url", "graph.instagram.com"},
                     {"oauth_authorize_url", "ftp://x"},
                     {"oauth_token_url", ""},
                     {"token_refresh_min_age_seconds", "-1"},
                     {"token_refresh_before_seconds", "7776001"},
                     {"token_check_interval_seconds", "daily"}};
  cfg.set("app_id.nested", "x");
  Settings s;
  std::map<std::string, std::string> byPath;
  for (const auto& i : readSettings(cfg, s)) byPath[i.path] = i.message;
  EXPECT_EQ(byPath["instagram_graph_base_url"],
            "instagram_graph_base_url must start with http:// or https://");
  EXPECT_EQ(byPath["oauth_authorize_url"],
            "oauth_authorize_url must start with http:// or https://");
  EXPECT_EQ(byPath["oauth_token_url"], "oauth_token_url must start with http:// or https://");
  EXPECT_EQ(byPath["token_refresh_min_age_seconds"],
            "token_refresh_min_age_seconds must be an integer 0..7776000");
  EXPECT_EQ(byPath["token_refresh_before_seconds"],
            "token_refresh_before_seconds must be an integer 0..7776000");
  EXPECT_EQ(byPath["token_check_interval_seconds"],
            "token_check_interval_seconds must be an integer 0..7776000");
  EXPECT_EQ(byPath["app_id"], "app_id must be a string");
}

TEST(Settings, PageSubscribedFieldsDefaultToTheContractsListAndAreChecked) {
  Settings defaults;
  EXPECT_TRUE(readSettings(FakeConfigView{}, defaults).empty());
  EXPECT_EQ(defaults.pageSubscribedFields,
            "messages,messaging_postbacks,messaging_seen,messaging_referral,message_reactions");

  Settings pageNames;
  EXPECT_TRUE(readSettings(FakeConfigView{{"page_subscribed_fields", "messages,message_reads"}},
                           pageNames)
                  .empty());
  EXPECT_EQ(pageNames.pageSubscribedFields, "messages,message_reads");

  for (const char* bad : {"", "messages,", ",messages", "messages,,feed", "messages&x=1",
                          "Messages", "messages feed"}) {
    Settings s;
    auto issues = readSettings(FakeConfigView{{"page_subscribed_fields", bad}}, s);
    ASSERT_EQ(issues.size(), 1u) << bad;
    EXPECT_EQ(issues[0].path, "page_subscribed_fields") << bad;
  }
}
