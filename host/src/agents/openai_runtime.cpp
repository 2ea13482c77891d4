#include "agents/openai_runtime.h"

#include "agents/remote_call.h"
#include "common/json_io.h"

#include <chathost/sdk/json.h>

#include <algorithm>
#include <charconv>
#include <set>

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

std::string_view trimBlanks(std::string_view text) {
  const char* blanks = " \t\r\n";
  auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

/// A string content, or the text parts of a content array joined; nullopt for anything else.
std::optional<std::string> contentText(const json::Var& content) {
  if (json::isString(content)) return content.extract<std::string>();
  auto parts = json::asArray(content);
  if (!parts) return std::nullopt;
  std::string text;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    auto part = json::asObject(parts->get(static_cast<unsigned>(i)));
    if (!part || stringMember(part, "type") != "text") continue;  // images, refusals, reasoning
    text += stringMember(part, "text");
  }
  return text;
}

void readUsage(const json::ObjectPtr& answer, TokenUsage& usage) {
  auto counts = json::asObject(answer->get("usage"));
  if (!counts) return;
  auto tokens = [&counts](const char* name) {
    auto n = json::asInteger(counts->get(name));
    return n && *n > 0 ? *n : 0;
  };
  usage.prompt = tokens("prompt_tokens");
  usage.completion = tokens("completion_tokens");
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
  if (auto m = json::asInteger(obj->get("max_tokens"))) config.maxTokens = static_cast<int>(*m);
  if (auto extra = json::asObject(obj->get("extra_body"))) {
    for (const auto& name : json::names(extra))
      config.extraBody.emplace_back(name, json::toText(extra->get(name)));
  }
  return config;
}

std::string chatCompletionsUrl(const std::string& baseUrl) {
  std::string url = baseUrl;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/chat/completions";
}

std::string buildChatRequest(const OpenAiConfig& config, const host::AgentTurn& turn) {
  struct Message {
    std::string_view role;
    std::string content;
  };
  std::vector<Message> turns;
  auto add = [&turns](std::string_view role, const std::string& content) {
    if (!turns.empty() && turns.back().role == role) {
      turns.back().content += "\n\n" + content;
    } else if (!turns.empty() || role != "assistant") {
      turns.push_back({role, content});
    }
  };
  std::size_t keep = static_cast<std::size_t>(std::max(config.history, 0));
  std::size_t first = turn.history.size() > keep ? turn.history.size() - keep : 0;
  for (std::size_t i = first; i < turn.history.size(); ++i) {
    const auto& item = turn.history[i];
    if (item.text.empty()) continue;  // attachments only: nothing a text model can use
    add(item.direction == "outbound" ? "assistant" : "user", item.text);
  }
  add("user", turn.text);

  std::string messages;
  auto write = [&messages](std::string_view role, const std::string& content) {
    if (!messages.empty()) messages.push_back(',');
    messages +=
        "{\"role\":" + sdk::jsonQuote(role) + ",\"content\":" + sdk::jsonQuote(content) + "}";
  };
  if (!config.systemPrompt.empty()) write("system", config.systemPrompt);
  for (const auto& m : turns) write(m.role, m.content);

  std::string body =
      "{\"model\":" + sdk::jsonQuote(config.model) + ",\"messages\":[" + messages + "]";
  std::set<std::string, std::less<>> written = {"model", "messages", "stream"};
  if (config.temperature) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *config.temperature);
    body += ",\"temperature\":" + std::string(buf, res.ptr);
    written.insert("temperature");
  }
  if (config.maxTokens) {
    body += ",\"max_tokens\":" + std::to_string(*config.maxTokens);
    written.insert("max_tokens");
  }
  // Validation keeps extra_body off these members; skipping them here keeps the body free of
  // duplicate members whatever a stored config holds.
  for (const auto& [name, value] : config.extraBody) {
    if (!written.insert(name).second) continue;
    body += "," + sdk::jsonQuote(name) + ":" + value;
  }
  return body + "}";
}

std::string stripThinking(std::string_view text) {
  static constexpr std::string_view kOpen = "<think>";
  static constexpr std::string_view kClose = "</think>";
  // Tags are ASCII: a lower-cased copy finds them at the same offsets.
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  std::size_t pos = 0;
  auto firstOpen = lower.find(kOpen);
  auto firstClose = lower.find(kClose);
  if (firstClose != std::string::npos && firstClose < firstOpen) pos = firstClose + kClose.size();
  std::string out;
  while (pos < text.size()) {
    auto open = lower.find(kOpen, pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    auto close = lower.find(kClose, open + kOpen.size());
    if (close == std::string::npos) {
      // Cut while reasoning: nothing to say. After a visible answer it is the answer's text.
      if (!trimBlanks(out).empty()) out += text.substr(open);
      break;
    }
    pos = close + kClose.size();
  }
  return std::string(trimBlanks(out));
}

sdk::Result<host::AgentReply> parseChatResponse(const sdk::HttpResponse& response,
                                                const std::string& apiKey, TokenUsage* usage) {
  if (!isSuccessStatus(response.status)) {
    return httpStatusFailure(kWho, response.status,
                             scrubSecrets(errorDetail(response.body), {apiKey}));
  }
  auto parsed = json::parse(response.body);
  auto obj = parsed ? json::asObject(*parsed) : json::ObjectPtr();
  if (!obj) return sdk::Status(sdk::ErrorCode::kApiError, "openai agent: the answer is not JSON");
  if (usage) readUsage(obj, *usage);
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
  auto text = contentText(content);
  if (!text) {
    return sdk::Status(sdk::ErrorCode::kApiError,
                       "openai agent: choices[0].message.content is neither a string nor an "
                       "array of content parts");
  }
  std::string reply = stripThinking(*text);
  if (reply.empty()) return host::AgentReply{};
  host::AgentReply answer;
  answer.text = std::move(reply);
  return answer;
}

sdk::Result<host::AgentReply> openAiReply(const std::string& configJson,
                                          const host::AgentTurn& turn, sdk::HttpClient& http,
                                          const EnvLookup& env, TokenUsage* usage) {
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
    return parseChatResponse(*response, *key, usage);
  } catch (const std::exception& e) {
    return sdk::Status(sdk::ErrorCode::kInternal,
                       std::string("openai agent: unexpected error: ") + e.what());
  }
}

}  // namespace chathost::host
