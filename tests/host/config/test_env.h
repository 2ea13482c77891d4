#pragma once
// An EnvLookup over a fixed map, so tests never depend on the real environment.

#include "common/env_substitution.h"

#include <map>
#include <string>

namespace chathost::host::testing {

inline EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace chathost::host::testing
