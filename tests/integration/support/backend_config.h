#pragma once
// chathost.yaml for black-box tests that run the same scenario on each storage/dedup backend.

#include <cstdint>
#include <string>

namespace chathost::testing {

enum class Backend {
  kSqlite,         // storage sqlite + dedup memory (the embedded defaults)
  kPostgresRedis,  // storage postgresql (own schema) + dedup redis
};

/// "sqlite" | "postgres_redis" (usable in gtest parameter names).
std::string backendName(Backend backend);

struct HostConfigSpec {
  Backend backend = Backend::kSqlite;
  std::string jwtSecret;
  std::string dataDir;         // per host
  std::string keyFile;         // shared by hosts that share a database
  std::string sqlitePath;      // kSqlite
  std::string postgresDsn;     // kPostgresRedis
  std::string postgresSchema;  // kPostgresRedis
  int redisPort = 0;           // kPostgresRedis
  std::string graphBaseUrl;    // the fake Graph API
  std::string appSecret = "app-secret-xyz";
  std::string appId;  // the plugin's app_id (Instagram Login); empty leaves it unset
  std::int64_t leaseMs = 2000;
  int workerThreads = 4;
  int sendRatePerSecond = -1;  // the plugin's send_rate_per_second; -1 leaves its default
  bool messenger = false;      // the Messenger plugin too, on the same Graph API and app secret
};

/// The `storage:` and `dedup:` sections for `spec`.
std::string storageAndDedupYaml(const HostConfigSpec& spec);

/// The YAML text of a config for `spec` (listen on port 0, the Instagram plugin enabled, and the
/// Messenger plugin when `spec.messenger`).
std::string hostConfigYaml(const HostConfigSpec& spec);

}  // namespace chathost::testing
