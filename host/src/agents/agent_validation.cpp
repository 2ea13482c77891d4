// parseAgentCreate / applyAgentPatch: the top-level fields of agent bodies.
#include "agents/agent_validation.h"

#include "agents/endpoint_address_check.h"
#include "common/json_io.h"
#include "agents/secret_mask.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace chathost::host {
namespace {

using sdk::Status;

const std::vector<std::string> kTypes = {"rules", "openai", "http"};

std::size_t utf8Length(const std::string& s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string generateAgentId() {
  std::random_device rd;
  std::uint64_t bits = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  char buf[32];
  std::snprintf(buf, sizeof buf, "agt_%016llx", static_cast<unsigned long long>(bits));
  return buf;
}

sdk::Result<json::ObjectPtr> parseBody(const std::string& body,
                                       const std::vector<std::string>& allowed) {
  auto parsed = json::parse(body);
  if (!parsed) {
    return Status::validation("request body is not valid JSON: " + parsed.status().message());
  }
  auto obj = json::asObject(*parsed);
  if (!obj) return Status::validation("request body must be a JSON object");
  std::vector<std::string> unknown;
  for (const auto& name : json::names(obj)) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::string msg = unknown.size() == 1 ? "unknown field " : "unknown fields ";
    for (std::size_t i = 0; i < unknown.size(); ++i) msg += (i ? ", " : "") + unknown[i];
    msg += " (allowed:";
    for (std::size_t i = 0; i < allowed.size(); ++i) msg += (i ? ", " : " ") + allowed[i];
    return Status::validation(msg + ")");
  }
  return obj;
}

sdk::Result<std::string> readName(const json::ObjectPtr& body) {
  json::Var v = body->get("name");
  if (!json::isString(v)) return Status::validation("name must be a string");
  std::string name = trim(v.extract<std::string>());
  if (name.empty()) return Status::validation("name must not be empty");
  if (utf8Length(name) > kMaxAgentNameChars) {
    return Status::validation("name must be at most " + std::to_string(kMaxAgentNameChars) +
                              " characters");
  }
  return name;
}

sdk::Result<std::string> readType(const json::ObjectPtr& body) {
  json::Var v = body->get("type");
  if (json::isString(v)) {
    const auto& type = v.extract<std::string>();
    if (std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end()) return type;
  }
  return Status::validation("type must be one of rules, openai, http");
}

sdk::Result<std::string> readConfig(const json::ObjectPtr& body) {
  auto cfg = json::asObject(body->get("config"));
  if (!cfg) return Status::validation("config must be an object");
  return json::toText(cfg);
}

sdk::Result<sdk::AgentInfo> parseCreate(const std::string& body, const std::string& subaccountId,
                                        const AgentPolicy& policy) {
  auto obj = parseBody(body, {"id", "name", "type", "config"});
  if (!obj) return obj.status();
  sdk::AgentInfo agent;
  agent.subaccountId = subaccountId;
  if ((*obj)->has("id")) {
    json::Var id = (*obj)->get("id");
    if (!json::isString(id) || !isValidAgentId(id.extract<std::string>())) {
      return Status::validation("id must be 1-64 characters of A-Z a-z 0-9 _ -");
    }
    agent.id = id.extract<std::string>();
  } else {
    agent.id = generateAgentId();
  }
  if (!(*obj)->has("name")) return Status::validation("name is required");
  auto name = readName(*obj);
  if (!name) return name.status();
  agent.name = *name;
  agent.type = "rules";
  if ((*obj)->has("type")) {
    auto type = readType(*obj);
    if (!type) return type.status();
    agent.type = *type;
  }
  agent.configJson = "{}";
  if ((*obj)->has("config")) {
    auto cfg = readConfig(*obj);
    if (!cfg) return cfg.status();
    agent.configJson = *cfg;
  }
  if (auto s = validateAgentConfig(agent.type, agent.configJson); !s) return s;
  if (auto s = checkAgentPolicy(agent.configJson, policy); !s) return s;
  if (auto s = checkEndpointAddress(agent.type, agent.configJson, policy.egress); !s) return s;
  return agent;
}

sdk::Result<sdk::AgentInfo> applyPatch(const std::string& body, const sdk::AgentInfo& current,
                                       const AgentPolicy& policy) {
  auto obj = parseBody(body, {"id", "name", "type", "config"});
  if (!obj) return obj.status();
  sdk::AgentInfo agent = current;
  if ((*obj)->has("id")) {
    json::Var id = (*obj)->get("id");
    if (!json::isString(id) || id.extract<std::string>() != current.id) {
      return Status::validation("id cannot be changed");
    }
  }
  if ((*obj)->has("name")) {
    auto name = readName(*obj);
    if (!name) return name.status();
    agent.name = *name;
  }
  if ((*obj)->has("type")) {
    auto type = readType(*obj);
    if (!type) return type.status();
    agent.type = *type;
  }
  if ((*obj)->has("config")) {
    auto cfg = readConfig(*obj);
    if (!cfg) return cfg.status();
    agent.configJson = restoreMaskedSecrets(*cfg, current.configJson);
  }
  if (auto s = validateAgentConfig(agent.type, agent.configJson); !s) return s;
  if (auto s = checkAgentPolicy(agent.configJson, policy); !s) return s;
  if (auto s = checkEndpointAddress(agent.type, agent.configJson, policy.egress); !s) return s;
  return agent;
}

}  // namespace

bool isValidAgentId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

sdk::Result<sdk::AgentInfo> parseAgentCreate(const std::string& body,
                                             const std::string& subaccountId,
                                             const AgentPolicy& policy) {
  try {
    return parseCreate(body, subaccountId, policy);
  } catch (const std::exception& e) {
    return Status::validation(std::string("request body could not be read: ") + e.what());
  }
}

sdk::Result<sdk::AgentInfo> applyAgentPatch(const std::string& body, const sdk::AgentInfo& current,
                                            const AgentPolicy& policy) {
  try {
    return applyPatch(body, current, policy);
  } catch (const std::exception& e) {
    return Status::validation(std::string("request body could not be read: ") + e.what());
  }
}

}  // namespace chathost::host
