#pragma once
// The answer of a turn refused because its agent already runs agents.max_concurrent_per_agent
// turns, and how the conversation engine tells it from a failure: the event is offered again
// shortly instead of waiting on a worker thread. Also how it tells a permanent failure (the
// endpoint refused the request for good) from a transient one. Header-only: the engine knows
// agents only through host::Agents.

#include <chathost/sdk/status.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace chathost::host {

inline constexpr std::string_view kAgentBusyPrefix = "agent busy: ";

/// kUnavailable starting with kAgentBusyPrefix.
inline sdk::Status agentBusy(const std::string& agentId, int limit) {
  return {sdk::ErrorCode::kUnavailable,
          std::string(kAgentBusyPrefix) + "agent " + agentId + " already runs " +
              std::to_string(limit) +
              " turns at once (agents.max_concurrent_per_agent); the event is retried shortly"};
}

inline bool isAgentBusy(const sdk::Status& status) {
  return status.code() == sdk::ErrorCode::kUnavailable &&
         std::string_view(status.message()).substr(0, kAgentBusyPrefix.size()) == kAgentBusyPrefix;
}

/// True for the HTTP statuses of an agent endpoint that the same request would get again: 400,
/// 401, 403, 404 and 422. 408, 409 and 429 are worth retrying, like 5xx.
inline bool isPermanentHttpStatus(int status) {
  return status == 400 || status == 401 || status == 403 || status == 404 || status == 422;
}

/// The code an endpoint's permanent refusal carries: kAuthFailed for 401 and 403 (the key or
/// token), kValidation for the others (the request itself).
inline sdk::ErrorCode permanentHttpStatusCode(int status) {
  return status == 401 || status == 403 ? sdk::ErrorCode::kAuthFailed : sdk::ErrorCode::kValidation;
}

/// A turn the agent's endpoint refused for good: retrying the event only spends its budget.
/// Agent runtimes return these two codes for nothing else.
inline bool isAgentPermanent(const sdk::Status& status) {
  return status.code() == sdk::ErrorCode::kAuthFailed ||
         status.code() == sdk::ErrorCode::kValidation;
}

/// Delay before a refused turn's event is offered again: 200 to 600 ms from `unitRandom` in
/// [0, 1), so the refused events of one agent do not all come back at the same moment. Pure.
inline std::int64_t agentBusyRetryDelayMs(double unitRandom) {
  return 200 + static_cast<std::int64_t>(400.0 * std::clamp(unitRandom, 0.0, 1.0));
}

}  // namespace chathost::host
