#include "support/backend_config.h"

namespace chathost::testing {
namespace {

// Double-quoted YAML scalar: DSNs hold spaces and '='.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string storageAndDedupYaml(const HostConfigSpec& spec) {
  if (spec.backend == Backend::kSqlite) {
    return "storage:\n  backend: sqlite\n  sqlite:\n    path: " + quoted(spec.sqlitePath) +
           "\ndedup:\n  backend: memory\n";
  }
  return "storage:\n  backend: postgresql\n  postgresql:\n    dsn: " + quoted(spec.postgresDsn) +
         "\n    schema: " + spec.postgresSchema + "\n    pool_size: 4\ndedup:\n  backend: redis\n" +
         "  redis:\n    host: 127.0.0.1\n    port: " + std::to_string(spec.redisPort) + "\n";
}

std::string backendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgres_redis";
}

std::string hostConfigYaml(const HostConfigSpec& spec) {
  return "server:\n  listen: 127.0.0.1:0\nauth:\n  jwt_secret: " + quoted(spec.jwtSecret) + "\n" +
         storageAndDedupYaml(spec) + "secrets:\n  key_file: " + quoted(spec.keyFile) +
         "\ndata_dir: " + quoted(spec.dataDir) +
         "\nworkers:\n  threads: " + std::to_string(spec.workerThreads) +
         "\n  lease_ms: " + std::to_string(spec.leaseMs) +
         "\nplugins:\n  - name: instagram\n    config:\n      graph_base_url: " +
         quoted(spec.graphBaseUrl) +
         "\n      graph_api_version: v21.0\n      app_secret: " + quoted(spec.appSecret) +
         "\n      verify_token: app-verify\n" +
         (spec.appId.empty() ? std::string() : "      app_id: " + quoted(spec.appId) + "\n") +
         (spec.sendRatePerSecond >= 0
              ? "      send_rate_per_second: " + std::to_string(spec.sendRatePerSecond) + "\n"
              : std::string()) +
         (spec.messenger ? "  - name: messenger\n    config:\n      graph_base_url: " +
                               quoted(spec.graphBaseUrl) + "\n      app_secret: " +
                               quoted(spec.appSecret) + "\n      verify_token: app-verify\n"
                         : std::string());
}

}  // namespace chathost::testing
