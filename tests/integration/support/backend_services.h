#pragma once
// The services behind the host in backend tests: the PostgreSQL and Redis that the ctest
// fixtures started (tests/support/README.md), per-test PostgreSQL schemas, and a private
// redis-server a test may stop and start again.

#include <sys/types.h>
#include <optional>
#include <string>

#include "support/backend_config.h"

namespace chathost::testing {

/// The libpq DSN in $CHATHOST_TEST_SERVICES/postgres.dsn; nullopt (and `why`) when absent.
std::optional<std::string> fixturePostgresDsn(std::string* why = nullptr);
/// The port in $CHATHOST_TEST_SERVICES/redis.port; nullopt (and `why`) when absent.
std::optional<int> fixtureRedisPort(std::string* why = nullptr);

/// For Backend::kPostgresRedis: points `spec` at the fixtures' PostgreSQL (in a fresh schema named
/// after `schemaPrefix`, for dropSchema at the end) and Redis. Nothing to do for kSqlite. False,
/// with `why`, when a fixture is missing.
bool useFixtureServices(HostConfigSpec& spec, const std::string& schemaPrefix, std::string* why);

/// A schema name (letters, digits, '_') that no other test process or run uses.
std::string uniqueSchemaName(const std::string& prefix);
/// DROP SCHEMA ... CASCADE through psql, so the shared test database stays small. True on success.
bool dropSchema(const std::string& dsn, const std::string& schema);

/// A loopback TCP port that was free a moment ago.
int freeLoopbackPort();

/// A redis-server child process on 127.0.0.1 without persistence, owned by the test: it can be
/// stopped and started again on the same port while a host keeps running.
class RedisServerProcess {
 public:
  /// Starts on a free port; nullopt when it does not answer PING within a few seconds.
  static std::optional<RedisServerProcess> start(const std::string& workDir);
  RedisServerProcess(RedisServerProcess&& other) noexcept;
  RedisServerProcess& operator=(RedisServerProcess&&) = delete;
  ~RedisServerProcess();

  int port() const { return port_; }
  bool running() const { return pid_ > 0; }
  /// SIGTERM, then waits for the exit (kill -9 after the deadline). True when it exited.
  bool stop();
  /// Starts it again on the same port; true once it answers PING.
  bool restart();
  bool answersPing() const;

 private:
  RedisServerProcess(std::string workDir, int port) : workDir_(std::move(workDir)), port_(port) {}
  bool launch();

  std::string workDir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace chathost::testing
