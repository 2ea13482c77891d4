#pragma once
// The agent as the REST API shows it.

#include "agents/agents.h"

#include <cstdint>
#include <string>

namespace chathost::host {

/// `{"id","name","type","config":{...},"createdAt","updatedAt"}`: timestamps as ISO-8601 UTC with
/// milliseconds, secrets in config masked (see secret_mask.h). Pure; any thread.
std::string agentToJson(const sdk::AgentInfo& agent);

/// "2026-11-25T19:21:39.123Z" for `ms` since the epoch (UTC).
std::string formatIsoMillis(std::int64_t ms);

}  // namespace chathost::host
