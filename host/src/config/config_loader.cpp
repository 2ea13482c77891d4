#include "config/config_loader.h"

#include "config/host_config_builder.h"
#include "config/yaml_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace chathost::host {

HostConfig defaultConfig() {
  return HostConfig{};
}

ConfigLoadResult loadConfigText(const std::string& text, const std::string& fileName,
                                const EnvLookup& env) {
  ConfigLoadResult result;
  try {
    YamlReadResult yaml = readYaml(text, fileName, env);
    result.errors = std::move(yaml.errors);
    HostConfig config = defaultConfig();
    config.file = fileName;
    if (yaml.root) buildHostConfig(*yaml.root, fileName, config, result.errors);
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const ConfigError& a, const ConfigError& b) {
                       return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    if (result.errors.empty()) result.config = std::move(config);
  } catch (const std::exception& e) {
    result.config.reset();
    result.errors.push_back({fileName, 1, 1, std::string("cannot load config: ") + e.what()});
  }
  return result;
}

ConfigLoadResult loadConfigFile(const std::string& path, const EnvLookup& env) {
  auto fail = [&](const std::string& why) {
    ConfigLoadResult result;
    result.errors.push_back({path, 1, 1, "cannot read config file: " + why});
    return result;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("read error");
  return loadConfigText(text.str(), path, env);
}

}  // namespace chathost::host
