#pragma once
// The "openai" agent: any OpenAI-compatible chat-completions endpoint.

#include "agents/env_ref.h"

#include <chathost/sdk/http_client.h>
#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <optional>
#include <string>

namespace chathost::host {

/// An openai config with defaults applied. `apiKey` is as written (maybe a `${VAR}` reference).
struct OpenAiConfig {
  std::string baseUrl;
  std::string model;
  std::string apiKey;
  std::string systemPrompt;
  int history = 10;
  int timeoutMs = 20000;
  std::optional<double> temperature;
};

/// Parses a validated openai config; kValidation when it is not one.
sdk::Result<OpenAiConfig> parseOpenAiConfig(const std::string& configJson);

/// `<baseUrl>/chat/completions` without a doubled slash.
std::string chatCompletionsUrl(const std::string& baseUrl);

/// The request body: model, messages (system prompt, the last `history` turns as user/assistant,
/// then the incoming text as user) and temperature when set. Pure.
std::string buildChatRequest(const OpenAiConfig& config, const host::AgentTurn& turn);

/// Reads `choices[0].message.content` of a 2xx answer (null or empty = no reply); a non-2xx answer
/// is kApiError carrying the endpoint's error message with `apiKey` masked out.
sdk::Result<host::AgentReply> parseChatResponse(const sdk::HttpResponse& response,
                                                const std::string& apiKey);

/// One turn: resolves `${VAR}` in api_key from `env` at call time, POSTs with
/// `Authorization: Bearer <key>` and the configured timeout. Errors never contain the key.
sdk::Result<host::AgentReply> openAiReply(const std::string& configJson,
                                          const host::AgentTurn& turn, sdk::HttpClient& http,
                                          const EnvLookup& env);

}  // namespace chathost::host
