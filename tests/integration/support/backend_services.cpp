#include "support/backend_services.h"

#include "support/host_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace chathost::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::optional<std::string> servicesFile(const std::string& name, std::string* why) {
  const char* dir = std::getenv("CHATHOST_TEST_SERVICES");
  if (!dir || !*dir) {
    if (why) *why = "CHATHOST_TEST_SERVICES is not set: run this test through ctest";
    return std::nullopt;
  }
  const std::string path = std::string(dir) + "/" + name;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) {
    if (why) *why = path + " is missing or empty: is the ctest fixture running?";
    return std::nullopt;
  }
  return text;
}

bool waitExited(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

std::optional<std::string> fixturePostgresDsn(std::string* why) {
  return servicesFile("postgres.dsn", why);
}

std::optional<int> fixtureRedisPort(std::string* why) {
  auto text = servicesFile("redis.port", why);
  if (!text) return std::nullopt;
  try {
    return std::stoi(*text);
  } catch (const std::exception&) {
    if (why) *why = "redis.port does not hold a port number";
    return std::nullopt;
  }
}

std::string uniqueSchemaName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return prefix + "_" + std::to_string(getpid()) + "_" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count() %
                        100000000) +
         "_" + std::to_string(counter++);
}

bool dropSchema(const std::string& dsn, const std::string& schema) {
  auto r = runCommand({"/usr/bin/psql", "-q", "-v", "ON_ERROR_STOP=1", dsn, "-c",
                       "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE"},
                      {}, std::chrono::seconds(20));
  return r.exitCode == 0;
}

int freeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::optional<RedisServerProcess> RedisServerProcess::start(const std::string& workDir) {
  // The port may be taken between the probe and redis' bind: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    RedisServerProcess redis(workDir, freeLoopbackPort());
    if (redis.port_ > 0 && redis.launch()) return redis;
  }
  return std::nullopt;
}

RedisServerProcess::RedisServerProcess(RedisServerProcess&& other) noexcept
    : workDir_(std::move(other.workDir_)), port_(other.port_), pid_(other.pid_) {
  other.pid_ = -1;
}

RedisServerProcess::~RedisServerProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

bool RedisServerProcess::launch() {
  const std::string log = workDir_ + "/redis-" + std::to_string(port_) + ".log";
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    const std::string port = std::to_string(port_);
    execl("/usr/bin/redis-server", "redis-server", "--bind", "127.0.0.1", "--port", port.c_str(),
          "--save", "", "--appendonly", "no", "--dir", workDir_.c_str(), nullptr);
    _exit(127);
  }
  if (pid < 0) return false;
  pid_ = pid;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (answersPing()) return true;
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) break;  // e.g. the port was taken
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (waitpid(pid_, nullptr, WNOHANG) == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  return false;
}

bool RedisServerProcess::stop() {
  if (pid_ <= 0) return true;
  kill(pid_, SIGTERM);
  bool exited = waitExited(pid_, std::chrono::seconds(10));
  if (!exited) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  return exited;
}

bool RedisServerProcess::restart() {
  if (pid_ > 0) return true;
  // The port was ours a moment ago; redis binds with SO_REUSEADDR, so TIME_WAIT is no obstacle.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (launch()) return true;
  }
  return false;
}

bool RedisServerProcess::answersPing() const {
  auto r =
      runCommand({"/usr/bin/redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_), "ping"}, {},
                 std::chrono::seconds(3));
  return r.exitCode == 0 && r.out.rfind("PONG", 0) == 0;
}

bool useFixtureServices(HostConfigSpec& spec, const std::string& schemaPrefix, std::string* why) {
  if (spec.backend != Backend::kPostgresRedis) return true;
  auto dsn = fixturePostgresDsn(why);
  if (!dsn) return false;
  auto port = fixtureRedisPort(why);
  if (!port) return false;
  spec.postgresDsn = *dsn;
  spec.postgresSchema = uniqueSchemaName(schemaPrefix);
  spec.redisPort = *port;
  return true;
}

}  // namespace chathost::testing
