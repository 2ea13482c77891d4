#include "agents/http_runtime.h"

#include "agents/remote_call.h"
#include "agents/secret_mask.h"
#include "common/json_io.h"

#include <chathost/sdk/json.h>

namespace chathost::host {
namespace {

const char* const kWho = "http agent";

std::string stringMember(const json::ObjectPtr& obj, const std::string& name) {
  json::Var v = obj->get(name);
  return json::isString(v) ? v.extract<std::string>() : std::string();
}

}  // namespace

sdk::Result<HttpAgentConfig> parseHttpAgentConfig(const std::string& configJson) {
  auto parsed = json::parse(configJson);
  if (!parsed) return sdk::Status::validation("config is not valid JSON");
  auto obj = json::asObject(*parsed);
  if (!obj) return sdk::Status::validation("config must be an object");
  HttpAgentConfig config;
  config.url = stringMember(obj, "url");
  if (config.url.empty()) return sdk::Status::validation("config.url is required");
  if (auto t = json::asInteger(obj->get("timeout_ms"))) config.timeoutMs = static_cast<int>(*t);
  if (auto headers = json::asObject(obj->get("headers"))) {
    for (const auto& name : json::names(headers)) {
      config.headers.emplace_back(name, stringMember(headers, name));
    }
  }
  return config;
}

std::string buildHttpAgentRequest(const host::AgentTurn& turn) {
  std::string body = "{\"agentId\":" + sdk::jsonQuote(turn.agentId);
  body += ",\"subaccountId\":" + sdk::jsonQuote(turn.subaccountId);
  body += ",\"chatId\":" + sdk::jsonQuote(turn.chatId);
  body += ",\"channel\":" + sdk::jsonQuote(turn.channel);
  body += ",\"userId\":" + sdk::jsonQuote(turn.userId);
  body += ",\"text\":" + sdk::jsonQuote(turn.text);
  body += ",\"history\":[";
  for (std::size_t i = 0; i < turn.history.size(); ++i) {
    const auto& item = turn.history[i];
    if (i) body.push_back(',');
    body += "{\"direction\":" + sdk::jsonQuote(item.direction) +
            ",\"text\":" + sdk::jsonQuote(item.text) +
            ",\"timestamp\":" + std::to_string(item.timestamp) + "}";
  }
  return body + "]}";
}

sdk::Result<host::AgentReply> parseHttpAgentResponse(const sdk::HttpResponse& response,
                                                     const std::vector<std::string>& secrets) {
  auto parsed = json::parse(response.body);
  auto obj = parsed ? json::asObject(*parsed) : json::ObjectPtr();
  if (!isSuccessStatus(response.status)) {
    std::string detail;
    if (obj) {
      detail = stringMember(obj, "error");
      if (detail.empty()) detail = stringMember(obj, "message");
    }
    return httpStatusFailure(kWho, response.status, scrubSecrets(detail, secrets));
  }
  if (!obj) {
    return sdk::Status(sdk::ErrorCode::kApiError, "http agent: the answer is not a JSON object");
  }
  json::Var reply = obj->get("reply");
  if (json::isNull(reply)) return host::AgentReply{};
  if (!json::isString(reply)) {
    return sdk::Status(sdk::ErrorCode::kApiError, "http agent: reply must be a string or null");
  }
  std::string text = reply.extract<std::string>();
  if (text.empty()) return host::AgentReply{};
  return host::AgentReply{std::move(text)};
}

sdk::Result<host::AgentReply> httpAgentReply(const std::string& configJson,
                                             const host::AgentTurn& turn, sdk::HttpClient& http,
                                             const EnvLookup& env) {
  try {
    auto config = parseHttpAgentConfig(configJson);
    if (!config) {
      return sdk::Status(sdk::ErrorCode::kInternal,
                         "http agent: unreadable config: " + config.status().message());
    }
    sdk::HttpRequest request;
    request.method = sdk::Method::kPost;
    request.url = config->url;
    request.contentType = "application/json";
    request.body = buildHttpAgentRequest(turn);
    request.timeoutMs = config->timeoutMs;
    request.headers.emplace_back("Accept", "application/json");
    std::vector<std::string> secrets;
    for (const auto& [name, value] : config->headers) {
      auto resolved = resolveEnvRefs(value, "config.headers." + name, env);
      if (!resolved) {
        return sdk::Status(resolved.status().code(), "http agent: " + resolved.status().message());
      }
      if (isSecretKey(name)) {
        secrets.push_back(*resolved);
        // "Bearer <token>": an endpoint may echo the token alone.
        if (auto space = resolved->rfind(' '); space != std::string::npos) {
          secrets.push_back(resolved->substr(space + 1));
        }
      }
      request.headers.emplace_back(name, *resolved);
    }
    auto response = http.send(request);
    if (!response) {
      sdk::Status failure(response.status().code(),
                          scrubSecrets(response.status().message(), secrets));
      return transportFailure(kWho, failure, config->timeoutMs);
    }
    return parseHttpAgentResponse(*response, secrets);
  } catch (const std::exception& e) {
    return sdk::Status(sdk::ErrorCode::kInternal,
                       std::string("http agent: unexpected error: ") + e.what());
  }
}

}  // namespace chathost::host
