#include "agents/rules_runtime.h"

#include "agents/text_fold.h"
#include "common/json_io.h"

namespace chathost::host {

sdk::Result<RulesConfig> parseRulesConfig(const std::string& configJson) {
  try {
    auto parsed = json::parse(configJson);
    if (!parsed) return sdk::Status::validation("config is not valid JSON");
    auto obj = json::asObject(*parsed);
    if (!obj) return sdk::Status::validation("config must be an object");
    RulesConfig config;
    if (auto rules = json::asArray(obj->get("rules"))) {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        auto rule = json::asObject(rules->get(static_cast<unsigned>(i)));
        if (!rule || !json::isString(rule->get("match")) || !json::isString(rule->get("reply"))) {
          return sdk::Status::validation("config.rules[" + std::to_string(i) +
                                         "] must be an object {match, reply}");
        }
        std::string match = foldCase(rule->get("match").extract<std::string>());
        if (match.empty()) continue;  // an empty match would answer everything
        config.rules.push_back({std::move(match), rule->get("reply").extract<std::string>()});
      }
    }
    if (json::isString(obj->get("fallback"))) {
      config.fallback = obj->get("fallback").extract<std::string>();
    }
    return config;
  } catch (const std::exception& e) {
    return sdk::Status::validation(std::string("config could not be read: ") + e.what());
  }
}

std::optional<std::string> matchRules(const RulesConfig& config, const std::string& text) {
  std::string folded = foldCase(text);
  for (const auto& rule : config.rules) {
    if (folded.find(rule.foldedMatch) != std::string::npos) {
      if (rule.reply.empty()) return std::nullopt;
      return rule.reply;
    }
  }
  if (config.fallback && !config.fallback->empty()) return config.fallback;
  return std::nullopt;
}

std::optional<std::string> rulesReply(const std::string& configJson, const std::string& text) {
  auto config = parseRulesConfig(configJson);
  if (!config) return std::nullopt;
  return matchRules(*config, text);
}

sdk::Result<host::AgentReply> RulesRuntime::reply(const sdk::AgentInfo& agent,
                                                  const std::string& text) {
  std::shared_ptr<const RulesConfig> config;
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(agent.id);
    if (it != cache_.end() && it->second.updatedAt == agent.updatedAt &&
        it->second.configJson == agent.configJson) {
      config = it->second.config;
    }
  }
  if (!config) {
    auto parsed = parseRulesConfig(agent.configJson);
    if (!parsed) {
      return sdk::Status(
          sdk::ErrorCode::kInternal,
          "agent " + agent.id + " has an unreadable rules config: " + parsed.status().message());
    }
    config = std::make_shared<const RulesConfig>(std::move(*parsed));
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kMaxEntries) cache_.clear();
    cache_[agent.id] = Entry{agent.updatedAt, agent.configJson, config};
  }
  return host::AgentReply{matchRules(*config, text)};
}

}  // namespace chathost::host
