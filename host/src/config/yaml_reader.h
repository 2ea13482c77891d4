#pragma once
// YAML text -> ConfigNode tree: syntax errors with positions, duplicate keys, `${ENV}`
// substitution in every scalar value. The only file of the module that sees yaml-cpp.

#include "common/env_substitution.h"
#include "config/config_error.h"
#include "config/config_tree.h"

#include <optional>
#include <string>
#include <vector>

namespace chathost::host {

struct YamlReadResult {
  std::optional<ConfigNode> root;  // nullopt when the text is not valid YAML
  std::vector<ConfigError> errors;
};

/// Parses one YAML document (an empty text gives a null root). Never throws.
YamlReadResult readYaml(const std::string& text, const std::string& fileName, const EnvLookup& env);

}  // namespace chathost::host
