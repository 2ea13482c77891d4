#include "settings.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

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
  EXPECT_EQ(keys.size(), 10u);
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
  }
  FakeConfigView unknown{{"webhook_secret", "x"}};
  Settings s;
  EXPECT_EQ(readSettings(unknown, s).size(), 1u);
}
