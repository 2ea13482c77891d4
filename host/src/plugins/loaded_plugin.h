#pragma once
// One plugin library loaded into the host, with the plugin object it created.

#include <chathost/sdk/plugin.h>
#include <chathost/sdk/status.h>

#include <memory>
#include <string>

namespace chathost::host {

/// Owns the library handle, a copy of its manifest and the sdk::Plugin created by it. The
/// destructor calls the manifest's destroy() BEFORE the library handle is released, so no plugin
/// code or object outlives its library. Not copyable; not thread-safe (one owner).
class LoadedPlugin {
 public:
  /// Loads `absolutePath` (RTLD_NOW | RTLD_LOCAL), reads the `chathost_plugin_v1` manifest, checks
  /// it against this host's ABI and fingerprint, and calls create(). `configuredName` names the
  /// plugin in errors until the manifest's own name is known. Every failure is a one-line
  /// kValidation Status; nothing throws.
  static sdk::Result<std::unique_ptr<LoadedPlugin>> open(const std::string& absolutePath,
                                                         const std::string& configuredName);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& path() const { return path_; }
  /// The plugin object; valid until this LoadedPlugin is destroyed.
  sdk::Plugin& plugin() { return *plugin_; }

 private:
  struct Library;
  LoadedPlugin() = default;

  std::unique_ptr<Library> library_;
  void (*destroy_)(sdk::Plugin*) noexcept = nullptr;
  sdk::Plugin* plugin_ = nullptr;
  std::string name_;
  std::string version_;
  std::string path_;
};

}  // namespace chathost::host
