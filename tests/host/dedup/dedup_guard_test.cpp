#include "dedup/dedup_guard.h"
#include "dedup/memory_key_value.h"
#include "dedup/redis_error.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

class CountingCounter : public sdk::Counter {
 public:
  void inc(double by) override { total += by; }
  double total = 0;
};

// A store that always fails with the given code.
class FailingKeyValue : public sdk::KeyValue {
 public:
  explicit FailingKeyValue(sdk::ErrorCode code) : code_(code) {}
  sdk::Result<bool> setIfAbsent(const std::string&, const std::string&, std::int64_t) override {
    ++calls;
    return sdk::Status(code_, "down");
  }
  sdk::Result<std::optional<std::string>> get(const std::string&) override {
    return sdk::Status(code_, "down");
  }
  sdk::Status set(const std::string&, const std::string&, std::int64_t) override {
    return sdk::Status(code_, "down");
  }
  sdk::Status remove(const std::string&) override { return sdk::Status(code_, "down"); }
  int calls = 0;

 private:
  sdk::ErrorCode code_;
};

TEST(DedupGuard, FirstSeenOnceThenDuplicate) {
  MemoryKeyValue kv;
  CountingCounter unavailable;
  auto first = firstSeen(kv, "ig:mid.1", 60000, &unavailable);
  ASSERT_TRUE(first.isOk());
  EXPECT_TRUE(*first);
  auto again = firstSeen(kv, "ig:mid.1", 60000, &unavailable);
  ASSERT_TRUE(again.isOk());
  EXPECT_FALSE(*again);
  EXPECT_TRUE(*firstSeen(kv, "ig:mid.2", 60000));
  EXPECT_EQ(unavailable.total, 0);
}

TEST(DedupGuard, UnavailableStoreMeansProcessAndIsCounted) {
  FailingKeyValue kv(sdk::ErrorCode::kUnavailable);
  CountingCounter unavailable;
  auto r = firstSeen(kv, "ig:mid.1", 60000, &unavailable);
  ASSERT_TRUE(r.isOk());
  EXPECT_TRUE(*r);
  EXPECT_TRUE(*firstSeen(kv, "ig:mid.1", 60000, &unavailable));
  EXPECT_EQ(unavailable.total, 2);
  EXPECT_EQ(kv.calls, 2);
  EXPECT_TRUE(*firstSeen(kv, "ig:mid.1", 60000, nullptr));  // no counter is fine
}

TEST(DedupGuard, OtherErrorsArePassedOn) {
  FailingKeyValue kv(sdk::ErrorCode::kInternal);
  CountingCounter unavailable;
  auto r = firstSeen(kv, "k", 1000, &unavailable);
  EXPECT_EQ(r.status().code(), sdk::ErrorCode::kInternal);
  EXPECT_EQ(unavailable.total, 0);
  MemoryKeyValue memory;
  EXPECT_EQ(firstSeen(memory, "", 1000).status().code(), sdk::ErrorCode::kValidation);
}

TEST(RedisErrorCode, TransientRepliesAreUnavailable) {
  EXPECT_EQ(redisErrorCode("LOADING Redis is loading the dataset in memory"),
            sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(redisErrorCode("READONLY You can't write against a read only replica."),
            sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(redisErrorCode("NOAUTH Authentication required."), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(redisErrorCode("OOM command not allowed"), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(redisErrorCode("WRONGTYPE Operation against a key holding the wrong kind of value"),
            sdk::ErrorCode::kInternal);
  EXPECT_EQ(redisErrorCode("ERR syntax error"), sdk::ErrorCode::kInternal);
  EXPECT_EQ(redisErrorCode("BUSYKEY Target key name already exists."), sdk::ErrorCode::kInternal);
  EXPECT_EQ(redisErrorCode(""), sdk::ErrorCode::kInternal);
}

}  // namespace
}  // namespace chathost::host
