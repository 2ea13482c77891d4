// validateAgentConfig: one schema per agent type.
#include "agents/agent_validation.h"
#include "agents/reply_attachment.h"
#include "common/json_io.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace chathost::host {
namespace {

using sdk::Status;

Status unknownFields(const json::ObjectPtr& obj, const std::string& prefix,
                     const std::vector<std::string>& allowed) {
  std::vector<std::string> unknown;
  for (const auto& name : json::names(obj)) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      unknown.push_back(prefix + name);
    }
  }
  if (unknown.empty()) return Status::ok();
  std::string msg = unknown.size() == 1 ? "unknown field " : "unknown fields ";
  for (std::size_t i = 0; i < unknown.size(); ++i) msg += (i ? ", " : "") + unknown[i];
  msg += " (allowed:";
  for (std::size_t i = 0; i < allowed.size(); ++i) msg += (i ? ", " : " ") + allowed[i];
  return Status::validation(msg + ")");
}

bool isHttpUrl(const std::string& url) {
  std::string lower = url.substr(0, 8);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t rest;
  if (lower.rfind("http://", 0) == 0) {
    rest = 7;
  } else if (lower.rfind("https://", 0) == 0) {
    rest = 8;
  } else {
    return false;
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  auto hostEnd = url.find_first_of("/?#", rest);
  std::string authority =
      url.substr(rest, hostEnd == std::string::npos ? std::string::npos : hostEnd - rest);
  auto at = authority.rfind('@');
  std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
  return !host.empty() && host[0] != ':';
}

/// Validates an optional member; `check` returns true when the present value is acceptable.
template <typename Check>
Status optionalField(const json::ObjectPtr& obj, const std::string& name, const std::string& rule,
                     Check check) {
  if (!obj->has(name)) return Status::ok();
  if (!check(obj->get(name))) return Status::validation("config." + name + " must be " + rule);
  return Status::ok();
}

template <typename Check>
Status requiredField(const json::ObjectPtr& obj, const std::string& name, const std::string& rule,
                     Check check) {
  if (!obj->has(name) || json::isNull(obj->get(name))) {
    return Status::validation("config." + name + " is required");
  }
  return optionalField(obj, name, rule, check);
}

auto intBetween(std::int64_t lo, std::int64_t hi) {
  return [lo, hi](const json::Var& v) {
    auto i = json::asInteger(v);
    return i && *i >= lo && *i <= hi;
  };
}

bool anyString(const json::Var& v) {
  return json::isString(v);
}

bool nonEmptyString(const json::Var& v) {
  return json::isString(v) && !v.extract<std::string>().empty();
}

bool httpUrl(const json::Var& v) {
  return json::isString(v) && isHttpUrl(v.extract<std::string>());
}

const char* const kTimeoutRule = "an integer between 100 and 120000 (milliseconds)";

/// An optional `attachment` member ({type, url}, nothing else) of `obj`, named `at`.
Status optionalAttachment(const json::ObjectPtr& obj, const std::string& name,
                          const std::string& at) {
  if (!obj->has(name)) return Status::ok();
  auto attachment = readReplyAttachment(obj->get(name), at);
  if (!attachment) return attachment.status();
  return unknownFields(json::asObject(obj->get(name)), at + ".", {"type", "url"});
}

Status validateRules(const json::ObjectPtr& cfg) {
  if (auto s = unknownFields(cfg, "config.", {"rules", "fallback", "fallback_attachment"}); !s)
    return s;
  if (cfg->has("rules")) {
    auto rules = json::asArray(cfg->get("rules"));
    if (!rules) return Status::validation("config.rules must be an array of {match, reply}");
    if (rules->size() > kMaxRules) {
      return Status::validation("config.rules must have at most " + std::to_string(kMaxRules) +
                                " rules");
    }
    for (std::size_t i = 0; i < rules->size(); ++i) {
      std::string at = "config.rules[" + std::to_string(i) + "]";
      auto rule = json::asObject(rules->get(static_cast<unsigned>(i)));
      if (!rule) return Status::validation(at + " must be an object {match, reply}");
      if (auto s = unknownFields(rule, at + ".", {"match", "reply", "attachment"}); !s) return s;
      if (!rule->has("match") || !nonEmptyString(rule->get("match"))) {
        return Status::validation(at + ".match must be a non-empty string");
      }
      if (!rule->has("reply") && !rule->has("attachment")) {
        return Status::validation(at + " needs a reply, an attachment or both");
      }
      if (rule->has("reply") && !anyString(rule->get("reply"))) {
        return Status::validation(at + ".reply must be a string");
      }
      if (auto s = optionalAttachment(rule, "attachment", at + ".attachment"); !s) return s;
    }
  }
  if (auto s = optionalField(cfg, "fallback", "a string", anyString); !s) return s;
  return optionalAttachment(cfg, "fallback_attachment", "config.fallback_attachment");
}

/// Request members the host writes itself: extra_body may not replace them.
const std::vector<std::string> kReservedRequestKeys = {"model", "messages", "stream"};

Status validateExtraBody(const json::ObjectPtr& cfg) {
  if (!cfg->has("extra_body")) return Status::ok();
  auto extra = json::asObject(cfg->get("extra_body"));
  if (!extra) return Status::validation("config.extra_body must be a JSON object");
  for (const auto& name : json::names(extra)) {
    if (std::find(kReservedRequestKeys.begin(), kReservedRequestKeys.end(), name) !=
        kReservedRequestKeys.end()) {
      return Status::validation("config.extra_body." + name +
                                " is not allowed: the host sets model, messages and stream");
    }
    // Two values for one member: say which one to keep rather than pick one silently.
    if ((name == "temperature" || name == "max_tokens") && cfg->has(name)) {
      return Status::validation("config.extra_body." + name + " repeats config." + name +
                                "; set only one of them");
    }
  }
  if (json::toText(extra).size() > kMaxExtraBodyBytes) {
    return Status::validation("config.extra_body must be at most " +
                              std::to_string(kMaxExtraBodyBytes) + " bytes of JSON");
  }
  return Status::ok();
}

Status validateOpenAi(const json::ObjectPtr& cfg) {
  if (auto s = unknownFields(cfg, "config.",
                             {"base_url", "model", "api_key", "system_prompt", "history",
                              "timeout_ms", "temperature", "max_tokens", "extra_body"});
      !s) {
    return s;
  }
  if (auto s = requiredField(cfg, "base_url", "an http(s) URL", httpUrl); !s) return s;
  if (auto s = requiredField(cfg, "model", "a non-empty string", nonEmptyString); !s) return s;
  if (auto s = optionalField(cfg, "api_key", "a string", anyString); !s) return s;
  if (auto s = optionalField(cfg, "system_prompt", "a string", anyString); !s) return s;
  if (auto s = optionalField(cfg, "history", "an integer between 0 and 100", intBetween(0, 100));
      !s) {
    return s;
  }
  if (auto s = optionalField(cfg, "timeout_ms", kTimeoutRule, intBetween(100, 120000)); !s) {
    return s;
  }
  if (auto s = optionalField(cfg, "temperature", "a number between 0 and 2",
                             [](const json::Var& v) {
                               auto d = json::asNumber(v);
                               return d && *d >= 0 && *d <= 2;
                             });
      !s) {
    return s;
  }
  if (auto s = optionalField(cfg, "max_tokens", "an integer between 1 and 100000",
                             intBetween(1, 100000));
      !s) {
    return s;
  }
  return validateExtraBody(cfg);
}

Status validateHttp(const json::ObjectPtr& cfg) {
  if (auto s = unknownFields(cfg, "config.", {"url", "timeout_ms", "headers"}); !s) return s;
  if (auto s = requiredField(cfg, "url", "an http(s) URL", httpUrl); !s) return s;
  if (auto s = optionalField(cfg, "timeout_ms", kTimeoutRule, intBetween(100, 120000)); !s) {
    return s;
  }
  if (!cfg->has("headers")) return Status::ok();
  auto headers = json::asObject(cfg->get("headers"));
  if (!headers) return Status::validation("config.headers must be an object of strings");
  for (const auto& name : json::names(headers)) {
    bool tokenChars = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
    });
    if (!tokenChars) {
      return Status::validation("config.headers." + name + " is not a valid header name");
    }
    json::Var v = headers->get(name);
    if (!anyString(v)) return Status::validation("config.headers." + name + " must be a string");
    const auto& text = v.extract<std::string>();
    if (text.find_first_of("\r\n") != std::string::npos) {
      return Status::validation("config.headers." + name + " must not contain line breaks");
    }
  }
  return Status::ok();
}

}  // namespace

sdk::Status validateAgentConfig(const std::string& type, const std::string& configJson) {
  try {
    auto parsed = json::parse(configJson);
    if (!parsed)
      return Status::validation("config is not valid JSON: " + parsed.status().message());
    auto cfg = json::asObject(*parsed);
    if (!cfg) return Status::validation("config must be an object");
    if (type == "rules") return validateRules(cfg);
    if (type == "openai") return validateOpenAi(cfg);
    if (type == "http") return validateHttp(cfg);
    return Status::validation("type must be one of rules, openai, http");
  } catch (const std::exception& e) {
    return Status::validation(std::string("config could not be read: ") + e.what());
  }
}

}  // namespace chathost::host
