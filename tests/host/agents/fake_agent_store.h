#pragma once
// An in-memory AgentStore for tests.

#include "storage/storage.h"

#include <map>
#include <mutex>

namespace chathost::testing {

class FakeAgentStore : public host::AgentStore {
 public:
  sdk::Result<sdk::AgentInfo> create(const sdk::AgentInfo& agent) override {
    std::lock_guard lock(mutex_);
    if (agents_.count({agent.subaccountId, agent.id}))
      return sdk::Status(sdk::ErrorCode::kConflict, "id taken");
    auto stored = agent;
    stored.createdAt = stored.updatedAt = ++clock_;
    agents_[{agent.subaccountId, agent.id}] = stored;
    return stored;
  }
  sdk::Result<std::optional<sdk::AgentInfo>> get(const std::string& subaccountId,
                                                 const std::string& agentId) override {
    std::lock_guard lock(mutex_);
    ++gets_;
    if (failing_) return sdk::Status::unavailable("database down");
    auto it = agents_.find({subaccountId, agentId});
    if (it == agents_.end()) return std::optional<sdk::AgentInfo>{};
    return std::optional<sdk::AgentInfo>{it->second};
  }
  sdk::Result<host::AgentPage> list(const std::string&, int, int) override {
    return sdk::Status::internal("not used");
  }
  sdk::Result<sdk::AgentInfo> update(const sdk::AgentInfo& agent) override {
    std::lock_guard lock(mutex_);
    auto stored = agent;
    stored.updatedAt = ++clock_;
    agents_[{agent.subaccountId, agent.id}] = stored;
    return stored;
  }
  sdk::Status remove(const std::string& subaccountId, const std::string& agentId) override {
    std::lock_guard lock(mutex_);
    agents_.erase({subaccountId, agentId});
    return sdk::Status::ok();
  }
  /// How many times get() was called.
  int gets() {
    std::lock_guard lock(mutex_);
    return gets_;
  }
  void setFailing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, sdk::AgentInfo> agents_;  // (subaccount, id)
  std::int64_t clock_ = 1000;
  bool failing_ = false;
  int gets_ = 0;
};

}  // namespace chathost::testing
