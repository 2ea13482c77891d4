#include "config/host_config_builder.h"

#include "config/config_schema.h"
#include "config/plugin_config_view.h"
#include "config/schema_reader.h"
#include "config/value_parsers.h"

#include "common/cidr.h"
#include "common/env_allowlist.h"
#include "common/host_text.h"

#include <limits>

namespace chathost::host {
namespace {

constexpr int kMaxInt = std::numeric_limits<int>::max();
constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

const ConfigNode& section(const ConfigNode& root, const std::string& key) {
  static const ConfigNode kAbsent;
  const ConfigEntry* entry = root.find(key);
  return entry ? entry->value : kAbsent;
}

// An origin to build absolute URLs from: http(s)://host[:port], nothing after it.
bool isPublicUrl(const std::string& url, std::string& why) {
  const std::size_t scheme = url.rfind("https://", 0) == 0  ? 8
                             : url.rfind("http://", 0) == 0 ? 7
                                                            : 0;
  if (scheme == 0) {
    why = "public_url must start with https:// (or http://)";
    return false;
  }
  std::string rest = url.substr(scheme);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const bool ok = isHostAndPortText(rest);
  if (!ok) why = "public_url must be an origin such as https://chat.example.com (no path or query)";
  return ok;
}

void readServer(SchemaReader& r, const ConfigNode& root, ServerConfig& server) {
  const ConfigNode& node = section(root, "server");
  if (!r.checkMap(
          node, "server",
          {"listen", "max_body_bytes", "threads", "max_queued", "io_threads", "request_timeout_ms",
           "keep_alive_timeout_ms", "max_connections", "shutdown_timeout_seconds", "public_url"}))
    return;
  std::string listen = server.host + ":" + std::to_string(server.port);  // the default
  if (r.readString(node, "server", "listen", listen)) {
    std::string why;
    if (auto address = parseListen(listen, why)) {
      server.host = address->host;
      server.port = address->port;
    } else {
      const ConfigNode& value = *r.value(node, "listen");
      r.report(value.pos, "server.listen", why + ", got " + SchemaReader::describeValue(value));
    }
  }
  r.readInteger(node, "server", "max_body_bytes", 1, kMaxInt64, server.maxBodyBytes);
  r.readInt(node, "server", "threads", 1, 1024, server.threads);
  r.readInt(node, "server", "max_queued", 1, 1000000, server.maxQueued);
  r.readInt(node, "server", "io_threads", 1, 64, server.ioThreads);
  r.readInteger(node, "server", "request_timeout_ms", 1, 3600000, server.requestTimeoutMs);
  r.readInteger(node, "server", "keep_alive_timeout_ms", 1, 3600000, server.keepAliveTimeoutMs);
  r.readInt(node, "server", "max_connections", 1, 1000000, server.maxConnections);
  r.readInt(node, "server", "shutdown_timeout_seconds", 0, 3600, server.shutdownTimeoutSeconds);
  if (r.readString(node, "server", "public_url", server.publicUrl) && !server.publicUrl.empty()) {
    std::string why;
    if (!isPublicUrl(server.publicUrl, why))
      r.report(r.value(node, "public_url")->pos, "server.public_url", why);
  }
}

void readAuth(SchemaReader& r, const ConfigNode& root, AuthConfig& auth) {
  const ConfigNode& node = section(root, "auth");
  if (!r.checkMap(node, "auth", {"jwt_secret"})) return;
  r.readString(node, "auth", "jwt_secret", auth.jwtSecret);
}

// A PostgreSQL identifier the storage can quote safely: it is created when missing.
bool isSchemaName(const std::string& name) {
  if (name.size() > 63) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

void readStorage(SchemaReader& r, const ConfigNode& root, StorageConfig& storage) {
  const ConfigNode& node = section(root, "storage");
  if (!r.checkMap(node, "storage", {"backend", "sqlite", "postgresql"})) return;
  r.readChoice(node, "storage", "backend", {"sqlite", "postgresql"}, storage.backend);
  const ConfigNode& sqlite = section(node, "sqlite");
  if (r.checkMap(sqlite, "storage.sqlite", {"path", "synchronous"})) {
    r.readString(sqlite, "storage.sqlite", "path", storage.sqlitePath, false);
    r.readChoice(sqlite, "storage.sqlite", "synchronous", {"normal", "full"},
                 storage.sqliteSynchronous);
  }
  const ConfigNode& postgres = section(node, "postgresql");
  if (r.checkMap(postgres, "storage.postgresql", {"dsn", "pool_size", "schema"})) {
    r.readString(postgres, "storage.postgresql", "dsn", storage.postgresDsn, false);
    r.readInt(postgres, "storage.postgresql", "pool_size", 1, 1000, storage.poolSize);
    std::string schema;
    if (r.readString(postgres, "storage.postgresql", "schema", schema)) {
      if (isSchemaName(schema)) {
        storage.postgresSchema = schema;
      } else {
        const ConfigNode& value = *r.value(postgres, "schema");
        r.report(value.pos, "storage.postgresql.schema",
                 "must be at most 63 letters, digits or '_' (empty = the DSN's default), got " +
                     SchemaReader::describeValue(value));
      }
    }
  }
}

void readDedup(SchemaReader& r, const ConfigNode& root, DedupConfig& dedup) {
  const ConfigNode& node = section(root, "dedup");
  if (!r.checkMap(node, "dedup", {"backend", "redis", "memory", "ttl_seconds"})) return;
  r.readChoice(node, "dedup", "backend", {"memory", "redis"}, dedup.backend);
  r.readInteger(node, "dedup", "ttl_seconds", 1, kMaxInt64, dedup.ttlSeconds);
  const ConfigNode& redis = section(node, "redis");
  if (r.checkMap(redis, "dedup.redis", {"host", "port", "password", "db"})) {
    r.readString(redis, "dedup.redis", "host", dedup.redisHost, false);
    r.readInt(redis, "dedup.redis", "port", 1, 65535, dedup.redisPort);
    r.readString(redis, "dedup.redis", "password", dedup.redisPassword);
    r.readInt(redis, "dedup.redis", "db", 0, kMaxInt, dedup.redisDb);
  }
  const ConfigNode& memory = section(node, "memory");
  if (r.checkMap(memory, "dedup.memory", {"capacity"}))
    r.readInteger(memory, "dedup.memory", "capacity", 1, kMaxInt64, dedup.memoryCapacity);
}

void readSecrets(SchemaReader& r, const ConfigNode& root, SecretsConfig& secrets) {
  const ConfigNode& node = section(root, "secrets");
  if (!r.checkMap(node, "secrets", {"key_file"})) return;
  r.readString(node, "secrets", "key_file", secrets.keyFile, false);
}

void readLogging(SchemaReader& r, const ConfigNode& root, LoggingConfig& logging) {
  const ConfigNode& node = section(root, "logging");
  if (!r.checkMap(node, "logging", {"level", "format", "access_log"})) return;
  r.readChoice(node, "logging", "level", {"debug", "info", "warning", "error"}, logging.level);
  r.readChoice(node, "logging", "format", {"text", "json"}, logging.format);
  r.readBool(node, "logging", "access_log", logging.accessLog);
}

void readWorkers(SchemaReader& r, const ConfigNode& root, WorkersConfig& workers) {
  const ConfigNode& node = section(root, "workers");
  if (!r.checkMap(
          node, "workers",
          {"threads", "queue_capacity", "lease_ms", "retention_hours", "credential_check_seconds"}))
    return;
  r.readInt(node, "workers", "threads", 1, 1024, workers.threads);
  r.readInt(node, "workers", "queue_capacity", 1, kMaxInt, workers.queueCapacity);
  r.readInteger(node, "workers", "lease_ms", 100, kMaxInt64, workers.leaseMs);
  r.readInteger(node, "workers", "retention_hours", 0, 24 * 365 * 10, workers.retentionHours);
  r.readInteger(node, "workers", "credential_check_seconds", 1, 86400,
                workers.credentialCheckSeconds);
}

void readAgents(SchemaReader& r, const ConfigNode& root, AgentsConfig& agents) {
  const ConfigNode& node = section(root, "agents");
  if (!r.checkMap(
          node, "agents",
          {"env_allowlist", "allow_networks", "max_timeout_ms", "max_concurrent_per_agent"}))
    return;
  std::vector<std::string> names = agents.envAllowlist;
  if (r.readStringList(node, "agents", "env_allowlist", names)) {
    bool ok = true;
    const ConfigNode& list = *r.value(node, "env_allowlist");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (isEnvAllowlistEntry(names[i])) continue;
      ok = false;
      r.report(list.items[i].pos, "agents.env_allowlist[" + std::to_string(i) + "]",
               "must be an environment variable name, optionally ending in '*' (e.g. "
               "CHATHOST_AGENT_*), got " +
                   SchemaReader::describeValue(list.items[i]));
    }
    if (ok) agents.envAllowlist = std::move(names);
  }
  std::vector<std::string> networks = agents.allowNetworks;
  if (r.readStringList(node, "agents", "allow_networks", networks)) {
    bool ok = true;
    const ConfigNode& list = *r.value(node, "allow_networks");
    for (std::size_t i = 0; i < networks.size(); ++i) {
      std::string why;
      if (parseCidr(networks[i], why)) continue;
      ok = false;
      r.report(
          list.items[i].pos, "agents.allow_networks[" + std::to_string(i) + "]",
          "not a CIDR network: " + why + ", got " + SchemaReader::describeValue(list.items[i]));
    }
    if (ok) agents.allowNetworks = std::move(networks);
  }
  r.readInteger(node, "agents", "max_timeout_ms", 100, 120000, agents.maxTimeoutMs);
  r.readInt(node, "agents", "max_concurrent_per_agent", 1, 1000, agents.maxConcurrentPerAgent);
}

bool isPluginName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void readPlugin(SchemaReader& r, const ConfigNode& item, const std::string& path,
                std::vector<PluginConfig>& plugins) {
  if (!r.checkMap(item, path, {"name", "enabled", "library", "config"},
                  SchemaReader::Presence::kRequired))
    return;
  PluginConfig plugin;
  plugin.line = item.pos.line;
  plugin.column = item.pos.column;
  if (r.readRequiredString(item, path, "name", plugin.name)) {
    const ConfigNode& value = *r.value(item, "name");
    if (!isPluginName(plugin.name)) {
      r.report(
          value.pos, joinPath(path, "name"),
          "must be 1-64 characters of A-Z a-z 0-9 _ -, got " + SchemaReader::describeValue(value));
    }
    for (const auto& other : plugins) {
      if (other.name == plugin.name) {
        r.report(value.pos, joinPath(path, "name"),
                 "plugin '" + plugin.name + "' is listed twice (first at line " +
                     std::to_string(other.line) + ")");
      }
    }
  }
  r.readBool(item, path, "enabled", plugin.enabled);
  r.readString(item, path, "library", plugin.library);

  // The plugin checks its own section when it is loaded.
  std::shared_ptr<const ConfigNode> configRoot;
  if (const ConfigNode* config = r.readOpenMap(item, path, "config"))
    configRoot = std::make_shared<const ConfigNode>(*config);
  const ConfigEntry* configEntry = item.find("config");
  const SourcePos anchor = configEntry ? configEntry->keyPos : item.pos;
  plugin.config = std::make_shared<const PluginConfigView>(
      plugin.name, r.fileName(), std::move(configRoot), anchor.line, anchor.column);
  plugins.push_back(std::move(plugin));
}

void readPlugins(SchemaReader& r, const ConfigNode& root, std::vector<PluginConfig>& plugins) {
  r.readList(
      section(root, "plugins"), "plugins",
      [&](const ConfigNode& item, const std::string& path) { readPlugin(r, item, path, plugins); });
}

// Every section; `root` is a map (or absent, when describing).
void readRoot(SchemaReader& r, const ConfigNode& root, HostConfig& config) {
  if (!r.checkMap(root, "",
                  {"data_dir", "server", "auth", "storage", "dedup", "secrets", "logging",
                   "workers", "agents", "plugins"}))
    return;
  r.readString(root, "", "data_dir", config.dataDir, false);
  readServer(r, root, config.server);
  readAuth(r, root, config.auth);
  readStorage(r, root, config.storage);
  readDedup(r, root, config.dedup);
  readSecrets(r, root, config.secrets);
  readLogging(r, root, config.logging);
  readWorkers(r, root, config.workers);
  readAgents(r, root, config.agents);
  readPlugins(r, root, config.plugins);
}

}  // namespace

void buildHostConfig(const ConfigNode& root, const std::string& fileName, HostConfig& config,
                     std::vector<ConfigError>& errors) {
  SchemaReader r(fileName, errors);
  if (root.kind == sdk::ConfigNodeKind::kNull) return;  // an empty file: every default
  if (root.kind != sdk::ConfigNodeKind::kMap) {
    r.report(root.pos, "",
             std::string("the config must be a map of sections, got ") + describeKind(root.kind));
    return;
  }
  readRoot(r, root, config);
}

ConfigSchema describeHostConfig() {
  SchemaRecorder recorder;
  std::vector<ConfigError> unused;
  SchemaReader r("", unused, &recorder);
  HostConfig defaults;  // the reads report the defaults it holds
  readRoot(r, ConfigNode{}, defaults);
  return recorder.result();
}

}  // namespace chathost::host
