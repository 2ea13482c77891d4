#include "agents/openai_runtime.h"

#include "agents/remote_call.h"
#include "common/json_io.h"

#include <chathost/sdk/json.h>

#include <charconv>

namespace chathost::host {
namespace {

const char* const kWho = "openai agent";

std::string stringMember(const json::ObjectPtr& obj, const std::string& name) {
  json::Var v = obj->get(name);
  return json::isString(v) ? v.extract<std::string>() : std::string();
}

/// The endpoint's own explanation of a failure: `error.message`, `error` or `message`.
std::string errorDetail(const std::string& body) {
  auto parsed = json::parse(body);
  if (!parsed) return {};
  auto obj = json::asObject(*parsed);
  if (!obj) return {};
  if (auto err = json::asObject(obj->get("error"))) return stringMember(err, "message");
  if (json::isString(obj->get("error"))) return stringMember(obj, "error");
  return stringMember(obj, "message");
}

}  // namespace

sdk::Result<OpenAiConfig> parseOpenAiConfig(const std::string& configJson) {
  auto parsed = json::parse(configJson);
  if (!parsed) return sdk::Status::validation("config is not valid JSON");
  auto obj = json::asObject(*parsed);
  if (!obj) return sdk::Status::validation("config must be an object");
  OpenAiConfig config;
  config.baseUrl = stringMember(obj, "base_url");
  config.model = stringMember(obj, "model");
  config.apiKey = stringMember(obj, "api_key");
  config.systemPrompt = stringMember(obj, "system_prompt");
  if (config.baseUrl.empty()) return sdk::Status::validation("config.base_url is required");
  if (config.model.empty()) return sdk::Status::validation("config.model is required");
  if (auto h = json::asInteger(obj->get("history"))) config.history = static_cast<int>(*h);
  if (auto t = json::asInteger(obj->get("timeout_ms"))) config.timeoutMs = static_cast<int>(*t);
  config.temperature = json::asNumber(obj->get("temperature"));
  return config;
}

std::string chatCompletionsUrl(const std::string& baseUrl) {
  std::string url = baseUrl;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/chat/completions";
}

std::string buildChatRequest(const OpenAiConfig& config, const host::AgentTurn& turn) {
  std::string messages;
  auto add = [&messages](const char* role, const std::string& content) {
    if (!messages.empty()) messages.push_back(',');
    messages +=
        std::string("{\"role\":\"") + role + "\",\"content\":" + sdk::jsonQuote(content) + "}";
  };
  if (!config.systemPrompt.empty()) add("system", config.systemPrompt);
  std::size_t keep = static_cast<std::size_t>(std::max(config.history, 0));
  std::size_t first = turn.history.size() > keep ? turn.history.size() - keep : 0;
  for (std::size_t i = first; i < turn.history.size(); ++i) {
    const auto& item = turn.history[i];
    if (item.text.empty()) continue;  // attachments only: nothing a text model can use
    add(item.direction == "outbound" ? "assistant" : "user", item.text);
  }
  add("user", turn.text);
  std::string body =
      "{\"model\":" + sdk::jsonQuote(config.model) + ",\"messages\":[" + messages + "]";
  if (config.temperature) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *config.temperature);
    body += ",\"temperature\":" + std::string(buf, res.ptr);
  }
  return body + "}";
}

sdk::Result<host::AgentReply> parseChatResponse(const sdk::HttpResponse& response,
                                                const std::string& apiKey) {
  if (!isSuccessStatus(response.status)) {
    return httpStatusFailure(kWho, response.status,
                             scrubSecrets(errorDetail(response.body), {apiKey}));
  }
  auto parsed = json::parse(response.body);
  auto obj = parsed ? json::asObject(*parsed) : json::ObjectPtr();
  if (!obj) return sdk::Status(sdk::ErrorCode::kApiError, "openai agent: the answer is not JSON");
  auto choices = json::asArray(obj->get("choices"));
  if (!choices || choices->size() == 0) return host::AgentReply{};  // nothing to say
  auto first = json::asObject(choices->get(0));
  auto message = first ? json::asObject(first->get("message")) : json::ObjectPtr();
  if (!message) {
    return sdk::Status(sdk::ErrorCode::kApiError,
                       "openai agent: the answer has no choices[0].message");
  }
  json::Var content = message->get("content");
  if (json::isNull(content)) return host::AgentReply{};
  if (!json::isString(content)) {
    return sdk::Status(sdk::ErrorCode::kApiError,
                       "openai agent: choices[0].message.content is not a string");
  }
  std::string text = content.extract<std::string>();
  if (text.empty()) return host::AgentReply{};
  return host::AgentReply{std::move(text)};
}

sdk::Result<host::AgentReply> openAiReply(const std::string& configJson,
                                          const host::AgentTurn& turn, sdk::HttpClient& http,
                                          const EnvLookup& env) {
  try {
    auto config = parseOpenAiConfig(configJson);
    if (!config) {
      return sdk::Status(sdk::ErrorCode::kInternal,
                         "openai agent: unreadable config: " + config.status().message());
    }
    auto key = resolveEnvRefs(config->apiKey, "config.api_key", env);
    if (!key) return sdk::Status(key.status().code(), "openai agent: " + key.status().message());
    sdk::HttpRequest request;
    request.method = sdk::Method::kPost;
    request.url = chatCompletionsUrl(config->baseUrl);
    request.contentType = "application/json";
    request.body = buildChatRequest(*config, turn);
    request.timeoutMs = config->timeoutMs;
    request.headers.emplace_back("Accept", "application/json");
    if (!key->empty()) request.headers.emplace_back("Authorization", "Bearer " + *key);
    auto response = http.send(request);
    if (!response) {
      sdk::Status failure(response.status().code(),
                          scrubSecrets(response.status().message(), {*key}));
      return transportFailure(kWho, failure, config->timeoutMs);
    }
    auto reply = parseChatResponse(*response, *key);
    return reply;
  } catch (const std::exception& e) {
    return sdk::Status(sdk::ErrorCode::kInternal,
                       std::string("openai agent: unexpected error: ") + e.what());
  }
}

}  // namespace chathost::host
