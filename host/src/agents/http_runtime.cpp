#include "agents/http_runtime.h"

#include "agents/remote_call.h"
#include "agents/reply_attachment.h"
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

/// The answer's `attachment` and `attachments` items that are valid, up to the limit; the others
/// are explained in `warnings`.
std::vector<host::ReplyAttachment> readAttachments(const json::ObjectPtr& answer,
                                                   std::vector<std::string>* warnings) {
  std::vector<std::pair<json::Var, std::string>> given;  // value, name in the answer
  if (answer->has("attachment") && !json::isNull(answer->get("attachment")))
    given.emplace_back(answer->get("attachment"), "attachment");
  if (answer->has("attachments") && !json::isNull(answer->get("attachments"))) {
    if (auto items = json::asArray(answer->get("attachments"))) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        given.emplace_back(items->get(static_cast<unsigned>(i)),
                           "attachments[" + std::to_string(i) + "]");
      }
    } else if (warnings) {
      warnings->push_back("attachments must be an array of {type, url}; left out");
    }
  }
  std::vector<host::ReplyAttachment> out;
  for (const auto& [value, name] : given) {
    if (out.size() == kMaxReplyAttachments) {
      if (warnings) {
        warnings->push_back(name + " left out: a reply carries at most " +
                            std::to_string(kMaxReplyAttachments) + " attachments");
      }
      continue;
    }
    auto attachment = readReplyAttachment(value, name);
    if (attachment) {
      out.push_back(std::move(*attachment));
    } else if (warnings) {
      warnings->push_back(attachment.status().message() + "; left out");
    }
  }
  return out;
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
                                                     const std::vector<std::string>& secrets,
                                                     std::vector<std::string>* warnings) {
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
  if (!json::isNull(reply) && !json::isString(reply)) {
    return sdk::Status(sdk::ErrorCode::kApiError, "http agent: reply must be a string or null");
  }
  host::AgentReply answer;
  if (json::isString(reply) && !reply.extract<std::string>().empty())
    answer.text = reply.extract<std::string>();
  answer.attachments = readAttachments(obj, warnings);
  return answer;
}

sdk::Result<host::AgentReply> httpAgentReply(const std::string& configJson,
                                             const host::AgentTurn& turn, sdk::HttpClient& http,
                                             const EnvLookup& env,
                                             std::vector<std::string>* warnings) {
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
    return parseHttpAgentResponse(*response, secrets, warnings);
  } catch (const std::exception& e) {
    return sdk::Status(sdk::ErrorCode::kInternal,
                       std::string("http agent: unexpected error: ") + e.what());
  }
}

}  // namespace chathost::host
