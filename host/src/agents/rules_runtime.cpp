#include "agents/rules_runtime.h"

#include "agents/reply_attachment.h"
#include "agents/text_fold.h"
#include "common/json_io.h"

namespace chathost::host {
namespace {

/// An empty text is no text: a rule with `"reply": ""` and no attachment says nothing.
host::AgentReply answer(const std::string& text,
                        const std::optional<host::ReplyAttachment>& attachment) {
  host::AgentReply reply;
  if (!text.empty()) reply.text = text;
  if (attachment) reply.attachments.push_back(*attachment);
  return reply;
}

}  // namespace

sdk::Result<RulesConfig> parseRulesConfig(const std::string& configJson) {
  try {
    auto parsed = json::parse(configJson);
    if (!parsed) return sdk::Status::validation("config is not valid JSON");
    auto obj = json::asObject(*parsed);
    if (!obj) return sdk::Status::validation("config must be an object");
    RulesConfig config;
    if (auto rules = json::asArray(obj->get("rules"))) {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        const std::string at = "config.rules[" + std::to_string(i) + "]";
        auto rule = json::asObject(rules->get(static_cast<unsigned>(i)));
        bool hasReply = rule && json::isString(rule->get("reply"));
        if (!rule || !json::isString(rule->get("match")) ||
            !(hasReply || rule->has("attachment")) || (rule->has("reply") && !hasReply)) {
          return sdk::Status::validation(at + " must be an object {match, reply, attachment}");
        }
        RulesConfig::Rule parsed;
        parsed.foldedMatch = foldCase(rule->get("match").extract<std::string>());
        if (parsed.foldedMatch.empty()) continue;  // an empty match would answer everything
        if (hasReply) parsed.reply = rule->get("reply").extract<std::string>();
        if (rule->has("attachment")) {
          auto attachment = readReplyAttachment(rule->get("attachment"), at + ".attachment");
          if (!attachment) return attachment.status();
          parsed.attachment = std::move(*attachment);
        }
        config.rules.push_back(std::move(parsed));
      }
    }
    if (json::isString(obj->get("fallback"))) {
      config.fallback = obj->get("fallback").extract<std::string>();
    }
    if (obj->has("fallback_attachment")) {
      auto attachment =
          readReplyAttachment(obj->get("fallback_attachment"), "config.fallback_attachment");
      if (!attachment) return attachment.status();
      config.fallbackAttachment = std::move(*attachment);
    }
    return config;
  } catch (const std::exception& e) {
    return sdk::Status::validation(std::string("config could not be read: ") + e.what());
  }
}

host::AgentReply matchRules(const RulesConfig& config, const std::string& text) {
  std::string folded = foldCase(text);
  for (const auto& rule : config.rules) {
    if (folded.find(rule.foldedMatch) != std::string::npos)
      return answer(rule.reply, rule.attachment);
  }
  return answer(config.fallback.value_or(std::string()), config.fallbackAttachment);
}

host::AgentReply rulesReply(const std::string& configJson, const std::string& text) {
  auto config = parseRulesConfig(configJson);
  if (!config) return {};
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
  return matchRules(*config, text);
}

}  // namespace chathost::host
