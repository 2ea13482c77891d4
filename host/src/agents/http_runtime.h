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

/// Reads `reply` of a 2xx JSON answer (missing, null or empty = no text) and its attachments:
/// `attachment` ({type, url}) and the items of `attachments`, in that order, at most
/// kMaxReplyAttachments (agents/reply_attachment.h). An attachment that is not valid, or one over
/// the limit, is left out and explained in `warnings` (when not null): the text still goes out.
/// Non-2xx (httpStatusFailure) or an answer that is not a JSON object is an error. `secrets` are
/// masked out of error messages.
sdk::Result<host::AgentReply> parseHttpAgentResponse(const sdk::HttpResponse& response,
                                                     const std::vector<std::string>& secrets,
                                                     std::vector<std::string>* warnings = nullptr);

/// One turn: POSTs the turn to `url` with the configured headers (`${VAR}` resolved from `env`
/// at call time) and timeout. `warnings` as in parseHttpAgentResponse.
sdk::Result<host::AgentReply> httpAgentReply(const std::string& configJson,
                                             const host::AgentTurn& turn, sdk::HttpClient& http,
                                             const EnvLookup& env,
                                             std::vector<std::string>* warnings = nullptr);

}  // namespace chathost::host
