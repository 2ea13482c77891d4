#include <chathost/meta/config_reader.h>
#include <chathost/meta/graph_settings.h>

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <map>

using namespace chathost::meta;
using chathost::sdk::testing::FakeConfigView;

namespace {
std::map<std::string, std::string> byPath(const ConfigReader& reader) {
  std::map<std::string, std::string> out;
  for (const auto& i : reader.issues()) out[i.path] = i.message;
  return out;
}
}  // namespace

TEST(ConfigReader, ReadsEachKindAndKeepsDefaultsOfAbsentKeys) {
  FakeConfigView cfg{{"name", "x"}, {"flag", "yes"}, {"url", "https://h.test//"}, {"n", "7"}};
  ConfigReader reader(cfg, "demo");
  std::string name, url, absent = "kept";
  bool flag = false;
  std::int64_t n = 0, other = 5;
  ASSERT_TRUE(reader.isMap());
  reader.string("name", name);
  reader.string("absent", absent);
  reader.boolean("flag", flag);
  reader.url("url", url);
  reader.integer("n", n, 0, 10);
  reader.integer("other", other, 0, 10);
  EXPECT_TRUE(reader.issues().empty());
  EXPECT_EQ(name, "x");
  EXPECT_EQ(absent, "kept");
  EXPECT_TRUE(flag);
  EXPECT_EQ(url, "https://h.test");
  EXPECT_EQ(n, 7);
  EXPECT_EQ(other, 5);
}

TEST(ConfigReader, RecordsEveryProblemNamingItsKey) {
  FakeConfigView cfg{{"flag", "maybe"}, {"url", "ftp://x"}, {"n", "11"}, {"colour", "blue"}};
  cfg.set("name.nested", "x");
  ConfigReader reader(cfg, "demo");
  std::string name, url;
  bool flag = true;
  std::int64_t n = 3;
  reader.rejectUnknown({{"name", "string", "", ""},
                        {"flag", "bool", "", ""},
                        {"url", "url", "", ""},
                        {"n", "int", "", ""}});
  reader.string("name", name);
  reader.boolean("flag", flag);
  reader.url("url", url);
  reader.integer("n", n, 0, 10, " (0 = off)");
  auto issues = byPath(reader);
  EXPECT_EQ(issues["colour"], "unknown key 'colour'");
  EXPECT_EQ(issues["name"], "name must be a string");
  EXPECT_EQ(issues["flag"], "flag must be true or false");
  EXPECT_EQ(issues["url"], "url must start with http:// or https://");
  EXPECT_EQ(issues["n"], "n must be an integer 0..10 (0 = off)");
  EXPECT_TRUE(flag);  // a bad value leaves the default
  EXPECT_EQ(n, 3);
}

TEST(ConfigReader, ASectionThatIsNotAMapIsOneIssue) {
  // `config: on` in the YAML: the section itself is a scalar.
  struct ScalarSection : FakeConfigView {
    chathost::sdk::ConfigNodeKind kind(const std::string& path) const override {
      return path.empty() ? chathost::sdk::ConfigNodeKind::kScalar : FakeConfigView::kind(path);
    }
  } scalar;
  ConfigReader reader(scalar, "messenger");
  EXPECT_FALSE(reader.isMap());
  ASSERT_EQ(reader.issues().size(), 1u);
  EXPECT_EQ(reader.issues()[0].message, "the messenger plugin's config must be a map");
}

TEST(GraphSettings, EveryDescribedKeyWithItsDefaultGivesTheDefaults) {
  const auto keys = graphSettingsKeys("messenger");
  EXPECT_EQ(keys.size(), 11u);
  for (const auto& k : keys) {
    FakeConfigView cfg{{k.name, k.defaultValue}};
    ConfigReader reader(cfg, "messenger");
    GraphSettings s;
    readGraphSettings(reader, s);
    EXPECT_TRUE(reader.issues().empty()) << k.name;
    GraphSettings defaults;
    EXPECT_EQ(s.graphBaseUrl, defaults.graphBaseUrl) << k.name;
    EXPECT_EQ(s.sendRatePerSecond, defaults.sendRatePerSecond) << k.name;
    EXPECT_EQ(s.graphTimeoutMs, defaults.graphTimeoutMs) << k.name;
    EXPECT_EQ(s.tokenCheckIntervalSeconds, defaults.tokenCheckIntervalSeconds) << k.name;
    EXPECT_FALSE(k.description.empty()) << k.name;
  }
  EXPECT_EQ(keys[4].name, "verify_token");
  EXPECT_NE(keys[4].description.find("/webhooks/messenger"), std::string::npos);
}

TEST(GraphSettings, ReadsValuesAndReportsBadOnes) {
  FakeConfigView cfg{{"graph_api_version", "22.0"},
                     {"send_rate_per_second", "0"},
                     {"graph_timeout_ms", "50"},
                     {"reply_retry_seconds", "30"},
                     {"app_secret", "s"},
                     {"app_id", "263902037430900"},
                     {"token_check_interval_seconds", "3600"}};
  ConfigReader reader(cfg, "messenger");
  GraphSettings s;
  readGraphSettings(reader, s);
  auto issues = byPath(reader);
  EXPECT_EQ(issues["graph_api_version"], "graph_api_version must look like v21.0");
  EXPECT_EQ(issues["graph_timeout_ms"], "graph_timeout_ms must be an integer 100..60000");
  EXPECT_EQ(issues.size(), 2u);
  EXPECT_EQ(s.sendRatePerSecond, 0);
  EXPECT_EQ(s.replyRetrySeconds, 30);
  EXPECT_EQ(s.apiOptions().appSecret, "s");
  EXPECT_EQ(s.apiOptions().appId, "263902037430900");  // picks the app in subscribed_apps
  EXPECT_EQ(s.apiOptions().timeoutMs, 10000);
  EXPECT_EQ(s.tokenCheckIntervalSeconds, 3600);
  EXPECT_TRUE(s.hasAppCredentials());  // Page tokens can be checked with debug_token
}

TEST(GraphSettings, ThePageTokenCheckNeedsTheAppAndAnIntervalInRange) {
  GraphSettings defaults;
  EXPECT_EQ(defaults.tokenCheckIntervalSeconds, 86400);
  EXPECT_FALSE(defaults.hasAppCredentials());
  for (const char* bad : {"-1", "7776001", "daily"}) {
    FakeConfigView cfg{{"token_check_interval_seconds", bad}, {"app_id", "1"}};
    ConfigReader reader(cfg, "messenger");
    GraphSettings s;
    readGraphSettings(reader, s);
    EXPECT_EQ(byPath(reader)["token_check_interval_seconds"],
              "token_check_interval_seconds must be an integer 0..7776000")
        << bad;
    EXPECT_FALSE(s.hasAppCredentials());  // app_id without app_secret
  }
}

TEST(ConfigReader, FieldListsAreCommaSeparatedGraphNames) {
  FakeConfigView cfg{{"good", "messages,message_reads"},
                     {"spaced", "messages, reads"},
                     {"empty", ""},
                     {"doubled", "messages,,reads"}};
  ConfigReader reader(cfg, "messenger");
  std::string good, spaced, empty, doubled, absent = "messages";
  reader.fieldList("good", good);
  reader.fieldList("spaced", spaced);
  reader.fieldList("empty", empty);
  reader.fieldList("doubled", doubled);
  reader.fieldList("absent", absent);
  auto issues = byPath(reader);
  EXPECT_EQ(good, "messages,message_reads");
  EXPECT_EQ(absent, "messages");
  EXPECT_EQ(issues.count("good") + issues.count("absent"), 0u);
  for (const char* bad : {"spaced", "empty", "doubled"})
    EXPECT_EQ(issues[bad],
              std::string(bad) +
                  " must be comma-separated field names such as messages,messaging_postbacks");
}
