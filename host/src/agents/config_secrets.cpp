#include "agents/config_secrets.h"

#include "agents/env_ref.h"
#include "common/json_io.h"
#include "agents/secret_mask.h"
#include "secrets/secret_cipher.h"

#include <functional>

namespace chathost::host {
namespace {

/// Called for each string under a secret key, with its field path ("config.headers.X"); returns
/// the replacement, or an error that stops the walk.
using SecretEdit =
    std::function<sdk::Result<std::string>(const std::string& field, const std::string& value)>;

sdk::Status editSecrets(json::ObjectPtr obj, const std::string& field, const SecretEdit& edit) {
  for (const auto& name : json::names(obj)) {
    json::Var v = obj->get(name);
    const std::string path = field + "." + name;
    if (auto child = json::asObject(v)) {
      if (auto s = editSecrets(child, path, edit); !s) return s;
    } else if (auto arr = json::asArray(v)) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        auto item = json::asObject(arr->get(static_cast<unsigned>(i)));
        if (!item) continue;
        if (auto s = editSecrets(item, path + "[" + std::to_string(i) + "]", edit); !s) return s;
      }
    } else if (json::isString(v) && isSecretKey(name)) {
      auto replaced = edit(path, v.extract<std::string>());
      if (!replaced) return replaced.status();
      obj->set(name, *replaced);
    }
  }
  return sdk::Status::ok();
}

bool needsSealing(const std::string& value) {
  return !value.empty() && !containsEnvRef(value) && !isSealedSecret(value);
}

std::string aadFor(const sdk::AgentInfo& agent, const std::string& field) {
  return "agent:" + agent.subaccountId + ":" + agent.id + ":" + field;
}

}  // namespace

bool isSealedSecret(const std::string& value) {
  return value.rfind(kSealedSecretPrefix, 0) == 0;
}

bool hasUnsealedSecrets(const std::string& configJson) {
  auto cfg = json::parseObject(configJson);
  if (!cfg) return false;
  bool found = false;
  editSecrets(cfg, "config", [&found](const std::string&, const std::string& value) {
    found = found || needsSealing(value);
    return sdk::Result<std::string>(value);
  });
  return found;
}

sdk::Result<sdk::AgentInfo> sealAgentSecrets(sdk::AgentInfo agent, const SecretCipher& cipher,
                                             SealScope scope) {
  auto cfg = json::parseObject(agent.configJson);
  if (!cfg) return agent;
  auto seal = [&](const std::string& field, const std::string& value) -> sdk::Result<std::string> {
    bool literal = !value.empty() && !containsEnvRef(value);
    if (!literal || (scope == SealScope::kOnlyUnsealed && isSealedSecret(value))) return value;
    auto sealed = cipher.encrypt(value, aadFor(agent, field));
    if (!sealed) return sealed.status();
    return kSealedSecretPrefix + *sealed;
  };
  if (auto s = editSecrets(cfg, "config", seal); !s) return s;
  agent.configJson = json::toText(cfg);
  return agent;
}

sdk::Result<sdk::AgentInfo> openAgentSecrets(sdk::AgentInfo agent, const SecretCipher& cipher) {
  if (agent.configJson.find(kSealedSecretPrefix) == std::string::npos) return agent;
  auto cfg = json::parseObject(agent.configJson);
  if (!cfg) return agent;
  auto open = [&](const std::string& field, const std::string& value) -> sdk::Result<std::string> {
    if (!isSealedSecret(value)) return value;
    auto plain =
        cipher.decrypt(value.substr(std::string(kSealedSecretPrefix).size()), aadFor(agent, field));
    if (!plain) return sdk::Status::internal(field + " cannot be decrypted (wrong key or moved)");
    return *plain;
  };
  if (auto s = editSecrets(cfg, "config", open); !s) return s;
  agent.configJson = json::toText(cfg);
  return agent;
}

}  // namespace chathost::host
