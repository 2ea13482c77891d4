#pragma once
// The operator's limits on tenants' agent configs (the `agents:` config section): which
// environment variables they may reference, how long their calls may take, which addresses
// their endpoints may be, and how many turns of one agent may run at once. Checked when an agent
// is created or updated, and enforced again when a turn runs, for agents stored earlier.

#include "outbound/egress_policy.h"

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chathost::host {

struct AgentPolicy {
  std::vector<std::string> envAllowlist = {"CHATHOST_AGENT_*"};
  std::int64_t maxTimeoutMs = 30000;
  /// Turns of one agent (subaccount and id) that may run at once; more are refused (busy).
  int maxConcurrentPerAgent = 4;
  /// Built from agents.allow_networks: endpoint URLs holding a literal address it refuses are
  /// refused at create/update (agents/endpoint_address_check.h).
  EgressPolicy egress;
};

/// The timeout the openai and http runtimes use when a config sets none.
inline constexpr std::int64_t kRuntimeDefaultTimeoutMs = 20000;

/// kValidation naming the field (e.g. "config.api_key", "config.headers.Authorization") when a
/// string anywhere in `configJson` references a variable the allowlist does not allow, or when
/// `timeout_ms` is above the cap. Ok for configs that are not JSON objects (checked elsewhere).
sdk::Status checkAgentPolicy(const std::string& configJson, const AgentPolicy& policy);

/// The same reference check for a config about to run: kInternal naming the field, so a turn
/// of an agent stored before the allowlist existed fails instead of reading the variable.
sdk::Status checkEnvRefsForTurn(const std::string& configJson, const AgentPolicy& policy);

/// `configJson` with `timeout_ms` cut to the cap (also set when absent and the runtimes' default
/// is above the cap). Unparseable input is returned unchanged.
std::string capAgentTimeout(const std::string& configJson, std::int64_t maxTimeoutMs);

}  // namespace chathost::host
