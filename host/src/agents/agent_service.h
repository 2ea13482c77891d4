#pragma once
// The host's host::Agents: looks agents up in the store and runs a turn with the agent's runtime.

#include "agents/agent_policy.h"
#include "agents/env_ref.h"

#include <chathost/sdk/http_client.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/metrics.h>
#include "agents/agents.h"

#include <memory>
#include <optional>
#include <string>

namespace chathost::host {

class AgentStore;
class SecretCipher;

/// Thread-safe. The references must outlive the service. reply() blocks for as long as the
/// agent's endpoint takes (bounded by its timeout_ms): call it from worker threads only. Every
/// reply() must have returned before the service is destroyed.
class AgentService : public host::Agents {
 public:
  /// Turns only see the variables `policy` allows, run within its timeout cap, and get the
  /// config's sealed secrets opened with `cipher` (null: configs hold no sealed secrets).
  AgentService(AgentStore& store, sdk::HttpClient& http, sdk::Metrics& metrics, sdk::Logger& logger,
               EnvLookup env = processEnv(), AgentPolicy policy = {},
               const SecretCipher* cipher = nullptr);
  ~AgentService() override;

  sdk::Result<std::optional<sdk::AgentInfo>> find(const std::string& subaccountId,
                                                  const std::string& agentId) override;
  /// Reads the agent once for the whole turn: the agent it reads serves the reply() for the same
  /// agent that follows within a few seconds, so the turn costs no more storage reads than a
  /// reply() alone. A storage failure gives 10, an unknown agent 0.
  int historyWanted(const std::string& subaccountId, const std::string& agentId) override;
  /// kAgentNotFound when the turn's agent is not in its subaccount; kApiError when the agent's
  /// endpoint failed, kTimeout when it did not answer in time, and isAgentPermanent() codes
  /// (agents/agent_busy.h) when it refused the request for good. Counted in
  /// chathost_agent_turns_total{type,outcome} (outcome: replied, silent, error, timeout, busy),
  /// chathost_agent_turn_duration_seconds{type} and, for the tokens openai endpoints report,
  /// chathost_agent_tokens_total{kind} (kind: prompt, completion). An http agent's attachments
  /// that are left out are logged as warnings.
  ///
  /// An openai or http agent that already runs policy.maxConcurrentPerAgent turns gets no more:
  /// the call returns at once with agentBusy() (agents/agent_busy.h), outcome "busy". rules
  /// agents are not bounded: they answer in microseconds without leaving the process.
  sdk::Result<host::AgentReply> reply(const host::AgentTurn& turn) override;

  /// Runs a turn for an agent already at hand (no store lookup), bounded like reply().
  sdk::Result<host::AgentReply> replyWith(const sdk::AgentInfo& agent, const host::AgentTurn& turn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathost::host
