#include "config/config_loader.h"

#include "config/plugin_config_view.h"
#include "test_env.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace chathost::host {
namespace {

using testing::fakeEnv;

ConfigLoadResult load(const std::string& text, std::map<std::string, std::string> env = {}) {
  return loadConfigText(text, "test.yaml", fakeEnv(std::move(env)));
}

std::string allErrors(const ConfigLoadResult& r) {
  return formatErrors(r.errors);
}

// Expects exactly one error, at line:column, whose message contains `fragment`.
void expectOneError(const std::string& text, int line, int column, const std::string& fragment,
                    std::map<std::string, std::string> env = {}) {
  ConfigLoadResult r = load(text, std::move(env));
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u) << allErrors(r);
  EXPECT_EQ(r.errors[0].file, "test.yaml");
  EXPECT_EQ(r.errors[0].line, line) << allErrors(r);
  EXPECT_EQ(r.errors[0].column, column) << allErrors(r);
  EXPECT_NE(r.errors[0].message.find(fragment), std::string::npos) << allErrors(r);
}

TEST(ConfigError, FormatsFileLineColumnMessage) {
  ConfigError e{"a/b.yaml", 3, 7, "bad thing"};
  EXPECT_EQ(e.format(), "a/b.yaml:3:7: bad thing");
  EXPECT_EQ(formatErrors({e, {"c.yaml", 1, 1, "x"}}), "a/b.yaml:3:7: bad thing\nc.yaml:1:1: x\n");
}

TEST(DefaultConfig, HasEveryDocumentedDefault) {
  HostConfig c = defaultConfig();
  EXPECT_EQ(c.dataDir, "var");
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.server.maxBodyBytes, 1048576);
  EXPECT_EQ(c.server.threads, 32);
  EXPECT_EQ(c.server.maxQueued, 1024);
  EXPECT_EQ(c.server.ioThreads, 1);
  EXPECT_EQ(c.server.requestTimeoutMs, 10000);
  EXPECT_EQ(c.server.keepAliveTimeoutMs, 5000);
  EXPECT_EQ(c.server.maxConnections, 10000);
  EXPECT_EQ(c.server.shutdownTimeoutSeconds, 10);
  EXPECT_EQ(c.auth.jwtSecret, "");
  EXPECT_EQ(c.storage.backend, "sqlite");
  EXPECT_EQ(c.storage.sqlitePath, "var/chathost.db");
  EXPECT_EQ(c.storage.postgresDsn, "host=127.0.0.1 port=5432 dbname=chathost user=chathost");
  EXPECT_EQ(c.storage.poolSize, 8);
  EXPECT_EQ(c.storage.postgresSchema, "");
  EXPECT_EQ(c.dedup.backend, "memory");
  EXPECT_EQ(c.dedup.redisHost, "127.0.0.1");
  EXPECT_EQ(c.dedup.redisPort, 6379);
  EXPECT_EQ(c.dedup.redisPassword, "");
  EXPECT_EQ(c.dedup.redisDb, 0);
  EXPECT_EQ(c.dedup.ttlSeconds, 86400);
  EXPECT_EQ(c.dedup.memoryCapacity, 100000);
  EXPECT_EQ(c.secrets.keyFile, "var/secret.key");
  EXPECT_EQ(c.logging.level, "info");
  EXPECT_EQ(c.logging.format, "text");
  EXPECT_TRUE(c.logging.accessLog);
  EXPECT_EQ(c.workers.threads, 32);
  EXPECT_EQ(c.workers.queueCapacity, 10000);
  EXPECT_EQ(c.workers.leaseMs, 10000);
  EXPECT_TRUE(c.plugins.empty());
}

TEST(LoadConfig, EmptyOrCommentOnlyFileGivesDefaults) {
  for (const char* text : {"", "# nothing\n", "---\n", "server:\n"}) {
    ConfigLoadResult r = load(text);
    ASSERT_TRUE(r.config) << text << allErrors(r);
    EXPECT_EQ(r.config->server.port, 8080);
    EXPECT_EQ(r.config->storage.backend, "sqlite");
    EXPECT_EQ(r.config->file, "test.yaml");
  }
}

TEST(LoadConfig, ReadsEveryKey) {
  ConfigLoadResult r = load(R"(data_dir: /srv/chathost
server:
  listen: 0.0.0.0:9090
  max_body_bytes: 2048
  threads: 8
  max_queued: 100
  io_threads: 2
  request_timeout_ms: 3000
  keep_alive_timeout_ms: 700
  max_connections: 50
  shutdown_timeout_seconds: 5
auth:
  jwt_secret: s3cret
storage:
  backend: postgresql
  sqlite:
    path: /tmp/x.db
  postgresql:
    dsn: "host=db dbname=x"
    pool_size: 3
    schema: tenant_7
dedup:
  backend: redis
  redis:
    host: redis.local
    port: 6380
    password: pw
    db: 2
  memory:
    capacity: 50
  ttl_seconds: 60
secrets:
  key_file: /etc/chathost/key
logging:
  level: debug
  format: json
  access_log: false
workers:
  threads: 2
  queue_capacity: 10
  lease_ms: 5000
  retention_hours: 0
plugins:
  - name: instagram
    enabled: false
    library: /opt/libig.so
)");
  ASSERT_TRUE(r.config) << allErrors(r);
  const HostConfig& c = *r.config;
  EXPECT_EQ(c.dataDir, "/srv/chathost");
  EXPECT_EQ(c.server.host, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_EQ(c.server.maxBodyBytes, 2048);
  EXPECT_EQ(c.server.threads, 8);
  EXPECT_EQ(c.server.maxQueued, 100);
  EXPECT_EQ(c.server.ioThreads, 2);
  EXPECT_EQ(c.server.requestTimeoutMs, 3000);
  EXPECT_EQ(c.server.keepAliveTimeoutMs, 700);
  EXPECT_EQ(c.server.maxConnections, 50);
  EXPECT_EQ(c.server.shutdownTimeoutSeconds, 5);
  EXPECT_EQ(c.auth.jwtSecret, "s3cret");
  EXPECT_EQ(c.storage.backend, "postgresql");
  EXPECT_EQ(c.storage.sqlitePath, "/tmp/x.db");
  EXPECT_EQ(c.storage.postgresDsn, "host=db dbname=x");
  EXPECT_EQ(c.storage.poolSize, 3);
  EXPECT_EQ(c.storage.postgresSchema, "tenant_7");
  EXPECT_EQ(c.dedup.backend, "redis");
  EXPECT_EQ(c.dedup.redisHost, "redis.local");
  EXPECT_EQ(c.dedup.redisPort, 6380);
  EXPECT_EQ(c.dedup.redisPassword, "pw");
  EXPECT_EQ(c.dedup.redisDb, 2);
  EXPECT_EQ(c.dedup.memoryCapacity, 50);
  EXPECT_EQ(c.dedup.ttlSeconds, 60);
  EXPECT_EQ(c.secrets.keyFile, "/etc/chathost/key");
  EXPECT_EQ(c.logging.level, "debug");
  EXPECT_EQ(c.logging.format, "json");
  EXPECT_FALSE(c.logging.accessLog);
  EXPECT_EQ(c.workers.threads, 2);
  EXPECT_EQ(c.workers.queueCapacity, 10);
  EXPECT_EQ(c.workers.leaseMs, 5000);
  EXPECT_EQ(c.workers.retentionHours, 0);
  ASSERT_EQ(c.plugins.size(), 1u);
  EXPECT_EQ(c.plugins[0].name, "instagram");
  EXPECT_FALSE(c.plugins[0].enabled);
  EXPECT_EQ(c.plugins[0].library, "/opt/libig.so");
  EXPECT_EQ(c.plugins[0].line, 44);
  EXPECT_EQ(c.plugins[0].column, 5);
  ASSERT_TRUE(c.plugins[0].config);
  EXPECT_TRUE(c.plugins[0].config->keys("").empty());
}

TEST(DefaultConfig, HasNoPublicUrlAndChecksCredentialsHourly) {
  HostConfig c = defaultConfig();
  EXPECT_EQ(c.server.publicUrl, "");
  EXPECT_EQ(c.workers.credentialCheckSeconds, 3600);
}

TEST(LoadConfig, PublicUrlIsAnOrigin) {
  for (const char* url : {"https://chat.example.com", "http://127.0.0.1:8080",
                          "https://chat.example.com/", "https://[::1]:8443", "https://a-b.c.d:1"}) {
    ConfigLoadResult r = load(std::string("server:\n  public_url: \"") + url + "\"\n");
    ASSERT_TRUE(r.config) << url << ": " << allErrors(r);
    EXPECT_EQ(r.config->server.publicUrl, url);
  }
  ConfigLoadResult empty = load("server:\n  public_url: \"\"\n");
  ASSERT_TRUE(empty.config) << allErrors(empty);
  EXPECT_EQ(empty.config->server.publicUrl, "");
  ConfigLoadResult fromEnv =
      load("server:\n  public_url: ${PUBLIC_URL}\n", {{"PUBLIC_URL", "https://x.example"}});
  ASSERT_TRUE(fromEnv.config) << allErrors(fromEnv);
  EXPECT_EQ(fromEnv.config->server.publicUrl, "https://x.example");
}

TEST(LoadConfig, PublicUrlWithAPathOrQueryIsRefused) {
  for (const char* url :
       {"https://chat.example.com/app", "https://chat.example.com/app/",
        "https://chat.example.com?x=1", "https://chat.example.com#top",
        "https://user:pw@chat.example.com", "https://chat example.com", "https://", "https:///"})
    expectOneError(std::string("server:\n  public_url: \"") + url + "\"\n", 2, 15,
                   "server.public_url: public_url must be an origin such as "
                   "https://chat.example.com (no path or query)");
}

TEST(LoadConfig, PublicUrlMustBeHttpOrHttps) {
  for (const char* url : {"chat.example.com", "ftp://chat.example.com", "HTTPS://chat.example.com",
                          "//chat.example.com", "wss://chat.example.com"})
    expectOneError(std::string("server:\n  public_url: \"") + url + "\"\n", 2, 15,
                   "server.public_url: public_url must start with https:// (or http://)");
  expectOneError("server:\n  public_url: [a]\n", 2, 15, "expected a single value");
}

TEST(LoadConfig, CredentialCheckSecondsIsBetweenASecondAndADay) {
  for (const char* seconds : {"1", "60", "86400"}) {
    ConfigLoadResult r =
        load(std::string("workers:\n  credential_check_seconds: ") + seconds + "\n");
    ASSERT_TRUE(r.config) << seconds << ": " << allErrors(r);
    EXPECT_EQ(r.config->workers.credentialCheckSeconds, std::stoll(seconds));
  }
  for (const char* seconds : {"0", "-5", "86401", "1.5", "hourly"})
    expectOneError(std::string("workers:\n  credential_check_seconds: ") + seconds + "\n", 2, 29,
                   "workers.credential_check_seconds: must be an integer from 1 to 86400");
}

TEST(LoadConfig, ListenPortZeroMeansPickAFreePort) {
  ConfigLoadResult r = load("server:\n  listen: \"127.0.0.1:0\"\n");
  ASSERT_TRUE(r.config) << allErrors(r);
  EXPECT_EQ(r.config->server.host, "127.0.0.1");
  EXPECT_EQ(r.config->server.port, 0);
}

TEST(LoadConfig, RelativePathsAreKeptAsWritten) {
  ConfigLoadResult r = load(
      "data_dir: ./state\nstorage:\n  sqlite:\n    path: db/c.db\nsecrets:\n  key_file: k.key\n");
  ASSERT_TRUE(r.config) << allErrors(r);
  EXPECT_EQ(r.config->dataDir, "./state");
  EXPECT_EQ(r.config->storage.sqlitePath, "db/c.db");
  EXPECT_EQ(r.config->secrets.keyFile, "k.key");
}

TEST(LoadConfig, QuotedNumbersAndBooleansAreAccepted) {
  ConfigLoadResult r =
      load("server:\n  max_body_bytes: \"4096\"\nplugins:\n  - name: a\n    enabled: 'no'\n");
  ASSERT_TRUE(r.config) << allErrors(r);
  EXPECT_EQ(r.config->server.maxBodyBytes, 4096);
  EXPECT_FALSE(r.config->plugins[0].enabled);
}

TEST(LoadConfig, SubstitutesEnvironmentInHostValues) {
  ConfigLoadResult r =
      load("server:\n  listen: ${HOST:-127.0.0.1}:${PORT}\nauth:\n  jwt_secret: ${JWT}\n",
           {{"PORT", "7000"}, {"JWT", "abcdef"}});
  ASSERT_TRUE(r.config) << allErrors(r);
  EXPECT_EQ(r.config->server.host, "127.0.0.1");
  EXPECT_EQ(r.config->server.port, 7000);
  EXPECT_EQ(r.config->auth.jwtSecret, "abcdef");
}

TEST(LoadConfig, UnsetVariableIsReportedAtItsValue) {
  expectOneError("auth:\n  jwt_secret: ${CHATHOST_JWT_SECRET}\n", 2, 15,
                 "auth.jwt_secret: environment variable CHATHOST_JWT_SECRET is not set");
}

TEST(LoadConfig, UnsetVariableInsidePluginConfigIsReported) {
  expectOneError("plugins:\n  - name: p\n    config:\n      nested:\n        key: \"a${NOPE}b\"\n",
                 5, 14, "plugins[0].config.nested.key: environment variable NOPE is not set");
}

TEST(LoadConfig, UnknownKeysAreReportedAtTheKeyWithSuggestion) {
  expectOneError("server:\n  lisen: 127.0.0.1:1\n", 2, 3,
                 "unknown key 'lisen' in server (did you mean 'listen'?)");
  expectOneError("storage:\n  backend: sqlite\n  sqlite:\n    pth: x\n", 4, 5,
                 "unknown key 'pth' in storage.sqlite (did you mean 'path'?)");
  expectOneError("servers:\n  listen: a:1\n", 1, 1, "did you mean 'server'?");
}

TEST(LoadConfig, UnknownKeyWithoutCloseMatchListsTheValidOnes) {
  expectOneError("logging:\n  colour: red\n", 2, 3,
                 "unknown key 'colour' in logging (expected one of: level, format, access_log)");
}

TEST(LoadConfig, UnknownPluginItemKeyIsReported) {
  expectOneError("plugins:\n  - name: a\n    confg: {}\n", 3, 5,
                 "unknown key 'confg' in plugins[0] (did you mean 'config'?)");
}

TEST(LoadConfig, WrongTypesAreReportedAtTheValue) {
  expectOneError("server:\n  max_body_bytes: lots\n", 2, 19,
                 "server.max_body_bytes: must be a positive integer, got \"lots\"");
  expectOneError("server:\n  max_body_bytes: 0\n", 2, 19, "must be a positive integer");
  expectOneError("server:\n  max_body_bytes: -1\n", 2, 19, "must be a positive integer");
  expectOneError("server:\n  threads: 2.5\n", 2, 12, "server.threads: must be an integer from 1");
  expectOneError("dedup:\n  redis:\n    port: 70000\n", 3, 11,
                 "dedup.redis.port: must be an integer from 1 to 65535, got \"70000\"");
  expectOneError("plugins:\n  - name: a\n    enabled: maybe\n", 3, 14,
                 "plugins[0].enabled: must be true or false, got \"maybe\"");
  expectOneError("server:\n  listen: [a, b]\n", 2, 11,
                 "server.listen: expected a single value, got a list");
  expectOneError("server: 8080\n", 1, 9, "server: expected a map, got a scalar");
  expectOneError("- a\n- b\n", 1, 1, "the config must be a map of sections, got a list");
}

TEST(LoadConfig, ListenMustBeHostPort) {
  expectOneError("server:\n  listen: 8080\n", 2, 11, "server.listen: expected HOST:PORT");
  expectOneError("server:\n  listen: \"127.0.0.1:65536\"\n", 2, 11,
                 "port must be a number from 0 to 65535");
}

TEST(LoadConfig, ChoicesAreChecked) {
  expectOneError("storage:\n  backend: mysql\n", 2, 12,
                 "storage.backend: must be sqlite or postgresql, got \"mysql\"");
  expectOneError("storage:\n  backend: SQLite\n", 2, 12, "(did you mean 'sqlite'?)");
  expectOneError("dedup:\n  backend: memcached\n", 2, 12, "must be memory or redis");
  expectOneError("logging:\n  format: xml\n", 2, 11, "must be text or json");
  expectOneError("logging:\n  level: warn\n", 2, 10,
                 "must be debug, info, warning or error, got \"warn\" (did you mean 'warning'?)");
}

TEST(LoadConfig, PostgresSchemaIsAnIdentifierOrEmpty) {
  ConfigLoadResult empty = load("storage:\n  postgresql:\n    schema: \"\"\n");
  ASSERT_TRUE(empty.config) << allErrors(empty);
  EXPECT_EQ(empty.config->storage.postgresSchema, "");
  ConfigLoadResult fromEnv =
      load("storage:\n  postgresql:\n    schema: ${SCHEMA}\n", {{"SCHEMA", "Test_42"}});
  ASSERT_TRUE(fromEnv.config) << allErrors(fromEnv);
  EXPECT_EQ(fromEnv.config->storage.postgresSchema, "Test_42");
  expectOneError("storage:\n  postgresql:\n    schema: a-b\n", 3, 13,
                 "storage.postgresql.schema: must be at most 63 letters, digits or '_'");
  expectOneError("storage:\n  postgresql:\n    schema: \"x\\\"; DROP\"\n", 3, 13,
                 "storage.postgresql.schema");
  expectOneError("storage:\n  postgresql:\n    schema: " + std::string(64, 's') + "\n", 3, 13,
                 "storage.postgresql.schema");
  expectOneError("storage:\n  postgresql:\n    schema: [a]\n", 3, 13, "expected a single value");
}

TEST(LoadConfig, BadValueFromEnvironmentIsNotEchoed) {
  expectOneError("server:\n  max_body_bytes: ${BODY}\n", 2, 19,
                 "got \"${BODY}\" (after substitution)", {{"BODY", "hunter2"}});
  ConfigLoadResult r = load("server:\n  max_body_bytes: ${BODY}\n", {{"BODY", "hunter2"}});
  EXPECT_EQ(allErrors(r).find("hunter2"), std::string::npos);
}

TEST(LoadConfig, DuplicateKeysAreErrorsAtTheSecondKey) {
  expectOneError("server:\n  listen: a:1\n  listen: b:2\n", 3, 3,
                 "duplicate key 'listen' in server (first defined at line 2, column 3)");
  expectOneError("server: {}\nserver: {}\n", 2, 1, "duplicate key 'server' in top level");
  expectOneError("plugins:\n  - name: a\n    config:\n      k: 1\n      k: 2\n", 5, 7,
                 "duplicate key 'k' in plugins[0].config");
}

TEST(LoadConfig, SyntaxErrorsHaveTheirPosition) {
  expectOneError("server:\n  listen: [1, 2\n", 3, 1, "YAML syntax error");
  expectOneError("server: listen: x\n", 1, 15, "YAML syntax error: illegal map value");
}

// Found by fuzzing (tests/fuzz/corpus/config_loader/regress-yaml-loadall-hang): yaml-cpp 0.7's
// LoadAll never returns on this text. Loading it must end, with an error.
TEST(LoadConfig, MalformedTextYamlCppLoopsOnEndsWithAnError) {
  ConfigLoadResult r = load(",ssCHAUer:\n :  2.5\n");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_FALSE(r.errors.empty());
}

TEST(LoadConfig, MoreThanOneDocumentIsAnError) {
  expectOneError("server: {}\n---\nauth: {}\n", 3, 1, "only one YAML document");
}

TEST(LoadConfig, PluginsAreChecked) {
  expectOneError("plugins:\n  name: a\n", 2, 3, "plugins: expected a list, got a map");
  expectOneError("plugins:\n  - enabled: true\n", 2, 5, "plugins[0]: name is required");
  expectOneError("plugins:\n  - name:\n", 2, 5, "plugins[0]: name is required");
  expectOneError("plugins:\n  - name: \"bad name\"\n", 2, 11,
                 "plugins[0].name: must be 1-64 characters");
  expectOneError("plugins:\n  - name: a\n  - name: a\n", 3, 11,
                 "plugins[1].name: plugin 'a' is listed twice (first at line 2)");
  expectOneError("plugins:\n  - name: a\n    config: [1]\n", 3, 13,
                 "plugins[0].config: expected a map, got a list");
  expectOneError("plugins:\n  - just-a-string\n", 2, 5, "plugins[0]: expected a map");
}

TEST(LoadConfig, ReportsEveryProblemSortedByPosition) {
  ConfigLoadResult r = load(R"(server:
  listen: nope
  max_body_bytes: 0
  bogus: 1
storage:
  backend: oracle
auth:
  jwt_secret: ${UNSET_SECRET}
logging:
  level: loud
)");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 6u) << allErrors(r);
  std::vector<std::pair<int, int>> positions;
  for (const auto& e : r.errors) positions.emplace_back(e.line, e.column);
  std::vector<std::pair<int, int>> expected{{2, 11}, {3, 19}, {4, 3}, {6, 12}, {8, 15}, {10, 10}};
  EXPECT_EQ(positions, expected) << allErrors(r);
}

TEST(LoadConfig, PluginConfigIsExposedSubstituted) {
  ConfigLoadResult r = load(R"(plugins:
  - name: instagram
    config:
      graph_base_url: ${BASE:-https://graph.facebook.com}
      app_secret: ${SECRET}
      limits:
        per_second: 5
)",
                            {{"SECRET", "abc"}});
  ASSERT_TRUE(r.config) << allErrors(r);
  const PluginConfig& p = r.config->plugins.at(0);
  EXPECT_TRUE(p.enabled);
  EXPECT_EQ(p.library, "");
  ASSERT_TRUE(p.config);
  EXPECT_EQ(p.config->pluginName(), "instagram");
  EXPECT_EQ(p.config->getString("graph_base_url", ""), "https://graph.facebook.com");
  EXPECT_EQ(p.config->getString("app_secret", ""), "abc");
  EXPECT_EQ(p.config->getInt("limits.per_second", 0), 5);
  EXPECT_EQ(p.config->locate({"limits.per_second", "too high"}).format(),
            "test.yaml:7:21: plugin 'instagram': config.limits.per_second: too high");
}

TEST(LoadConfigFile, ReadsAFileAndNamesItInErrors) {
  auto dir = std::filesystem::temp_directory_path() /
             ("chathost-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "c.yaml").string();
  {
    std::ofstream out(path);
    out << "server:\n  listen: 127.0.0.1:0\n  nope: 1\n";
  }
  ConfigLoadResult r = loadConfigFile(path, fakeEnv({}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].format(), path +
                                      ":3:3: unknown key 'nope' in server (expected one of: "
                                      "listen, max_body_bytes, threads, max_queued, io_threads, "
                                      "request_timeout_ms, keep_alive_timeout_ms, "
                                      "max_connections, shutdown_timeout_seconds, public_url)");
  {
    std::ofstream out(path);
    out << "server:\n  listen: 127.0.0.1:0\n";
  }
  r = loadConfigFile(path, fakeEnv({}));
  ASSERT_TRUE(r.config) << allErrors(r);
  EXPECT_EQ(r.config->file, path);
  EXPECT_EQ(r.config->server.port, 0);
  std::filesystem::remove_all(dir);
}

TEST(LoadConfigFile, MissingFileOrDirectoryIsOneError) {
  ConfigLoadResult r = loadConfigFile("/nonexistent/chathost.yaml", fakeEnv({}));
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].format(),
            "/nonexistent/chathost.yaml:1:1: cannot read config file: No such file or directory");
  r = loadConfigFile(std::filesystem::temp_directory_path().string(), fakeEnv({}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("it is a directory"), std::string::npos);
}

TEST(LoadConfig, BinaryGarbageAndDeepNestingNeverCrash) {
  std::string junk;
  for (int i = 0; i < 512; ++i) junk.push_back(static_cast<char>((i * 37 + 11) % 256));
  ConfigLoadResult r = load(junk);
  EXPECT_FALSE(r.config);
  EXPECT_FALSE(r.errors.empty());
  r = load("a: " + std::string(200, '[') + std::string(200, ']'));
  EXPECT_FALSE(r.config);
  EXPECT_FALSE(r.errors.empty());
}

}  // namespace
}  // namespace chathost::host
