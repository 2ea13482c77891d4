#include "connection_cache.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;

namespace {

// A store whose lookups can run a hook while "in flight".
class HookedStore : public chathost::sdk::testing::FakeConnectionStore {
 public:
  std::function<void()> duringGet;
  int gets = 0;
  chathost::sdk::Result<std::optional<chathost::sdk::Connection>> get(
      const std::string& subaccountId, const std::string& agentId,
      const std::string& channel) override {
    ++gets;
    if (duringGet) std::exchange(duringGet, nullptr)();
    return FakeConnectionStore::get(subaccountId, agentId, channel);
  }
};

TEST(ConnectionCache, KeepsLookupsForItsTtl) {
  Harness h;
  HookedStore store;
  store.put(h.connection());
  ConnectionCache cache{store, 2000, [&h] { return h.now; }};
  ASSERT_TRUE(cache.byAgent("sub1", "agent1").isOk());
  ASSERT_TRUE(cache.byAgent("sub1", "agent1").isOk());
  EXPECT_EQ(store.gets, 1);
  h.now += 2001;
  ASSERT_TRUE(cache.byAgent("sub1", "agent1").isOk());
  EXPECT_EQ(store.gets, 2);
}

// A lookup that was under way when the connection changed must not be kept: it may hold the
// old token.
TEST(ConnectionCache, ALoadOverlappingAnInvalidationIsNotKept) {
  Harness h;
  HookedStore store;
  store.put(h.connection());
  ConnectionCache cache{store, 60000, [&h] { return h.now; }};
  store.duringGet = [&] { cache.invalidateAll(); };
  ASSERT_TRUE(cache.byAgent("sub1", "agent1").isOk());
  ASSERT_TRUE(cache.byAgent("sub1", "agent1").isOk());
  EXPECT_EQ(store.gets, 2);
}

}  // namespace
