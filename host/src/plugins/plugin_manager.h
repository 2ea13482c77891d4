#pragma once
// Loads the configured plugins, starts them in order and stops/unloads them in reverse.

#include <chathost/sdk/config_view.h>
#include <chathost/sdk/context.h>
#include <chathost/sdk/logger.h>
#include <chathost/sdk/status.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chathost::host {

class LoadedPlugin;

/// One `plugins[]` entry of the config, enabled.
struct PluginSpec {
  std::string name;
  std::string library;  // as configured; may be empty (then the search path is used)
  std::shared_ptr<const sdk::ConfigView> config;
  /// Turns an issue from validateConfig() into "FILE:LINE:COL: message"; may be empty.
  std::function<std::string(const sdk::ConfigIssue&)> describeIssue;
};

/// What is loaded, for logs and diagnostics.
struct LoadedPluginInfo {
  std::string name;
  std::string version;
  std::string path;
};

/// Builds the context handed to one plugin's start(). The manager keeps it until stopAll() returns.
using ContextFactory = std::function<std::unique_ptr<sdk::PluginContext>(
    const std::string& pluginName, const sdk::ConfigView& config)>;

/// Owns every loaded plugin. Lifetime: loadAll -> startAll -> stopAll -> unloadAll (also run by
/// the destructor). Call it from one thread (start-up and shutdown); nothing here throws.
/// The host must drop every route and consumer a plugin registered before unloadAll(): register
/// that as the before-unload hook so the destructor cannot forget it.
class PluginManager {
 public:
  /// `logger` must outlive the manager.
  PluginManager(sdk::Logger& logger, std::vector<std::string> searchPath);
  ~PluginManager();
  PluginManager(const PluginManager&) = delete;
  PluginManager& operator=(const PluginManager&) = delete;

  /// Resolves, loads and checks each library, refuses duplicate names and runs validateConfig().
  /// Collects ALL problems, one per line, in one kValidation Status; on any problem nothing stays
  /// loaded.
  sdk::Status loadAll(const std::vector<PluginSpec>& specs);
  /// Starts the loaded plugins in order. On a failure stops the started ones in reverse and
  /// returns which plugin failed and why.
  sdk::Status startAll(const ContextFactory& makeContext);
  /// Stops the started plugins in reverse order, logging each, then releases their contexts.
  void stopAll();
  /// Stops what still runs, runs the before-unload hook, then destroy() and unload each plugin,
  /// in reverse order.
  void unloadAll();
  /// Called once before the first plugin is destroyed (e.g. drop plugin routes and consumers).
  void setBeforeUnload(std::function<void()> hook);

  std::vector<LoadedPluginInfo> plugins() const;

 private:
  struct Entry;
  sdk::Status loadOne(const PluginSpec& spec, std::vector<std::string>& problems);

  sdk::Logger& logger_;
  std::vector<std::string> searchPath_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::function<void()> beforeUnload_;
};

}  // namespace chathost::host
