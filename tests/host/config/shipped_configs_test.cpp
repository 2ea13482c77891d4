// The configs shipped in configs/ must load, with the values the docs promise.
#include "config/config_loader.h"
#include "config/plugin_config_view.h"
#include "test_env.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using testing::fakeEnv;

const std::string kConfigs = std::string(CHATHOST_SOURCE_DIR) + "/configs/";

// Both Meta channels, Instagram first, on the public Graph API with nothing secret set.
void expectShippedChannels(const HostConfig& c) {
  ASSERT_EQ(c.plugins.size(), 2u);
  EXPECT_EQ(c.plugins[0].name, "instagram");
  EXPECT_EQ(c.plugins[1].name, "messenger");
  for (const PluginConfig& p : c.plugins) {
    EXPECT_TRUE(p.enabled) << p.name;
    EXPECT_EQ(p.config->getString("graph_base_url", ""), "https://graph.facebook.com") << p.name;
    EXPECT_EQ(p.config->getString("graph_api_version", ""), "v21.0") << p.name;
    EXPECT_EQ(p.config->getString("app_secret", "x"), "") << p.name;
    EXPECT_EQ(p.config->getString("verify_token", "x"), "") << p.name;
    EXPECT_EQ(p.config->getBool("require_signature", false), true) << p.name;
  }
}

TEST(ShippedConfigs, ChathostYamlRunsOnAFreshMachine) {
  ConfigLoadResult r = loadConfigFile(kConfigs + "chathost.yaml", fakeEnv({}));
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  const HostConfig& c = *r.config;
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.storage.backend, "sqlite");
  EXPECT_EQ(c.dedup.backend, "memory");
  EXPECT_EQ(c.auth.jwtSecret, "");
  expectShippedChannels(c);
}

TEST(ShippedConfigs, ChathostYamlTakesTheGraphUrlFromTheEnvironment) {
  ConfigLoadResult r = loadConfigFile(
      kConfigs + "chathost.yaml", fakeEnv({{"INSTAGRAM_GRAPH_BASE_URL", "http://127.0.0.1:9999"},
                                           {"INSTAGRAM_APP_SECRET", "s"}}));
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  EXPECT_EQ(r.config->plugins[0].config->scalar("graph_base_url"), "http://127.0.0.1:9999");
  EXPECT_EQ(r.config->plugins[0].config->scalar("app_secret"), "s");
  // Messenger has variables of its own: another app (and secret) may serve the Pages.
  EXPECT_EQ(r.config->plugins[1].config->scalar("graph_base_url"), "https://graph.facebook.com");
  r = loadConfigFile(kConfigs + "chathost.yaml",
                     fakeEnv({{"MESSENGER_APP_SECRET", "m"}, {"MESSENGER_VERIFY_TOKEN", "v"}}));
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  EXPECT_EQ(r.config->plugins[1].config->scalar("app_secret"), "m");
  EXPECT_EQ(r.config->plugins[1].config->scalar("verify_token"), "v");
  EXPECT_EQ(r.config->plugins[0].config->scalar("app_secret"), "");
}

TEST(ShippedConfigs, EmbeddedTextIsChathostYaml) {
  ConfigLoadResult r =
      loadConfigText(std::string(embeddedConfigText()), kEmbeddedConfigName, fakeEnv({}));
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  EXPECT_EQ(r.config->file, kEmbeddedConfigName);
  expectShippedChannels(*r.config);
}

TEST(ShippedConfigs, PostgresRedisNeedsTheJwtSecret) {
  ConfigLoadResult r = loadConfigFile(kConfigs + "postgres-redis.yaml", fakeEnv({}));
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("CHATHOST_JWT_SECRET is not set"), std::string::npos);

  r = loadConfigFile(
      kConfigs + "postgres-redis.yaml",
      fakeEnv({{"CHATHOST_JWT_SECRET", std::string(48, 'k')}, {"CHATHOST_REDIS_PORT", "6390"}}));
  ASSERT_TRUE(r.config) << formatErrors(r.errors);
  const HostConfig& c = *r.config;
  EXPECT_EQ(c.auth.jwtSecret, std::string(48, 'k'));
  EXPECT_EQ(c.storage.backend, "postgresql");
  EXPECT_EQ(c.storage.postgresDsn, "host=127.0.0.1 port=5432 dbname=chathost user=chathost");
  EXPECT_EQ(c.dedup.backend, "redis");
  EXPECT_EQ(c.dedup.redisPort, 6390);
  expectShippedChannels(c);
}

}  // namespace
}  // namespace chathost::host
