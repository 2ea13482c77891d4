#include "agents/agent_turn_limiter.h"

#include <algorithm>

namespace chathost::host {

AgentTurnLimiter::Slot::Slot(Slot&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), agent_(std::move(other.agent_)) {}

AgentTurnLimiter::Slot& AgentTurnLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    agent_ = std::move(other.agent_);
  }
  return *this;
}

AgentTurnLimiter::Slot::~Slot() {
  release();
}

void AgentTurnLimiter::Slot::release() {
  if (owner_) std::exchange(owner_, nullptr)->release(agent_);
}

AgentTurnLimiter::AgentTurnLimiter(int maxPerAgent) : maxPerAgent_(std::max(1, maxPerAgent)) {}

AgentTurnLimiter::Slot AgentTurnLimiter::tryAcquire(const std::string& subaccountId,
                                                    const std::string& agentId) {
  auto agent = std::make_pair(subaccountId, agentId);
  std::lock_guard lock(mutex_);
  int& count = running_[agent];
  if (count >= maxPerAgent_) return Slot();
  ++count;
  return Slot(this, std::move(agent));
}

int AgentTurnLimiter::running(const std::string& subaccountId, const std::string& agentId) const {
  std::lock_guard lock(mutex_);
  auto it = running_.find({subaccountId, agentId});
  return it == running_.end() ? 0 : it->second;
}

void AgentTurnLimiter::release(const std::pair<std::string, std::string>& agent) {
  std::lock_guard lock(mutex_);
  auto it = running_.find(agent);
  if (it == running_.end()) return;
  if (--it->second <= 0) running_.erase(it);
}

}  // namespace chathost::host
