#include "dedup/memory_key_value.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace chathost::host {
namespace {

// A clock that only moves when the test says so.
struct FakeClock {
  std::shared_ptr<std::atomic<std::int64_t>> now =
      std::make_shared<std::atomic<std::int64_t>>(1000);
  MillisClock fn() const {
    auto n = now;
    return [n] { return n->load(); };
  }
  void advance(std::int64_t ms) { *now += ms; }
};

MemoryKeyValueOptions options(std::size_t capacity, std::size_t shards, MillisClock clock = {}) {
  MemoryKeyValueOptions o;
  o.capacity = capacity;
  o.shards = shards;
  o.clock = std::move(clock);
  return o;
}

TEST(MemoryKeyValue, SetIfAbsentOnlyOnce) {
  MemoryKeyValue kv;
  auto first = kv.setIfAbsent("mid.1", "a", 60000);
  ASSERT_TRUE(first.isOk());
  EXPECT_TRUE(*first);
  auto second = kv.setIfAbsent("mid.1", "b", 60000);
  ASSERT_TRUE(second.isOk());
  EXPECT_FALSE(*second);
  auto value = kv.get("mid.1");
  ASSERT_TRUE(value.isOk());
  EXPECT_EQ(value->value_or("<none>"), "a");
}

TEST(MemoryKeyValue, GetSetRemove) {
  MemoryKeyValue kv;
  EXPECT_FALSE(kv.get("k")->has_value());
  ASSERT_TRUE(kv.set("k", std::string("v\0w", 3), 0).isOk());
  EXPECT_EQ(kv.get("k")->value_or(""), std::string("v\0w", 3));
  ASSERT_TRUE(kv.set("k", "x", 0).isOk());
  EXPECT_EQ(kv.get("k")->value_or(""), "x");
  ASSERT_TRUE(kv.remove("k").isOk());
  EXPECT_FALSE(kv.get("k")->has_value());
  EXPECT_TRUE(kv.remove("k").isOk());  // removing a missing key is fine
  EXPECT_TRUE(*kv.setIfAbsent("k", "again", 0));
}

TEST(MemoryKeyValue, EntriesExpireAfterTheirTtl) {
  FakeClock clock;
  MemoryKeyValue kv(options(100, 4, clock.fn()));
  ASSERT_TRUE(*kv.setIfAbsent("short", "1", 100));
  ASSERT_TRUE(kv.set("long", "2", 1000).isOk());
  ASSERT_TRUE(kv.set("forever", "3", 0).isOk());
  clock.advance(99);
  EXPECT_TRUE(kv.get("short")->has_value());
  EXPECT_FALSE(*kv.setIfAbsent("short", "again", 100));
  clock.advance(1);
  EXPECT_FALSE(kv.get("short")->has_value());
  EXPECT_TRUE(*kv.setIfAbsent("short", "again", 100));
  EXPECT_EQ(kv.get("short")->value_or(""), "again");
  clock.advance(10'000'000);
  EXPECT_FALSE(kv.get("long")->has_value());
  EXPECT_EQ(kv.get("forever")->value_or(""), "3");
}

TEST(MemoryKeyValue, SetRefreshesTheTtl) {
  FakeClock clock;
  MemoryKeyValue kv(options(10, 1, clock.fn()));
  ASSERT_TRUE(kv.set("k", "1", 100).isOk());
  clock.advance(80);
  ASSERT_TRUE(kv.set("k", "2", 100).isOk());
  clock.advance(80);
  EXPECT_EQ(kv.get("k")->value_or(""), "2");
}

TEST(MemoryKeyValue, EvictsTheLeastRecentlyUsedWhenFull) {
  MemoryKeyValue kv(options(3, 1));
  ASSERT_TRUE(kv.set("a", "1", 0).isOk());
  ASSERT_TRUE(kv.set("b", "2", 0).isOk());
  ASSERT_TRUE(kv.set("c", "3", 0).isOk());
  ASSERT_TRUE(kv.get("a")->has_value());  // a is now the most recently used; b the least
  ASSERT_TRUE(*kv.setIfAbsent("d", "4", 0));
  EXPECT_EQ(kv.size(), 3u);
  EXPECT_FALSE(kv.get("b")->has_value());
  EXPECT_TRUE(kv.get("a")->has_value());
  EXPECT_TRUE(kv.get("c")->has_value());
  EXPECT_TRUE(kv.get("d")->has_value());
}

TEST(MemoryKeyValue, CapacityHoldsAcrossShards) {
  MemoryKeyValue kv(options(64, 8));
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(kv.set("k" + std::to_string(i), "v", 0).isOk());
  EXPECT_LE(kv.size(), 64u);
  EXPECT_GE(kv.size(), 8u);
  EXPECT_TRUE(kv.get("k999")->has_value());  // the newest entry survives
}

TEST(MemoryKeyValue, RejectsBadArguments) {
  MemoryKeyValue kv;
  EXPECT_EQ(kv.setIfAbsent("", "v", 10).status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.setIfAbsent("k", "v", -1).status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.set("k", "v", -5).code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.get("").status().code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.remove("").code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(kv.get(std::string(5000, 'x')).status().code(), sdk::ErrorCode::kValidation);
}

TEST(MemoryKeyValue, ExactlyOneWinnerPerKeyUnderConcurrency) {
  MemoryKeyValue kv(options(100000, 16));
  constexpr int kThreads = 8;
  constexpr int kKeys = 2000;
  std::atomic<int> wins{0};
  std::vector<std::atomic<int>> winsPerKey(kKeys);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        int k = (i + t * 97) % kKeys;  // threads walk the keys in different orders
        auto r = kv.setIfAbsent("key" + std::to_string(k), std::to_string(t), 60000);
        if (r.isOk() && *r) {
          ++wins;
          ++winsPerKey[k];
        }
        (void)kv.get("key" + std::to_string((k + 1) % kKeys));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), kKeys);
  for (int k = 0; k < kKeys; ++k) ASSERT_EQ(winsPerKey[k].load(), 1) << "key" << k;
  EXPECT_EQ(kv.size(), static_cast<std::size_t>(kKeys));
}

}  // namespace
}  // namespace chathost::host
