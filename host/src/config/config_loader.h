#pragma once
// Loads the host's YAML config: `${ENV}` substitution, schema checks, every problem reported
// with FILE:LINE:COLUMN. The public entry point of the config module.

#include "common/env_substitution.h"
#include "config/config_error.h"
#include "config/host_config.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chathost::host {

/// `config` is set exactly when `errors` is empty. Errors are sorted by position.
struct ConfigLoadResult {
  std::optional<HostConfig> config;
  std::vector<ConfigError> errors;
};

/// Reads and loads `path`. An unreadable file is one error at 1:1. Never throws.
ConfigLoadResult loadConfigFile(const std::string& path, const EnvLookup& env);

/// Loads YAML `text`; errors name `fileName`. Never throws.
ConfigLoadResult loadConfigText(const std::string& text, const std::string& fileName,
                                const EnvLookup& env);

/// Every default, no plugins: what the host runs with when there is no file at all.
HostConfig defaultConfig();

/// The text of configs/chathost.yaml, compiled in, for a host started with no config file.
std::string_view embeddedConfigText();

/// The file name errors in the embedded config are reported against.
inline constexpr const char* kEmbeddedConfigName = "<embedded configs/chathost.yaml>";

}  // namespace chathost::host
