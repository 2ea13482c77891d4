#include "agents/env_ref.h"

#include <utility>

namespace chathost::host {

bool containsEnvRef(const std::string& value) {
  auto start = value.find("${");
  return start != std::string::npos && value.find('}', start) != std::string::npos;
}

sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env) {
  SubstitutionResult r = substituteEnv(value, env);
  if (!r.errors.empty())
    return sdk::Status(sdk::ErrorCode::kInternal, field + ": " + r.errors.front());
  return std::move(r.value);
}

}  // namespace chathost::host
