#pragma once
// Validation of agent create/patch bodies and of each agent type's config (SPEC section 6).
// Every error is a kValidation Status whose message names the offending field.

#include "agents/agent_policy.h"

#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <string>

namespace chathost::host {

inline constexpr std::size_t kMaxAgentNameChars = 200;
inline constexpr std::size_t kMaxRules = 500;
/// The most an openai config's extra_body may hold, as compact JSON.
inline constexpr std::size_t kMaxExtraBodyBytes = 16 * 1024;

/// A new agent from a POST body: `name` (required), `type` (default "rules"), `config` (default
/// {}), `id` (optional, else "agt_" + 16 random hex digits). createdAt/updatedAt are left 0 for
/// the store. The config must also satisfy the operator's `policy` (env references, timeout cap).
/// Pure apart from the random id; any thread.
sdk::Result<sdk::AgentInfo> parseAgentCreate(const std::string& body,
                                             const std::string& subaccountId,
                                             const AgentPolicy& policy = {});

/// `current` updated by a PATCH body: name/type/config each optional, config replaced as a whole;
/// `id` may be repeated but not changed. The resulting type/config pair is validated, and masked
/// secrets sent back unchanged keep their real value (`current` must hold them opened). The result
/// must satisfy `policy`, even when only the name changes.
sdk::Result<sdk::AgentInfo> applyAgentPatch(const std::string& body, const sdk::AgentInfo& current,
                                            const AgentPolicy& policy = {});

/// Checks `configJson` (an object's JSON text) against `type`'s schema; unknown keys are errors.
sdk::Status validateAgentConfig(const std::string& type, const std::string& configJson);

/// True for 1-64 characters of A-Z a-z 0-9 _ -.
bool isValidAgentId(const std::string& id);

}  // namespace chathost::host
