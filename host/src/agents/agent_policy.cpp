#include "agents/agent_policy.h"

#include "agents/env_ref.h"
#include "common/json_io.h"

#include <optional>

namespace chathost::host {
namespace {

struct DisallowedRef {
  std::string field;
  std::string name;
};

std::optional<DisallowedRef> findDisallowedRef(const json::Var& v, const std::string& field,
                                               const std::vector<std::string>& allowlist);

std::optional<DisallowedRef> findInObject(const json::ObjectPtr& obj, const std::string& field,
                                          const std::vector<std::string>& allowlist) {
  for (const auto& name : json::names(obj)) {
    if (auto found = findDisallowedRef(obj->get(name), field + "." + name, allowlist)) return found;
  }
  return std::nullopt;
}

std::optional<DisallowedRef> findDisallowedRef(const json::Var& v, const std::string& field,
                                               const std::vector<std::string>& allowlist) {
  if (auto obj = json::asObject(v)) return findInObject(obj, field, allowlist);
  if (auto arr = json::asArray(v)) {
    for (std::size_t i = 0; i < arr->size(); ++i) {
      auto found = findDisallowedRef(arr->get(static_cast<unsigned>(i)),
                                     field + "[" + std::to_string(i) + "]", allowlist);
      if (found) return found;
    }
    return std::nullopt;
  }
  if (!json::isString(v)) return std::nullopt;
  if (auto name = firstDisallowedEnvRef(v.extract<std::string>(), allowlist))
    return DisallowedRef{field, *name};
  return std::nullopt;
}

std::string refusal(const DisallowedRef& ref) {
  return ref.field + " references environment variable " + ref.name +
         ", which agents may not read (the host's agents.env_allowlist does not list it)";
}

}  // namespace

sdk::Status checkAgentPolicy(const std::string& configJson, const AgentPolicy& policy) {
  auto cfg = json::parseObject(configJson);
  if (!cfg) return sdk::Status::ok();
  if (auto ref = findInObject(cfg, "config", policy.envAllowlist))
    return sdk::Status::validation(refusal(*ref));
  if (auto timeout = json::asInteger(cfg->get("timeout_ms"));
      timeout && *timeout > policy.maxTimeoutMs) {
    return sdk::Status::validation("config.timeout_ms must be at most " +
                                   std::to_string(policy.maxTimeoutMs) +
                                   " (this host's agents.max_timeout_ms)");
  }
  return sdk::Status::ok();
}

sdk::Status checkEnvRefsForTurn(const std::string& configJson, const AgentPolicy& policy) {
  // A reference needs a '$', which JSON can only spell as itself or as \u0024: without either,
  // there is nothing to check and no need to parse the config on every turn.
  if (configJson.find('$') == std::string::npos && configJson.find("\\u0024") == std::string::npos)
    return sdk::Status::ok();
  auto cfg = json::parseObject(configJson);
  if (!cfg) return sdk::Status::ok();
  if (auto ref = findInObject(cfg, "config", policy.envAllowlist))
    return sdk::Status::internal(refusal(*ref));
  return sdk::Status::ok();
}

std::string capAgentTimeout(const std::string& configJson, std::int64_t maxTimeoutMs) {
  auto cfg = json::parseObject(configJson);
  if (!cfg) return configJson;
  auto timeout = json::asInteger(cfg->get("timeout_ms"));
  std::int64_t effective = timeout ? *timeout : kRuntimeDefaultTimeoutMs;
  if (effective <= maxTimeoutMs) return configJson;
  cfg->set("timeout_ms", maxTimeoutMs);
  return json::toText(cfg);
}

}  // namespace chathost::host
