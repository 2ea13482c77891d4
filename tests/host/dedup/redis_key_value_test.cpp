// RedisKeyValue against a real redis-server (ctest fixture "redis").
#include "dedup/redis_key_value.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;

RedisOptions localRedis(int port) {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  return o;
}

int fixturePort() {
  const char* dir = std::getenv("CHATHOST_TEST_SERVICES");
  if (!dir) return 0;
  std::ifstream in(std::string(dir) + "/redis.port");
  int port = 0;
  in >> port;
  return port;
}

// Keys unique to this run, so a re-run against the same server starts clean.
std::string uniqueKey(const std::string& name) {
  static const std::string run =
      std::to_string(::getpid()) + "." +
      std::to_string(Clock::now().time_since_epoch().count() % 1000000007);
  return "test." + run + "." + name;
}

// Polls `condition` until it holds or `timeoutMs` passes.
template <typename F>
bool eventually(F condition, int timeoutMs = 3000) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

class RedisKeyValueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = fixturePort();
    ASSERT_GT(port_, 0) << "no $CHATHOST_TEST_SERVICES/redis.port: run through ctest";
    kv_ = std::make_unique<RedisKeyValue>(localRedis(port_));
    admin_.connect("127.0.0.1", port_);
  }

  // Runs a command on the test's own connection (not the store's pool).
  Poco::Redis::RedisType::Ptr admin(std::initializer_list<std::string> words) {
    Poco::Redis::Array command;
    for (const auto& w : words) command << w;
    return admin_.sendCommand(command);
  }

  int port_ = 0;
  std::unique_ptr<RedisKeyValue> kv_;
  Poco::Redis::Client admin_;
};

TEST_F(RedisKeyValueTest, PingAnswers) {
  EXPECT_TRUE(kv_->ping().isOk());
}

TEST_F(RedisKeyValueTest, SetIfAbsentGetSetRemove) {
  const std::string key = uniqueKey("basic");
  auto first = kv_->setIfAbsent(key, "a", 60000);
  ASSERT_TRUE(first.isOk()) << first.status().message();
  EXPECT_TRUE(*first);
  auto second = kv_->setIfAbsent(key, "b", 60000);
  ASSERT_TRUE(second.isOk()) << second.status().message();
  EXPECT_FALSE(*second);
  EXPECT_EQ(kv_->get(key)->value_or("<none>"), "a");

  const std::string binary("bin\0\r\n\xff", 7);
  ASSERT_TRUE(kv_->set(key, binary, 0).isOk());
  EXPECT_EQ(kv_->get(key)->value_or(""), binary);
  ASSERT_TRUE(kv_->remove(key).isOk());
  auto gone = kv_->get(key);
  ASSERT_TRUE(gone.isOk());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(kv_->remove(key).isOk());
  EXPECT_TRUE(*kv_->setIfAbsent(key, "c", 60000));
}

TEST_F(RedisKeyValueTest, KeysArePrefixedAndCarryTheirTtl) {
  const std::string key = uniqueKey("ttl");
  ASSERT_TRUE(*kv_->setIfAbsent(key, "v", 60000));
  auto pttl = admin({"PTTL", "chathost:" + key});
  ASSERT_TRUE(pttl->isInteger());
  auto ms = pttl.cast<Poco::Redis::Type<Poco::Int64>>()->value();
  EXPECT_GT(ms, 50000);
  EXPECT_LE(ms, 60000);
  EXPECT_TRUE(admin({"GET", key})->isBulkString());
  EXPECT_TRUE(pttl.cast<Poco::Redis::Type<Poco::Int64>>().get() != nullptr);  // sanity: cast worked

  ASSERT_TRUE(kv_->set(key, "w", 0).isOk());  // no expiry
  auto none = admin({"PTTL", "chathost:" + key});
  EXPECT_EQ(none.cast<Poco::Redis::Type<Poco::Int64>>()->value(), -1);
}

TEST_F(RedisKeyValueTest, EntriesExpire) {
  const std::string key = uniqueKey("expiry");
  ASSERT_TRUE(*kv_->setIfAbsent(key, "v", 150));
  EXPECT_FALSE(*kv_->setIfAbsent(key, "v", 150));
  EXPECT_TRUE(eventually([&] {
    auto r = kv_->get(key);
    return r.isOk() && !r->has_value();
  }));
  EXPECT_TRUE(*kv_->setIfAbsent(key, "v", 150));
}

TEST_F(RedisKeyValueTest, AWindowAdmitsItsLimitThenSaysHowLongToWait) {
  const std::string key = uniqueKey("window");
  for (int i = 0; i < 3; ++i) {
    auto taken = kv_->takeWindowSlot(key, 3, 1000, "use-" + std::to_string(i));
    ASSERT_TRUE(taken.isOk()) << taken.status().message();
    EXPECT_EQ(*taken, 0) << "use " << i;
  }
  auto refused = kv_->takeWindowSlot(key, 3, 1000, "use-3");
  ASSERT_TRUE(refused.isOk());
  EXPECT_GT(*refused, 0);
  EXPECT_LE(*refused, 1001);
  EXPECT_EQ(*kv_->takeWindowSlot(uniqueKey("window-other"), 3, 1000, "use-0"), 0)
      << "another key has a window of its own";
  auto card = admin({"ZCARD", "chathost:" + key});
  EXPECT_EQ(card.cast<Poco::Redis::Type<Poco::Int64>>()->value(), 3) << "a refusal records nothing";
  // Once the first uses leave the window, there is room again.
  EXPECT_TRUE(eventually([&] { return *kv_->takeWindowSlot(key, 3, 1000, "use-4") == 0; }));
}

TEST_F(RedisKeyValueTest, AWindowSharedByManyCallersNeverAdmitsMoreThanItsLimit) {
  const std::string key = uniqueKey("window-shared");
  constexpr int kThreads = 12;
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RedisKeyValue own(localRedis(port_));  // as another host would
      for (int i = 0; i < 10; ++i) {
        auto r = own.takeWindowSlot(key, 25, 60000, std::to_string(t) + ":" + std::to_string(i));
        if (r.isOk() && *r == 0) ++admitted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted.load(), 25);
}

TEST_F(RedisKeyValueTest, AWindowRefusesNonsense) {
  EXPECT_EQ(kv_->takeWindowSlot(uniqueKey("w"), 0, 1000, "m").status().code(),
            sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv_->takeWindowSlot("", 5, 1000, "m").status().code(), sdk::ErrorCode::kValidation);
}

TEST_F(RedisKeyValueTest, ExactlyOneWinnerPerKeyAcrossThreads) {
  constexpr int kThreads = 12;  // more than the pool, so callers queue for connections
  constexpr int kKeys = 150;
  std::vector<std::atomic<int>> wins(kKeys);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        int k = (i + t * 13) % kKeys;
        auto r = kv_->setIfAbsent(uniqueKey("race." + std::to_string(k)), "x", 60000);
        if (!r.isOk()) {
          ++failures;
        } else if (*r) {
          ++wins[k];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int k = 0; k < kKeys; ++k) ASSERT_EQ(wins[k].load(), 1) << "key " << k;
}

TEST_F(RedisKeyValueTest, RecoversFromKilledConnections) {
  const std::string key = uniqueKey("killed");
  ASSERT_TRUE(kv_->set(key, "v", 60000).isOk());  // the pool now holds an open connection

  auto killed = admin({"CLIENT", "KILL", "TYPE", "normal"});
  ASSERT_TRUE(killed->isInteger());
  ASSERT_GE(killed.cast<Poco::Redis::Type<Poco::Int64>>()->value(), 1);
  // get is safe to repeat, so it is retried on a fresh connection: no error shows.
  auto value = kv_->get(key);
  ASSERT_TRUE(value.isOk()) << value.status().message();
  EXPECT_EQ(value->value_or(""), "v");

  admin({"CLIENT", "KILL", "TYPE", "normal"});
  // setIfAbsent may have been applied before the connection died, so it is not retried: it may
  // report kUnavailable once, and the next call works.
  auto maybe = kv_->setIfAbsent(uniqueKey("killed.2"), "v", 60000);
  if (!maybe.isOk()) {
    EXPECT_EQ(maybe.status().code(), sdk::ErrorCode::kUnavailable);
  }
  auto next = kv_->setIfAbsent(uniqueKey("killed.3"), "v", 60000);
  ASSERT_TRUE(next.isOk()) << next.status().message();
  EXPECT_TRUE(*next);
}

TEST_F(RedisKeyValueTest, WrongTypeIsAnInternalError) {
  const std::string key = uniqueKey("list");
  admin({"RPUSH", "chathost:" + key, "x"});
  EXPECT_EQ(kv_->get(key).status().code(), sdk::ErrorCode::kInternal);
  EXPECT_TRUE(kv_->ping().isOk());  // the connection is still usable
}

TEST_F(RedisKeyValueTest, SelectsTheConfiguredDatabase) {
  RedisOptions options = localRedis(port_);
  options.db = 3;
  RedisKeyValue db3(options);
  const std::string key = uniqueKey("db3");
  ASSERT_TRUE(db3.set(key, "three", 0).isOk());
  EXPECT_FALSE(kv_->get(key)->has_value());
  EXPECT_EQ(db3.get(key)->value_or(""), "three");
}

// A redis-server of the test's own, so it can be stopped and started again.
class OwnRedis {
 public:
  explicit OwnRedis(int port) : port_(port) {
    dir_ = std::filesystem::temp_directory_path() /
           ("chathost-redis-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~OwnRedis() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  bool start() {
    std::string cmd = "redis-server --bind 127.0.0.1 --port " + std::to_string(port_) +
                      " --daemonize yes --save '' --appendonly no --dir " + dir_.string() +
                      " --pidfile " + pidfile() + " --logfile " + (dir_ / "log").string();
    return std::system(cmd.c_str()) == 0;
  }
  void stop() {
    std::ifstream in(pidfile());
    pid_t pid = 0;
    if (!(in >> pid) || pid <= 0) return;
    ::kill(pid, SIGTERM);
    eventually([&] { return !std::filesystem::exists(pidfile()); }, 10000);
  }

 private:
  std::string pidfile() const { return (dir_ / "redis.pid").string(); }
  int port_;
  std::filesystem::path dir_;
};

TEST(RedisKeyValueRecovery, ComesBackBySelfWhenRedisReturns) {
  int port = [] {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return static_cast<int>(s.address().port());
  }();
  RedisOptions options = localRedis(port);
  options.breakerOpenMs = 200;
  RedisKeyValue kv(options);
  EXPECT_EQ(kv.ping().code(), sdk::ErrorCode::kUnavailable);

  OwnRedis redis(port);
  ASSERT_TRUE(redis.start());
  EXPECT_TRUE(eventually([&] { return kv.ping().isOk(); }, 5000));
  auto r = kv.setIfAbsent(uniqueKey("recovered"), "v", 1000);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_TRUE(*r);

  redis.stop();
  EXPECT_TRUE(eventually([&] { return kv.ping().code() == sdk::ErrorCode::kUnavailable; }));
  ASSERT_TRUE(redis.start());
  EXPECT_TRUE(eventually([&] { return kv.ping().isOk(); }, 5000));
}

}  // namespace
}  // namespace chathost::host
