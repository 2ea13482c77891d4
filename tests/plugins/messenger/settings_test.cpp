#include "settings.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <map>

using namespace chathost::messenger;
using chathost::sdk::testing::FakeConfigView;

TEST(Settings, DefaultsWhenEmpty) {
  FakeConfigView cfg;
  Settings s;
  EXPECT_TRUE(readSettings(cfg, s).empty());
  EXPECT_EQ(s.graphBaseUrl, "https://graph.facebook.com");
  EXPECT_EQ(s.graphApiVersion, "v21.0");
  EXPECT_TRUE(s.requireSignature);
  EXPECT_EQ(s.subscribedFields,
            "messages,messaging_postbacks,message_reads,message_reactions,messaging_referrals");
}

TEST(Settings, EveryDescribedKeyWithItsDefaultIsAccepted) {
  const auto& keys = settingsKeys();
  EXPECT_EQ(keys.size(), 12u);
  for (const auto& k : keys) {
    FakeConfigView cfg{{k.name, k.defaultValue}};
    Settings s;
    EXPECT_TRUE(readSettings(cfg, s).empty()) << k.name << " = '" << k.defaultValue << "'";
    EXPECT_EQ(s.subscribedFields, Settings{}.subscribedFields) << k.name;
    EXPECT_EQ(s.tokenCheckIntervalSeconds, Settings{}.tokenCheckIntervalSeconds) << k.name;
  }
}

TEST(Settings, ReadsValuesAndReportsEveryProblem) {
  FakeConfigView good{{"graph_base_url", "http://127.0.0.1:9/"},
                      {"app_secret", "s"},
                      {"app_id", "263902037430900"},
                      {"subscribed_fields", "messages,messaging_postbacks"},
                      {"send_rate_per_second", "0"},
                      {"token_check_interval_seconds", "3600"}};
  Settings s;
  ASSERT_TRUE(readSettings(good, s).empty());
  EXPECT_EQ(s.graphBaseUrl, "http://127.0.0.1:9");
  EXPECT_EQ(s.apiOptions().appId, "263902037430900");
  EXPECT_EQ(s.subscribedFields, "messages,messaging_postbacks");
  EXPECT_EQ(s.sendRatePerSecond, 0);
  EXPECT_EQ(s.tokenCheckIntervalSeconds, 3600);
  EXPECT_TRUE(s.hasAppCredentials());

  FakeConfigView bad{{"subscribed_fields", "messages,,reads"},
                     {"require_signature", "maybe"},
                     {"api_flavor", "facebook"}};
  std::map<std::string, std::string> byPath;
  for (const auto& i : readSettings(bad, s)) byPath[i.path] = i.message;
  EXPECT_EQ(byPath.size(), 3u);
  EXPECT_EQ(byPath["api_flavor"], "unknown key 'api_flavor'");  // an Instagram key
  EXPECT_EQ(byPath["require_signature"], "require_signature must be true or false");
  EXPECT_NE(byPath["subscribed_fields"].find("comma-separated"), std::string::npos);
}
