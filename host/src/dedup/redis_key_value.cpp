#include "dedup/redis_key_value.h"

#include "dedup/circuit_breaker.h"
#include "dedup/key_checks.h"
#include "dedup/redis_error.h"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Error.h>
#include <Poco/Redis/Type.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace chathost::host {

namespace {

using Poco::Redis::Array;
using Poco::Redis::BulkString;
using Poco::Redis::Client;
using Poco::Redis::RedisType;
using Poco::Redis::Type;

constexpr const char* kKeyPrefix = "chathost:";

Poco::Timespan millis(int ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000);
}

sdk::Status unavailable(const std::string& what) {
  return sdk::Status::unavailable("redis: " + what);
}

// The error text of an error reply, or nullopt when the reply is not an error.
std::optional<std::string> errorText(const RedisType::Ptr& reply) {
  if (!reply->isError()) return std::nullopt;
  if (auto* error = dynamic_cast<const Type<Poco::Redis::Error>*>(reply.get())) {
    return error->value().getMessage();
  }
  return std::string("error reply");
}

sdk::Status errorStatus(const std::string& text) {
  return sdk::Status(redisErrorCode(text), "redis: " + text);
}

const std::string* simpleString(const RedisType::Ptr& reply) {
  auto* s = dynamic_cast<const Type<std::string>*>(reply.get());
  return s ? &s->value() : nullptr;
}

const BulkString* bulkString(const RedisType::Ptr& reply) {
  auto* s = dynamic_cast<const Type<BulkString>*>(reply.get());
  return s ? &s->value() : nullptr;
}

Array setCommand(const std::string& key, const std::string& value, std::int64_t ttlMs,
                 bool onlyIfAbsent) {
  // Built by hand: Poco 1.11's Command::set sends the expiry as a RESP integer, which Redis
  // rejects.
  Array command;
  command << "SET" << kKeyPrefix + key << value;
  if (onlyIfAbsent) command << "NX";
  if (ttlMs > 0) command << "PX" << std::to_string(ttlMs);
  return command;
}

// KEYS[1] a sorted set of the uses in the window, scored by their time in ms (Redis's clock);
// ARGV: limit, window ms, member. Returns 0 (recorded) or the ms until a use is allowed.
constexpr const char* kWindowScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now + 1
if wait < 1 then wait = 1 end
return wait
)lua";

}  // namespace

struct RedisKeyValue::Impl {
  struct Connection {
    std::unique_ptr<Client> client;
    std::uint64_t generation = 0;
  };

  // A connection borrowed from the pool; discarded unless handed back as healthy.
  class Lease {
   public:
    Lease(Impl& pool, Connection connection, bool reused)
        : pool_(&pool), connection_(std::move(connection)), reused_(reused) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          connection_(std::move(other.connection_)),
          reused_(other.reused_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_) pool_->giveBack(std::move(connection_), false);
    }
    Client& client() { return *connection_.client; }
    bool reused() const { return reused_; }
    void release(bool healthy) {
      if (pool_) std::exchange(pool_, nullptr)->giveBack(std::move(connection_), healthy);
    }

   private:
    Impl* pool_;
    Connection connection_;
    bool reused_;
  };

  explicit Impl(RedisOptions opts)
      : options(std::move(opts)), breaker(options.breakerOpenMs, steadyNowMs) {
    if (options.poolSize < 1) options.poolSize = 1;
  }

  ~Impl() {
    std::lock_guard lock(mutex);
    idle.clear();
  }

  // Opens and prepares a new connection; throws on failure.
  std::unique_ptr<Client> connect() {
    auto client = std::make_unique<Client>();
    client->connect(options.host, options.port, millis(options.connectTimeoutMs));
    client->setReceiveTimeout(millis(options.ioTimeoutMs));
    if (!options.password.empty()) {
      Array auth;
      auth << "AUTH" << options.password;
      if (client->sendCommand(auth)->isError()) {
        throw Poco::Exception("authentication failed");  // the reply text is not needed
      }
    }
    if (options.db != 0) {
      Array select;
      select << "SELECT" << std::to_string(options.db);
      auto reply = client->sendCommand(select);
      if (auto text = errorText(reply)) throw Poco::Exception("SELECT failed: " + *text);
    }
    return client;
  }

  sdk::Result<Lease> borrow() {
    std::unique_lock lock(mutex);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.ioTimeoutMs);
    while (idle.empty() && open >= options.poolSize) {
      if (freed.wait_until(lock, deadline) == std::cv_status::timeout && idle.empty() &&
          open >= options.poolSize) {
        // Busy, not down: Redis answers, this process just asks too much at once.
        return sdk::Status(sdk::ErrorCode::kTimeout,
                           "redis: all " + std::to_string(options.poolSize) + " connections busy");
      }
    }
    if (!idle.empty()) {
      Connection connection = std::move(idle.back());
      idle.pop_back();
      return Lease(*this, std::move(connection), true);
    }
    ++open;
    std::uint64_t gen = generation;
    lock.unlock();
    try {
      return Lease(*this, Connection{connect(), gen}, false);
    } catch (const Poco::Exception& e) {
      dropOpenSlot();
      breaker.recordFailure();
      return unavailable("cannot connect to " + options.host + ":" + std::to_string(options.port) +
                         ": " + e.displayText());
    } catch (const std::exception& e) {
      dropOpenSlot();
      breaker.recordFailure();
      return unavailable(std::string("cannot connect: ") + e.what());
    }
  }

  void dropOpenSlot() {
    std::lock_guard lock(mutex);
    --open;
    freed.notify_one();
  }

  void giveBack(Connection connection, bool healthy) {
    std::unique_ptr<Client> doomed;
    {
      std::lock_guard lock(mutex);
      if (healthy && connection.generation == generation) {
        idle.push_back(std::move(connection));
      } else {
        --open;
        doomed = std::move(connection.client);
      }
      freed.notify_one();
    }
  }

  // The server dropped a connection: the others of the same age are likely dead too.
  void discardIdle() {
    std::vector<Connection> doomed;
    std::lock_guard lock(mutex);
    ++generation;
    open -= static_cast<int>(idle.size());
    doomed.swap(idle);
    freed.notify_all();
  }

  // Sends one command. `retryOnDroppedConnection`: the command is safe to send twice.
  sdk::Result<RedisType::Ptr> call(const Array& command, bool retryOnDroppedConnection) {
    auto reply = send(command, retryOnDroppedConnection);
    const bool unreachable = !reply.isOk() && reply.status().code() == sdk::ErrorCode::kUnavailable;
    if (unreachable != down.exchange(unreachable) && options.onReachability)
      options.onReachability(!unreachable, unreachable ? reply.status().message() : "");
    return reply;
  }

  sdk::Result<RedisType::Ptr> send(const Array& command, bool retryOnDroppedConnection) {
    if (!breaker.allow()) return unavailable("unreachable (recent failure; retrying shortly)");
    for (int attempt = 0;; ++attempt) {
      auto lease = borrow();
      if (!lease.isOk()) return lease.status();
      bool reused = lease->reused();
      try {
        RedisType::Ptr reply = lease->client().sendCommand(command);
        lease->release(true);
        breaker.recordSuccess();
        if (reply.isNull()) return sdk::Status::internal("redis: empty reply");
        return reply;
      } catch (const Poco::TimeoutException&) {
        breaker.recordFailure();
        discardIdle();
        return unavailable("no answer within " + std::to_string(options.ioTimeoutMs) + " ms");
      } catch (const std::exception& e) {
        std::string text = describe(e);
        discardIdle();
        if (reused && retryOnDroppedConnection && attempt == 0) continue;
        if (!reused) breaker.recordFailure();
        return unavailable("connection lost: " + text);
      }
    }
  }

  static std::string describe(const std::exception& e) {
    if (auto* poco = dynamic_cast<const Poco::Exception*>(&e)) return poco->displayText();
    return e.what();
  }

  RedisOptions options;
  std::atomic<bool> down{false};  // the last call found Redis unreachable
  CircuitBreaker breaker;
  std::mutex mutex;
  std::condition_variable freed;
  std::vector<Connection> idle;
  int open = 0;  // connections alive: idle plus leased
  std::uint64_t generation = 0;
};

RedisKeyValue::RedisKeyValue(RedisOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

RedisKeyValue::~RedisKeyValue() = default;

sdk::Result<bool> RedisKeyValue::setIfAbsent(const std::string& key, const std::string& value,
                                             std::int64_t ttlMs) {
  if (auto bad = checkKeyAndTtl(key, ttlMs); !bad.isOk()) return bad;
  auto reply = impl_->call(setCommand(key, value, ttlMs, true), false);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  if (const std::string* s = simpleString(*reply); s && *s == "OK") return true;
  if (const BulkString* b = bulkString(*reply); b && b->isNull()) return false;
  return sdk::Status::internal("redis: unexpected reply to SET NX");
}

sdk::Result<std::optional<std::string>> RedisKeyValue::get(const std::string& key) {
  if (auto bad = checkKey(key); !bad.isOk()) return bad;
  Array command;
  command << "GET" << kKeyPrefix + key;
  auto reply = impl_->call(command, true);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  const BulkString* b = bulkString(*reply);
  if (!b) return sdk::Status::internal("redis: unexpected reply to GET");
  if (b->isNull()) return std::optional<std::string>();
  return std::optional<std::string>(b->value());
}

sdk::Status RedisKeyValue::set(const std::string& key, const std::string& value,
                               std::int64_t ttlMs) {
  if (auto bad = checkKeyAndTtl(key, ttlMs); !bad.isOk()) return bad;
  auto reply = impl_->call(setCommand(key, value, ttlMs, false), true);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  return sdk::Status::ok();
}

sdk::Status RedisKeyValue::remove(const std::string& key) {
  if (auto bad = checkKey(key); !bad.isOk()) return bad;
  Array command;
  command << "DEL" << kKeyPrefix + key;
  auto reply = impl_->call(command, true);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  return sdk::Status::ok();
}

sdk::Result<std::int64_t> RedisKeyValue::takeWindowSlot(const std::string& key, int limit,
                                                        std::int64_t windowMs,
                                                        const std::string& member) {
  if (auto bad = checkKey(key); !bad.isOk()) return bad;
  if (limit < 1 || windowMs < 1)
    return sdk::Status::validation("a window needs a limit and a length of at least 1");
  Array command;
  command << "EVAL" << kWindowScript << "1" << kKeyPrefix + key << std::to_string(limit)
          << std::to_string(windowMs) << member;
  // Not sent twice: a use recorded by a lost answer would count double.
  auto reply = impl_->call(command, false);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  auto* n = dynamic_cast<const Type<Poco::Int64>*>(reply->get());
  if (!n) return sdk::Status::internal("redis: unexpected reply to the window script");
  return static_cast<std::int64_t>(n->value());
}

sdk::Status RedisKeyValue::ping() {
  Array command;
  command << "PING";
  auto reply = impl_->call(command, true);
  if (!reply.isOk()) return reply.status();
  if (auto text = errorText(*reply)) return errorStatus(*text);
  return sdk::Status::ok();
}

}  // namespace chathost::host
