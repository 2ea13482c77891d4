#pragma once
// Bounds how many turns of one agent run at once (agents.max_concurrent_per_agent). A turn over
// the bound is refused at once rather than queued: a worker thread waiting for a slot of an
// agent whose endpoint hangs would be as lost to the other tenants as one inside the call.

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace chathost::host {

/// Thread-safe. Agents are named by subaccount and id (ids repeat across subaccounts).
class AgentTurnLimiter {
 public:
  /// One running turn's place; given back when destroyed, so every way out of a turn (answer,
  /// error, exception) frees it. Empty (false) when the turn was refused.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class AgentTurnLimiter;
    Slot(AgentTurnLimiter* owner, std::pair<std::string, std::string> agent)
        : owner_(owner), agent_(std::move(agent)) {}
    void release();

    AgentTurnLimiter* owner_ = nullptr;
    std::pair<std::string, std::string> agent_;  // subaccount, agent id
  };

  /// `maxPerAgent` below 1 counts as 1.
  explicit AgentTurnLimiter(int maxPerAgent);
  AgentTurnLimiter(const AgentTurnLimiter&) = delete;
  AgentTurnLimiter& operator=(const AgentTurnLimiter&) = delete;

  /// A slot when fewer than maxPerAgent() turns of the agent are running, else an empty one.
  /// Never waits. Slots must not outlive the limiter.
  Slot tryAcquire(const std::string& subaccountId, const std::string& agentId);

  /// Turns of the agent holding a slot now.
  int running(const std::string& subaccountId, const std::string& agentId) const;
  int maxPerAgent() const { return maxPerAgent_; }

 private:
  void release(const std::pair<std::string, std::string>& agent);

  const int maxPerAgent_;
  mutable std::mutex mutex_;
  // Only agents with a running turn: the map stays as small as the work in flight.
  std::map<std::pair<std::string, std::string>, int> running_;
};

}  // namespace chathost::host
