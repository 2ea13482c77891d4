#include "conversation/connection_cache.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using chathost::host::ConnectionCache;

namespace {

// A store whose lookups can run a hook while "in flight".
class HookedStore : public hostfakes::FakeConnectionStore {
 public:
  std::function<void()> duringGet;
  sdk::Result<std::optional<sdk::Connection>> get(const std::string& subaccountId,
                                                  const std::string& agentId,
                                                  const std::string& channel) override {
    if (duringGet) std::exchange(duringGet, nullptr)();
    return FakeConnectionStore::get(subaccountId, agentId, channel);
  }
};

struct ConnectionCacheTest : ::testing::Test {
  Harness h;
  HookedStore store;
  ConnectionCache cache{store, 2000, [this] { return h.now; }};
  ConnectionCacheTest() { store.put(h.connection()); }
};

}  // namespace

TEST_F(ConnectionCacheTest, KeepsLookupsForItsTtl) {
  ASSERT_TRUE(cache.byAgent("sub1", "agent1", kChannel).isOk());
  ASSERT_TRUE(cache.byAgent("sub1", "agent1", kChannel).isOk());
  EXPECT_EQ(store.getCalls(), 1);
  h.now += 2001;
  auto again = cache.byAgent("sub1", "agent1", kChannel);
  ASSERT_TRUE(again.isOk() && again->has_value());
  EXPECT_EQ((*again)->accountId, kAccount);
  EXPECT_EQ(store.getCalls(), 2);
}

TEST_F(ConnectionCacheTest, ANotConnectedAnswerIsCachedToo) {
  auto none = cache.byAgent("sub1", "nobody", kChannel);
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(cache.byAgent("sub1", "nobody", kChannel).isOk());
  EXPECT_EQ(store.getCalls(), 1);
}

TEST_F(ConnectionCacheTest, ErrorsAreNeverCached) {
  store.failWith = sdk::Status::unavailable("db down");
  EXPECT_EQ(cache.byAgent("sub1", "agent1", kChannel).status().code(),
            sdk::ErrorCode::kUnavailable);
  store.failWith.reset();
  auto found = cache.byAgent("sub1", "agent1", kChannel);
  ASSERT_TRUE(found.isOk());
  EXPECT_TRUE(found->has_value());
}

TEST_F(ConnectionCacheTest, SubaccountAndChannelAreKeptApart) {
  auto other = h.connection();
  other.subaccountId = "sub2";
  other.accountId = "acct-2";
  store.put(other);
  EXPECT_EQ((*cache.byAgent("sub1", "agent1", kChannel))->accountId, kAccount);
  EXPECT_EQ((*cache.byAgent("sub2", "agent1", kChannel))->accountId, "acct-2");
  EXPECT_FALSE(cache.byAgent("sub1", "agent1", "otherchat")->has_value());
}

TEST_F(ConnectionCacheTest, LookupsByAccountAreCachedPerChannel) {
  auto found = cache.byAccount(kChannel, kAccount);
  ASSERT_TRUE(found.isOk() && found->has_value());
  EXPECT_EQ((*found)->agentId, "agent1");
  ASSERT_TRUE(cache.byAccount(kChannel, kAccount).isOk());
  EXPECT_EQ(store.findByAccountCalls(), 1);
  EXPECT_FALSE(cache.byAccount("otherchat", kAccount)->has_value());
  EXPECT_EQ(store.findByAccountCalls(), 2);
}

TEST_F(ConnectionCacheTest, InvalidateAllForgetsEverything) {
  ASSERT_TRUE(cache.byAgent("sub1", "agent1", kChannel).isOk());
  ASSERT_TRUE(cache.byAccount(kChannel, kAccount).isOk());
  store.disconnect("sub1", "agent1", kChannel);
  cache.invalidateAll();
  EXPECT_FALSE((*cache.byAgent("sub1", "agent1", kChannel))->connected);
  EXPECT_FALSE(cache.byAccount(kChannel, kAccount)->has_value());
  EXPECT_EQ(store.getCalls(), 2);
  EXPECT_EQ(store.findByAccountCalls(), 2);
}

// A lookup that was under way when the connection changed must not be kept: it may hold the
// old secrets.
TEST_F(ConnectionCacheTest, ALoadOverlappingAnInvalidationIsNotKept) {
  store.duringGet = [&] { cache.invalidateAll(); };
  ASSERT_TRUE(cache.byAgent("sub1", "agent1", kChannel).isOk());
  ASSERT_TRUE(cache.byAgent("sub1", "agent1", kChannel).isOk());
  EXPECT_EQ(store.getCalls(), 2);
}
