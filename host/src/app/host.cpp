#include "app/host.h"

#include "app/commit_first_http_client.h"

#include "agents/agent_policy.h"
#include "agents/agent_service.h"
#include "agents/stored_secret_migration.h"
#include "app/agent_routes.h"
#include "app/channel_list_route.h"
#include "app/data_directory.h"
#include "app/deadline_trigger.h"
#include "app/host_plugin_context.h"
#include "app/instance_identity.h"
#include "app/open_file_limit.h"
#include "app/openapi/openapi_document.h"
#include "app/openapi_route.h"
#include "app/ops_routes.h"
#include "app/plugin_specs.h"
#include "app/startup_banner.h"
#include "app/static_files.h"
#include "auth/authorizer.h"
#include "auth/hmac_sha256.h"
#include "auth/jwt.h"
#include "auth/jwt_secret.h"
#include "auth/token_verifier.h"
#include "config/host_config.h"
#include "conversation/conversation_module.h"
#include "dedup/memory_key_value.h"
#include "dedup/redis_key_value.h"
#include "http/api_router.h"
#include "http/http_server.h"
#include "http/methods.h"
#include "metrics/registry.h"
#include "outbound/egress_guard.h"
#include "outbound/poco_http_client.h"
#include "plugins/library_resolver.h"
#include "plugins/plugin_manager.h"
#include "secrets/secret_cipher.h"
#include "storage/storage.h"
#include "workers/inbox_dispatcher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>

namespace chathost::host {
namespace {

// Connection lookups on the webhook path are cached this long; changes invalidate at once.
constexpr std::int64_t kConnectionCacheTtlMs = 2000;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct Host::Impl {
  HostConfig config;
  sdk::Logger& logger;
  std::string jwtSecret;
  bool jwtSecretGenerated = false;
  std::unique_ptr<TokenVerifier> tokens;

  MetricsRegistry metrics;
  std::optional<SecretCipher> cipher;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<sdk::KeyValue> kv;
  RedisKeyValue* redis = nullptr;  // kv when the dedup backend is Redis
  std::unique_ptr<PocoHttpClient> http;
  std::unique_ptr<CommitFirstHttpClient> outbound;  // `http` as plugins use it
  // Agents' own client: it connects only where the egress policy allows (SPEC section 10).
  std::unique_ptr<PocoHttpClient> agentHttp;
  std::unique_ptr<CommitFirstHttpClient> agentOutbound;
  AgentPolicy agentPolicy;
  std::unique_ptr<AgentService> agents;
  std::unique_ptr<InboxDispatcher> inbox;
  std::unique_ptr<InboxDispatcher> outbox;  // the sender stage: reply parts waiting to be sent
  std::unique_ptr<ApiRouter> router;
  std::unique_ptr<ConnectionCache> connectionCache;
  std::unique_ptr<ConversationModule> conversations;  // the host's part of every channel
  std::unique_ptr<PluginManager> plugins;
  std::unique_ptr<StaticFiles> web;
  std::unique_ptr<OpenApiRoute> apiDescription;
  std::unique_ptr<AccessLog> accessLog;
  std::unique_ptr<HttpServer> server;
  std::optional<InstanceLock> instanceLock;
  std::optional<InstanceLock> sqliteLock;  // held for the life of a SQLite storage
  bool stopped = false;

  Impl(const HostConfig& c, sdk::Logger& l) : config(c), logger(l) {}

  sdk::Status startAll(const std::string& executablePath);
  void stopAll();
  std::unique_ptr<sdk::KeyValue> makeKeyValue();
  SharedSendWindow sharedSendWindow();
  sdk::Status lockSqliteDatabase();
  void logDashboardFile(const sdk::Request& req, const sdk::Response& page,
                        std::chrono::steady_clock::time_point start) const;
};

// Dashboard files do not pass the router; they get the same access line, without an operation.
void Host::Impl::logDashboardFile(const sdk::Request& req, const sdk::Response& page,
                                  std::chrono::steady_clock::time_point start) const {
  if (!accessLog->wanted()) return;
  accessLog->record({req.method, "(dashboard)", req.path, page.status,
                     std::chrono::steady_clock::now() - start, "-", "dashboard", page.body.size(),
                     req.remoteAddress});
}

sdk::Status Host::Impl::startAll(const std::string& executablePath) {
  if (auto s = ensureDataDirectory(config.dataDir); !s) return s;

  if (config.auth.jwtSecret.empty()) {
    auto secret = loadOrCreateJwtSecret(config.dataDir);
    if (!secret) return secret.status();
    jwtSecret = *secret;
    jwtSecretGenerated = true;
  } else {
    jwtSecret = config.auth.jwtSecret;
    if (auto s = checkJwtSecretStrength(jwtSecret); !s) return s;
  }

  tokens = std::make_unique<TokenVerifier>(jwtSecret);

  auto c = SecretCipher::fromKeyFile(config.secrets.keyFile);
  if (!c) return c.status();
  cipher.emplace(std::move(*c));

  StorageOptions so;
  so.backend = config.storage.backend;
  so.sqlitePath = config.storage.sqlitePath;
  so.sqliteSynchronousFull = config.storage.sqliteSynchronous == "full";
  so.postgresDsn = config.storage.postgresDsn;
  so.poolSize = config.storage.poolSize;
  so.postgresSchema = config.storage.postgresSchema;
  if (auto s = lockSqliteDatabase(); !s) return s;
  auto st = openStorage(so, *cipher);
  if (!st) return st.status();
  storage = std::move(*st);
  logger.info("storage ready", {{"backend", storage->backendName()}});
  if (auto sealed = sealStoredAgentSecrets(storage->agents(), *cipher); !sealed) {
    return sealed.status();
  } else if (*sealed > 0) {
    logger.info("encrypted the secrets of agents stored in plaintext",
                {{"agents", std::to_string(*sealed)}});
  }

  kv = makeKeyValue();
  http = std::make_unique<PocoHttpClient>(HttpClientOptions{});
  outbound = std::make_unique<CommitFirstHttpClient>(*http);
  agentPolicy.envAllowlist = config.agents.envAllowlist;
  agentPolicy.maxTimeoutMs = config.agents.maxTimeoutMs;
  agentPolicy.maxConcurrentPerAgent = config.agents.maxConcurrentPerAgent;
  auto egress = EgressPolicy::fromCidrs(config.agents.allowNetworks);
  if (!egress) return egress.status();
  agentPolicy.egress = *egress;
  HttpClientOptions agentClient;
  agentClient.egress = std::make_shared<EgressGuard>(*egress);
  agentHttp = std::make_unique<PocoHttpClient>(agentClient);
  agentOutbound = std::make_unique<CommitFirstHttpClient>(*agentHttp);
  agents = std::make_unique<AgentService>(storage->agents(), *agentOutbound, metrics, logger,
                                          processEnv(), agentPolicy, &*cipher);

  DispatcherOptions dispatch;
  dispatch.threads = config.workers.threads;
  dispatch.queueCapacity = config.workers.queueCapacity;
  dispatch.leaseMs = config.workers.leaseMs;
  dispatch.retentionMs = config.workers.retentionHours * 3600 * 1000;
  const std::string prefix = instancePrefix(config.dataDir);
  dispatch.owner = uniqueOwnerId(prefix);
  instanceLock = InstanceLock::tryAcquire(config.dataDir + "/instance.lock");
  // Claims of an earlier run of this instance belong to a dead process when this one holds the
  // instance lock: their events run now rather than when their leases expire. Without the lock
  // another live process uses this data directory, and its claims are its own.
  if (!instanceLock->held()) {
    logger.warning(
        "another chathost process uses this data directory on this machine; the claims of "
        "earlier runs are left to expire instead of being taken over",
        {{"reason", instanceLock->reason()}});
  } else {
    for (InboxStore* queue : {&storage->inbox(), &storage->outbox()}) {
      if (auto released = queue->releaseClaimsOf(prefix); !released) {
        logger.warning("could not release the claims of an earlier run",
                       {{"error", released.status().message()}});
      } else if (*released > 0) {
        logger.info("released the claims of an earlier run",
                    {{"events", std::to_string(*released)}});
      }
    }
  }
  inbox = std::make_unique<InboxDispatcher>(storage->inbox(), dispatch, metrics, logger);
  // Sends block on the platform; a part is marked sent in a commit of its own right after it
  // was taken, so the sender's writes are never deferred.
  DispatcherOptions sending = dispatch;
  sending.owner = uniqueOwnerId(prefix);
  sending.deferCommits = false;
  sending.appendWithCallersWrites = true;
  sending.metricPrefix = "chathost_outbox";
  outbox = std::make_unique<InboxDispatcher>(storage->outbox(), sending, metrics, logger);

  router = std::make_unique<ApiRouter>(
      [this](const sdk::Request& req, const std::string& subaccountId) -> sdk::Status {
        auto claims = tokens->verify(req.header("Authorization").value_or(""), nowSeconds());
        if (!claims) return claims.status();
        if (subaccountId.empty()) return sdk::Status::ok();
        return authorize(*claims, subaccountId);
      },
      [this](const std::string& subaccountId, const std::string& agentId) {
        return storage->agents().get(subaccountId, agentId);
      },
      metrics, logger);
  accessLog = std::make_unique<AccessLog>(logger, config.logging.accessLog);
  router->setAccessLog(accessLog.get());

  std::vector<ReadinessCheck> checks;
  checks.push_back({"storage", [this] { return storage->ping(); }});
  if (redis) checks.push_back({"redis", [this] { return redis->ping(); }});
  registerOpsRoutes(*router, metrics, std::move(checks), CHATHOST_VERSION, logger);
  registerAgentRoutes(*router, storage->agents(), agentPolicy, *cipher);
  apiDescription = std::make_unique<OpenApiRoute>(*router);

  connectionCache =
      std::make_unique<ConnectionCache>(storage->connections(), kConnectionCacheTtlMs, nowMs);
  conversations = std::make_unique<ConversationModule>(
      *router,
      ConversationServices{
          logger, storage->chats(), storage->connections(), *inbox, *outbox,
          [this, leaseMs = sending.leaseMs](const host::InboxEvent& row) {
            return storage->outbox().confirmClaim(row.id, outbox->owner(), row.attempts, leaseMs);
          },
          *kv, *agents, metrics, *connectionCache, nowMs, sharedSendWindow(),
          // Every host sharing the JWT secret can check every host's states.
          hmacSha256(jwtSecret, "chathost sign-in state v1"), config.server.publicUrl},
      [this](sdk::Method method, const std::string& pattern, InlineHandler handler) {
        return router->setInlineHandler(method, pattern, std::move(handler));
      });
  registerChannelListRoute(*router, conversations->registry());

  plugins = std::make_unique<PluginManager>(logger, defaultPluginSearchPath(executablePath));
  // Handlers, consumers and channels hold code of the plugin libraries: they must go before the
  // first library unloads.
  plugins->setBeforeUnload([this] {
    router->clearPluginRoutes();
    inbox->clearConsumers();
    outbox->clearConsumers();
    conversations->clear();
  });
  if (auto s = plugins->loadAll(pluginSpecsFrom(config)); !s) return s;
  const HostServiceRefs refs{logger, *router, conversations->registry(), *kv, *outbound, metrics};
  const std::string dataDir = config.dataDir;
  if (auto s =
          plugins->startAll([refs, dataDir](const std::string& name, const sdk::ConfigView& view) {
            return std::make_unique<HostPluginContext>(refs, view, dataDir + "/plugins/" + name);
          });
      !s)
    return s;

  // Every route and channel is in: the description is built once (a broken catalog is logged).
  (void)apiDescription->publish(conversations->registry(), CHATHOST_VERSION, logger);

  if (auto s = inbox->start(); !s) return s;
  if (auto s = outbox->start(); !s) return s;
  conversations->startCredentialChecks(std::chrono::seconds(config.workers.credentialCheckSeconds));

  HttpServerOptions ho;
  ho.host = config.server.host;
  ho.port = config.server.port;
  ho.maxBodyBytes = config.server.maxBodyBytes;
  ho.threads = config.server.threads;
  ho.maxQueued = config.server.maxQueued;
  ho.ioThreads = config.server.ioThreads;
  ho.requestTimeoutMs = config.server.requestTimeoutMs;
  ho.keepAliveTimeoutMs = config.server.keepAliveTimeoutMs;
  ho.maxConnections = config.server.maxConnections;
  // Every connection is a descriptor; storage, plugins and outbound calls need some more.
  const auto wantedFiles = static_cast<std::uint64_t>(ho.maxConnections) + 1024;
  if (const auto files = raiseOpenFileLimit(wantedFiles); files < wantedFiles)
    logger.warning(
        "the open-file limit is below server.max_connections plus what the host needs; "
        "raise it (ulimit -n, LimitNOFILE=) or lower server.max_connections",
        {{"limit", std::to_string(files)}, {"wanted", std::to_string(wantedFiles)}});
  web = std::make_unique<StaticFiles>(defaultWebRoot(executablePath));
  server = std::make_unique<HttpServer>(
      ho,
      [this](sdk::Request& req) {
        if (req.method == sdk::Method::kGet) {
          const auto start = std::chrono::steady_clock::now();
          if (auto page = web->serve(req.path)) {
            logDashboardFile(req, *page, start);
            return std::move(*page);
          }
        }
        return router->handle(req);
      },
      logger,
      [this](sdk::Request& req, std::function<void(sdk::Response)> answer) {
        return router->tryInline(req, std::move(answer));
      });
  if (auto s = server->start(); !s) return s;

  const std::string base = "http://" + ho.host + ":" + std::to_string(server->port());
  // The address line is part of the command-line contract: printed whatever the log level.
  if (logger.enabled(sdk::LogLevel::kInfo)) {
    logger.info("listening on " + base);
  } else {
    std::fprintf(stderr, "listening on %s\n", base.c_str());
    std::fflush(stderr);
  }
  if (jwtSecretGenerated) printStartupBanner(logger, base, jwtSecret, config.dataDir);
  return sdk::Status::ok();
}

// A SQLite database serves one process: opening it releases every claim it holds (they belong
// to a dead earlier run), and its sender checks claims by reading them. A second process on the
// same file would take the first's live work, so it does not start.
sdk::Status Host::Impl::lockSqliteDatabase() {
  if (config.storage.backend != "sqlite") return sdk::Status::ok();
  const std::filesystem::path db(config.storage.sqlitePath);
  std::error_code ec;
  if (db.has_parent_path()) std::filesystem::create_directories(db.parent_path(), ec);
  sqliteLock = InstanceLock::tryAcquire(config.storage.sqlitePath + ".lock");
  if (sqliteLock->held()) return sdk::Status::ok();
  return sdk::Status::unavailable(
      "another chathost process uses the SQLite database " + config.storage.sqlitePath + " (" +
      sqliteLock->reason() +
      "); SQLite serves one process: stop the other, or share PostgreSQL to run several hosts");
}

// With Redis, every host counts its sends in one window per account, so the platform's limit
// holds for all of them together; each use is named by this process's owner id and a counter.
SharedSendWindow Host::Impl::sharedSendWindow() {
  if (!redis) return {};
  auto uses = std::make_shared<std::atomic<std::uint64_t>>(0);
  return [this, uses, owner = outbox->owner()](const std::string& key, int limit) {
    return redis->takeWindowSlot("sendwindow:" + key, limit, 1000,
                                 owner + ":" + std::to_string(uses->fetch_add(1)));
  };
}

std::unique_ptr<sdk::KeyValue> Host::Impl::makeKeyValue() {
  if (config.dedup.backend == "redis") {
    RedisOptions ro;
    ro.host = config.dedup.redisHost;
    ro.port = config.dedup.redisPort;
    ro.password = config.dedup.redisPassword;
    ro.db = config.dedup.redisDb;
    // Every outbox worker asks the shared send window before a send, and inbox workers dedup.
    ro.poolSize = std::max(ro.poolSize, config.workers.threads);
    ro.onReachability = [this](bool reachable, const std::string& why) {
      if (reachable) {
        logger.info("redis answers again");
      } else {
        logger.warning(
            "redis is unreachable: deduplication falls back to the database and each host paces "
            "its sends on its own until it answers",
            {{"reason", why}});
      }
    };
    auto r = std::make_unique<RedisKeyValue>(ro);
    redis = r.get();
    (void)redis->ping();  // an unreachable Redis is logged by onReachability
    return r;
  }
  MemoryKeyValueOptions mo;
  mo.capacity = static_cast<std::size_t>(config.dedup.memoryCapacity);
  return std::make_unique<MemoryKeyValue>(mo);
}

void Host::Impl::stopAll() {
  if (stopped) return;
  stopped = true;
  const auto grace = std::chrono::seconds(config.server.shutdownTimeoutSeconds);
  const auto graceEnds = std::chrono::steady_clock::now() + grace;
  if (server) server->stop(std::chrono::duration_cast<std::chrono::milliseconds>(grace));
  if (inbox) {
    // Agent calls still running when the grace period ends are abandoned, so an endpoint that
    // never answers cannot hold the exit: their events go back to the inbox and run after the
    // next start. The trigger is joined before the client goes.
    DeadlineTrigger abandonAgentCalls(graceEnds, [this] {
      logger.warning("grace period over: abandoning the agent calls still running");
      if (agentHttp) agentHttp->abortAll();
      // Sends still waiting for the platform too: their parts stay pending and are sent after
      // the next start (a send the platform took but did not answer may then go twice).
      if (http) http->abortAll();
    });
    // Background calls into the channels end first: they must not outlive the plugins.
    if (conversations) conversations->stopBackground();
    inbox->stop();
    if (outbox) outbox->stop();
  }
  if (plugins) plugins->stopAll();
  if (plugins) plugins->unloadAll();
  server.reset();
  inbox.reset();
  outbox.reset();
  agents.reset();
  agentOutbound.reset();
  agentHttp.reset();
  http.reset();
  kv.reset();
  storage.reset();
}

Host::Host(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Host::~Host() {
  stop();
}

sdk::Result<std::unique_ptr<Host>> Host::start(const HostConfig& config, sdk::Logger& logger,
                                               const std::string& executablePath) {
  auto impl = std::make_unique<Impl>(config, logger);
  if (auto s = impl->startAll(executablePath); !s) {
    impl->stopAll();
    return s;
  }
  return std::unique_ptr<Host>(new Host(std::move(impl)));
}

int Host::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

std::vector<std::string> Host::routes() const {
  std::vector<std::string> out;
  for (const auto& route : impl_->router->routes())
    out.push_back(std::string(methodName(route.method)) + " " + route.pattern);
  return out;
}

std::vector<std::string> Host::undescribedRoutes() const {
  std::vector<std::string> out;
  for (const auto& route : impl_->apiDescription->undescribed())
    out.push_back(describeRoute(route));
  return out;
}

void Host::stop() {
  impl_->stopAll();
}

}  // namespace chathost::host
