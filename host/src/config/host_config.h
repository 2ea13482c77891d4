#pragma once
// The host's settings as plain values, one struct per top-level YAML section. Every member has
// the default that applies when its key is absent (docs/configuration.md lists them all).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace chathost::host {

class PluginConfigView;

/// `server:`. `listen: HOST:PORT` fills host and port; port 0 = pick a free port.
struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::int64_t maxBodyBytes = 1048576;
  int threads = 32;      // request handlers running at once; reading never holds one
  int maxQueued = 1024;  // complete requests waiting for a handler; more are answered 503
  int ioThreads = 1;     // network threads: accept, read, write for every connection
  std::int64_t requestTimeoutMs = 10000;   // headers and body must arrive within this
  std::int64_t keepAliveTimeoutMs = 5000;  // idle connections are closed after this
  int maxConnections = 10000;
  int shutdownTimeoutSeconds = 10;
  /// The origin browsers and platforms reach this host at (e.g. "https://chat.example.com"):
  /// sign-in redirect URIs are built from it. Empty: the request's Host header, over http.
  std::string publicUrl;
};

/// `auth:`.
struct AuthConfig {
  std::string jwtSecret;  // empty = generated into the data dir
};

/// `storage:`.
struct StorageConfig {
  std::string backend = "sqlite";  // sqlite | postgresql
  std::string sqlitePath = "var/chathost.db";
  /// "normal": a commit survives a crash of the process (what acknowledging a webhook promises);
  /// "full": it also survives power loss, at one fsync per group commit.
  std::string sqliteSynchronous = "normal";
  std::string postgresDsn = "host=127.0.0.1 port=5432 dbname=chathost user=chathost";
  int poolSize = 8;  // storage.postgresql.pool_size
  /// storage.postgresql.schema: letters, digits, '_'; empty = the DSN's default search_path.
  std::string postgresSchema;
};

/// `dedup:`.
struct DedupConfig {
  std::string backend = "memory";  // memory | redis
  std::string redisHost = "127.0.0.1";
  int redisPort = 6379;
  std::string redisPassword;
  int redisDb = 0;
  std::int64_t ttlSeconds = 86400;
  std::int64_t memoryCapacity = 100000;  // dedup.memory.capacity
};

/// `secrets:`.
struct SecretsConfig {
  std::string keyFile = "var/secret.key";
};

/// `logging:`.
struct LoggingConfig {
  std::string level = "info";   // debug | info | warning | error
  std::string format = "text";  // text | json
  bool accessLog = true;        // one info line per answered request
};

/// `workers:`.
struct WorkersConfig {
  int threads = 32;  // mostly waiting on Graph and agent calls, not on the CPU
  int queueCapacity = 10000;
  std::int64_t leaseMs = 10000;  // renewed every third of it while the event is held
  /// Finished inbox and outbox rows are deleted this long after they finished; 0 keeps them.
  std::int64_t retentionHours = 72;
  /// How often each active connection's credentials are offered to its channel for a refresh
  /// or a check (the channel decides what is due).
  std::int64_t credentialCheckSeconds = 3600;
};

/// `agents:`: what tenants' agent configs may do on this host (SPEC section 10).
struct AgentsConfig {
  /// Environment variables `${NAME}` in agent configs may reference: exact names, or prefixes
  /// with a trailing '*'. Anything else is refused, so tenants cannot read the host's secrets.
  std::vector<std::string> envAllowlist = {"CHATHOST_AGENT_*"};
  /// CIDR networks (IPv4/IPv6) agent endpoints may reach although they are private, loopback or
  /// link-local; validated at load time.
  std::vector<std::string> allowNetworks;
  /// Upper bound of an agent's `timeout_ms`.
  std::int64_t maxTimeoutMs = 30000;
  /// Turns of one openai or http agent (subaccount and id) that may run at once.
  int maxConcurrentPerAgent = 4;
};

/// One item of `plugins:`. `config` is never null after loading (an absent `config:` is an
/// empty map); the host does not interpret it. line/column (1-based) locate the list item.
struct PluginConfig {
  std::string name;
  bool enabled = true;
  std::string library;  // as written; empty = the host's default search path
  std::shared_ptr<const PluginConfigView> config;
  int line = 0;
  int column = 0;
};

/// The whole file. Relative paths (data_dir, storage.sqlite.path, secrets.key_file) are kept
/// as written: they resolve against the working directory. Value type; copy freely.
struct HostConfig {
  std::string file;  // the file it was loaded from; empty for defaultConfig()
  std::string dataDir = "var";
  ServerConfig server;
  AuthConfig auth;
  StorageConfig storage;
  DedupConfig dedup;
  SecretsConfig secrets;
  LoggingConfig logging;
  WorkersConfig workers;
  AgentsConfig agents;
  std::vector<PluginConfig> plugins;
};

}  // namespace chathost::host
