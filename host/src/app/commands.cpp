#include "app/commands.h"

#include "app/host.h"
#include "app/plugin_specs.h"
#include "app/shutdown_signal.h"
#include "auth/jwt.h"
#include "auth/jwt_secret.h"
#include "config/config_key_notes.h"
#include "config/config_loader.h"
#include "config/config_schema_json.h"
#include "config/host_config_builder.h"
#include "logging/host_logger.h"
#include "plugins/library_resolver.h"
#include "plugins/plugin_manager.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace chathost::host {
namespace {

constexpr const char* kDefaultConfigFile = "configs/chathost.yaml";

/// Loads the config named on the command line, else configs/chathost.yaml when present, else
/// the built-in defaults. Problems are printed one a line; nullopt then.
std::optional<HostConfig> loadConfig(const std::string& file) {
  std::string path = file;
  if (path.empty() && std::filesystem::exists(kDefaultConfigFile)) path = kDefaultConfigFile;
  // No file at all: the shipped configs/chathost.yaml, compiled in.
  ConfigLoadResult r = path.empty() ? loadConfigText(std::string(embeddedConfigText()),
                                                     kEmbeddedConfigName, processEnv())
                                    : loadConfigFile(path, processEnv());
  if (!r.errors.empty()) std::cerr << formatErrors(r.errors);
  if (!r.errors.empty() || !r.config) return std::nullopt;
  return r.config;
}

HostLogger makeLogger(const HostConfig& config) {
  sdk::LogLevel level = sdk::LogLevel::kInfo;
  parseLogLevel(config.logging.level, level);
  return HostLogger(config.logging.format == "json" ? LogFormat::kJson : LogFormat::kText, level);
}

}  // namespace

int runServe(const CommandLine& cl, const std::string& executablePath) {
  auto config = loadConfig(cl.configFile);
  if (!config) return 2;
  HostLogger logger = makeLogger(*config);
  logger.info("chathost " CHATHOST_VERSION " starting",
              {{"config", config->file.empty() ? "(built-in defaults)" : config->file}});
  auto host = Host::start(*config, logger, executablePath);
  if (!host) {
    logger.error("start-up failed: " + host.status().message());
    return 1;
  }
  const int sig = waitForShutdownSignal();
  logger.info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  const auto t0 = std::chrono::steady_clock::now();
  (*host)->stop();
  host->reset();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  logger.info("stopped", {{"durationMs", std::to_string(ms)}});
  return 0;
}

int runCheckConfig(const CommandLine& cl, const std::string& executablePath) {
  if (!std::filesystem::exists(cl.configFile)) {
    std::cerr << cl.configFile << ":1:1: file not found\n";
    return 2;
  }
  auto config = loadConfig(cl.configFile);
  if (!config) return 2;
  // Plugins validate their own sections: load them, ask, unload (nothing is started).
  HostLogger logger(LogFormat::kText, sdk::LogLevel::kWarning);
  PluginManager plugins(logger, defaultPluginSearchPath(executablePath));
  if (auto s = plugins.loadAll(pluginSpecsFrom(*config)); !s) {
    std::cerr << s.message() << "\n";
    return 2;
  }
  plugins.unloadAll();
  std::cout << cl.configFile << ": OK\n";
  return 0;
}

int runPrintConfigSchema() {
  const ConfigSchema schema = describeHostConfig();
  // A gap in the definitions is a bug: fail (and so fail the build, which runs this).
  for (const auto& problem : schema.problems)
    std::cerr << "chathost: config definitions: " << problem << "\n";
  if (!schema.problems.empty()) return 1;
  std::cout << configSchemaJson(schema.root, hostConfigKeyNotes());
  return 0;
}

int runToken(const CommandLine& cl) {
  auto config = loadConfig(cl.configFile);
  if (!config) return 2;
  std::string secret = config->auth.jwtSecret;
  if (secret.empty()) {
    auto generated = loadOrCreateJwtSecret(config->dataDir);
    if (!generated) {
      std::cerr << "chathost token: " << generated.status().message() << "\n";
      return 1;
    }
    secret = *generated;
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::cout << issueToken(secret, cl.subject, cl.subaccounts, cl.ttlSeconds, now) << "\n";
  return 0;
}

}  // namespace chathost::host
