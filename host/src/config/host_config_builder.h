#pragma once
// The host's schema: ConfigNode tree -> HostConfig, reporting every problem.

#include "config/config_error.h"
#include "config/config_tree.h"
#include "config/host_config.h"

#include <vector>

namespace chathost::host {

/// Fills `config` (which holds the defaults) from `root`; appends one error per problem.
void buildHostConfig(const ConfigNode& root, const std::string& fileName, HostConfig& config,
                     std::vector<ConfigError>& errors);

}  // namespace chathost::host
