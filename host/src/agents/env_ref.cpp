#include "agents/env_ref.h"

#include <cstdlib>

namespace chathost::host {

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

bool containsEnvRef(const std::string& value) {
  auto start = value.find("${");
  return start != std::string::npos && value.find('}', start) != std::string::npos;
}

sdk::Result<std::string> resolveEnvRefs(const std::string& value, const std::string& field,
                                        const EnvLookup& env) {
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    auto start = value.find("${", pos);
    auto end = start == std::string::npos ? std::string::npos : value.find('}', start);
    if (end == std::string::npos) {
      out.append(value, pos, std::string::npos);
      break;
    }
    out.append(value, pos, start - pos);
    std::string ref = value.substr(start + 2, end - start - 2);
    std::optional<std::string> fallback;
    if (auto sep = ref.find(":-"); sep != std::string::npos) {
      fallback = ref.substr(sep + 2);
      ref.resize(sep);
    }
    std::optional<std::string> resolved = ref.empty() ? std::nullopt : env(ref);
    if (!resolved || (resolved->empty() && fallback)) resolved = fallback;
    if (!resolved) {
      return sdk::Status(sdk::ErrorCode::kInternal,
                         field + " refers to environment variable " +
                             (ref.empty() ? std::string("(empty name)") : ref) +
                             ", which is not set");
    }
    out += *resolved;
    pos = end + 1;
  }
  return out;
}

}  // namespace chathost::host
