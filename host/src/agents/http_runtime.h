#pragma once
// The "http" agent: the operator's own endpoint answers each turn.

#include "agents/env_ref.h"

#include <chathost/sdk/http_client.h>
#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <string>
#include <utility>
#include <vector>

namespace chathost::host {

/// An http config with defaults applied; header values as written (maybe `${VAR}` references).
struct HttpAgentConfig {
  std::string url;
  int timeoutMs = 20000;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Parses a validated http config; kValidation when it is not one.
sdk::Result<HttpAgentConfig> parseHttpAgentConfig(const std::string& configJson);

/// `{agentId, subaccountId, chatId, channel, userId, text, history:[{direction,text,timestamp}]}`.
std::string buildHttpAgentRequest(const host::AgentTurn& turn);

/// Reads `reply` of a 2xx JSON answer (missing, null or empty = no reply); non-2xx or an answer
/// that is not a JSON object is kApiError. `secrets` are masked out of error messages.
sdk::Result<host::AgentReply> parseHttpAgentResponse(const sdk::HttpResponse& response,
                                                     const std::vector<std::string>& secrets);

/// One turn: POSTs the turn to `url` with the configured headers (`${VAR}` resolved from `env`
/// at call time) and timeout.
sdk::Result<host::AgentReply> httpAgentReply(const std::string& configJson,
                                             const host::AgentTurn& turn, sdk::HttpClient& http,
                                             const EnvLookup& env);

}  // namespace chathost::host
