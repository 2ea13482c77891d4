#pragma once
// The loader's view of the configured plugins: serving and --check-config load the same list.

#include "plugins/plugin_manager.h"

#include <vector>

namespace chathost::host {

struct HostConfig;

/// One spec per enabled plugin, its config issues located in the config file.
std::vector<PluginSpec> pluginSpecsFrom(const HostConfig& config);

}  // namespace chathost::host
