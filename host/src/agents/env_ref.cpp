#include "agents/env_ref.h"

#include "common/env_allowlist.h"

#include <utility>

namespace chathost::host {

bool containsEnvRef(const std::string& value) {
  auto start = value.find("${");
  return start != std::string::npos && value.find('}', start) != std::string::npos;
}

std::vector<std::string> envRefNames(const std::string& value) {
  // substituteEnv parses references exactly as a turn resolves them; the lookup only records.
  std::vector<std::string> names;
  substituteEnv(value, [&names](const std::string& name) -> std::optional<std::string> {
    names.push_back(name);
    return std::nullopt;
  });
  return names;
}

std::optional<std::string> firstDisallowedEnvRef(const std::string& value,
                                                 const std::vector<std::string>& allowlist) {
  if (value.find("${") == std::string::npos) return std::nullopt;
  for (const std::string& name : envRefNames(value)) {
    if (!isEnvNameAllowed(allowlist, name)) return name;
  }
  return std::nullopt;
}

EnvLookup allowlistedEnv(EnvLookup env, std::vector<std::string> allowlist) {
  return [env = std::move(env),
          allowlist = std::move(allowlist)](const std::string& name) -> std::optional<std::string> {
    if (!env || !isEnvNameAllowed(allowlist, name)) return std::nullopt;
    return env(name);
  };
}

sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env) {
  SubstitutionResult r = substituteEnv(value, env);
  if (!r.errors.empty())
    return sdk::Status(sdk::ErrorCode::kInternal, field + ": " + r.errors.front());
  return std::move(r.value);
}

}  // namespace chathost::host
