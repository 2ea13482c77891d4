// RedisKeyValue against a Redis that is not there or does not answer: no server needed.
#include "dedup/redis_key_value.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace chathost::host {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t elapsedMs(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

RedisOptions localRedis(int port) {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  return o;
}

int portWithNothingListening() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  int port = socket.address().port();
  socket.close();
  return port;
}

TEST(RedisUnreachable, NothingListeningFailsFastWithUnavailable) {
  RedisKeyValue kv(localRedis(portWithNothingListening()));
  auto start = Clock::now();
  auto r = kv.setIfAbsent("k", "v", 1000);
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_NE(r.status().message().find("redis"), std::string::npos) << r.status().message();
  EXPECT_EQ(kv.get("k").status().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(kv.set("k", "v", 0).code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(kv.remove("k").code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(kv.ping().code(), sdk::ErrorCode::kUnavailable);
  EXPECT_LT(elapsedMs(start), 1000);
}

TEST(RedisUnreachable, AnOutageIsReportedOncePerChange) {
  std::vector<std::pair<bool, std::string>> told;
  RedisOptions options = localRedis(portWithNothingListening());
  options.onReachability = [&](bool reachable, const std::string& why) {
    told.push_back({reachable, why});
  };
  RedisKeyValue kv(options);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(kv.get("k").isOk());
  EXPECT_EQ(kv.takeWindowSlot("w", 5, 1000, "m").status().code(), sdk::ErrorCode::kUnavailable);
  ASSERT_EQ(told.size(), 1u) << "one report for the whole outage";
  EXPECT_FALSE(told[0].first);
  EXPECT_NE(told[0].second.find("redis"), std::string::npos) << told[0].second;
  // A refusal of bad input says nothing about Redis.
  EXPECT_EQ(kv.get("").status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(told.size(), 1u);
}

TEST(RedisUnreachable, ARecoveryIsReportedToo) {
  const int port = portWithNothingListening();
  std::vector<bool> told;
  RedisOptions options = localRedis(port);
  options.breakerOpenMs = 1;
  options.onReachability = [&](bool reachable, const std::string&) { told.push_back(reachable); };
  std::thread answering;
  bool answered = false;
  {
    RedisKeyValue kv(options);
    EXPECT_FALSE(kv.ping().isOk());
    // A server comes up on the port and answers every command with PONG.
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", port));
    answering = std::thread([&server] {
      Poco::Net::StreamSocket client = server.acceptConnection();
      char buffer[256];
      while (client.receiveBytes(buffer, sizeof buffer) > 0) client.sendBytes("+PONG\r\n", 7);
    });
    for (int i = 0; i < 200 && !answered; ++i) {
      answered = kv.ping().isOk();
      if (!answered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }  // the store closes its connection: the answering thread ends
  answering.join();
  EXPECT_TRUE(answered);
  EXPECT_EQ(told, (std::vector<bool>{false, true}));
}

TEST(RedisUnreachable, ASilentServerTimesOutOnceThenCallsFailAtOnce) {
  // Accepts connections (the kernel does, from the backlog) but never answers.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  RedisOptions options = localRedis(silent.address().port());
  options.ioTimeoutMs = 200;
  options.breakerOpenMs = 60000;
  RedisKeyValue kv(options);
  auto start = Clock::now();
  EXPECT_EQ(kv.get("k").status().code(), sdk::ErrorCode::kUnavailable);
  auto firstMs = elapsedMs(start);
  EXPECT_GE(firstMs, 150);
  EXPECT_LT(firstMs, 2000);

  start = Clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(kv.setIfAbsent("k" + std::to_string(i), "v", 1000).status().code(),
              sdk::ErrorCode::kUnavailable);
  }
  EXPECT_LT(elapsedMs(start), 100);  // the breaker answers without touching the network
}

TEST(RedisUnreachable, PasswordNeverAppearsInErrors) {
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  RedisOptions options = localRedis(silent.address().port());
  options.password = "s3cret-pass";
  options.ioTimeoutMs = 100;
  RedisKeyValue kv(options);
  auto status = kv.ping();
  EXPECT_EQ(status.code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(status.message().find("s3cret-pass"), std::string::npos) << status.message();
}

TEST(RedisUnreachable, BadArgumentsAreRejectedBeforeAnyNetwork) {
  RedisKeyValue kv(localRedis(portWithNothingListening()));
  EXPECT_EQ(kv.setIfAbsent("", "v", 10).status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.set("k", "v", -1).code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.get("").status().code(), sdk::ErrorCode::kValidation);
}

}  // namespace
}  // namespace chathost::host
