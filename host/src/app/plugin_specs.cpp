#include "app/plugin_specs.h"

#include "config/host_config.h"
#include "config/plugin_config_view.h"

namespace chathost::host {

std::vector<PluginSpec> pluginSpecsFrom(const HostConfig& config) {
  std::vector<PluginSpec> specs;
  for (const auto& p : config.plugins) {
    if (!p.enabled) continue;
    auto view = p.config;
    specs.push_back({p.name, p.library, p.config, [view](const sdk::ConfigIssue& issue) {
                       return view->locate(issue).format();
                     }});
  }
  return specs;
}

}  // namespace chathost::host
