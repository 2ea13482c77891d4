#pragma once
// The "openai" agent: any OpenAI-compatible chat-completions endpoint.

#include "agents/env_ref.h"

#include <chathost/sdk/http_client.h>
#include <chathost/sdk/status.h>
#include "agents/agents.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  std::optional<int> maxTokens;
  /// extra_body's members in order, each value as compact JSON text.
  std::vector<std::pair<std::string, std::string>> extraBody;
};

/// The tokens an answer says it used (`usage`); 0 when it does not say.
struct TokenUsage {
  std::int64_t prompt = 0;
  std::int64_t completion = 0;
};

/// Parses a validated openai config; kValidation when it is not one.
sdk::Result<OpenAiConfig> parseOpenAiConfig(const std::string& configJson);

/// `<baseUrl>/chat/completions` without a doubled slash.
std::string chatCompletionsUrl(const std::string& baseUrl);

/// The request body: model, messages, then temperature and max_tokens when set, then the members
/// of extra_body. Messages are the system prompt, the last `history` turns as user/assistant and
/// the incoming text as user, shaped for strict chat templates (which alternate user and
/// assistant after the system prompt): consecutive turns of one role are merged into one, their
/// texts joined by a blank line, and a leading assistant turn is left out. Pure.
std::string buildChatRequest(const OpenAiConfig& config, const host::AgentTurn& turn);

/// `text` without reasoning: every `<think>...</think>` block, an unterminated `<think>` block
/// with nothing but blanks before it (the answer was cut while reasoning), and everything up to a
/// `</think>` that no `<think>` opened (templates that open the block in the prompt); then
/// trimmed of blanks. Tags match case-insensitively. Pure.
std::string stripThinking(std::string_view text);

/// Reads `choices[0].message.content` of a 2xx answer: a string or an array of content parts
/// (the `text` of parts of type "text", joined; other parts ignored), reasoning stripped
/// (stripThinking). Null, empty or only reasoning = no reply. `usage` (when not null) gets the
/// answer's `usage.prompt_tokens` and `usage.completion_tokens`. A non-2xx answer is an error
/// carrying the endpoint's error message with `apiKey` masked out (httpStatusFailure).
sdk::Result<host::AgentReply> parseChatResponse(const sdk::HttpResponse& response,
                                                const std::string& apiKey,
                                                TokenUsage* usage = nullptr);

/// One turn: resolves `${VAR}` in api_key from `env` at call time, POSTs with
/// `Authorization: Bearer <key>` and the configured timeout. Errors never contain the key.
/// `usage` as in parseChatResponse.
sdk::Result<host::AgentReply> openAiReply(const std::string& configJson,
                                          const host::AgentTurn& turn, sdk::HttpClient& http,
                                          const EnvLookup& env, TokenUsage* usage = nullptr);

}  // namespace chathost::host
