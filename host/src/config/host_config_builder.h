#pragma once
// The host's schema: ConfigNode tree -> HostConfig, reporting every problem.

#include "config/config_error.h"
#include "config/config_schema.h"
#include "config/config_tree.h"
#include "config/host_config.h"

#include <vector>

namespace chathost::host {

/// Fills `config` (which holds the defaults) from `root`; appends one error per problem.
void buildHostConfig(const ConfigNode& root, const std::string& fileName, HostConfig& config,
                     std::vector<ConfigError>& errors);

/// What buildHostConfig() accepts, with the defaults of HostConfig: the same definitions run in
/// describe mode. Plugins' own `config:` sections are open maps (each plugin checks its own).
ConfigSchema describeHostConfig();

}  // namespace chathost::host
