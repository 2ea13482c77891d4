#pragma once
// The plugin interface and its single exported entry point.

#include <chathost/sdk/config_view.h>
#include <chathost/sdk/context.h>
#include <chathost/sdk/status.h>
#include <chathost/sdk/version.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#if defined(__GNUC__)
#define CHATHOST_SDK_VISIBLE __attribute__((visibility("default")))
#else
#define CHATHOST_SDK_VISIBLE
#endif

namespace chathost::sdk {

/// A channel plugin. Created by the manifest's create(), destroyed by its destroy() before the
/// library unloads. The host calls validateConfig(), then start(), later stop(), each once and from
/// one thread; never concurrently with each other.
class CHATHOST_SDK_VISIBLE Plugin {
 public:
  virtual ~Plugin() = default;
  /// Checks the plugin's `config:` section; an empty list means valid. Called before start().
  virtual std::vector<ConfigIssue> validateConfig(const ConfigView& config) = 0;
  /// Registers routes and consumers. A non-ok Status refuses start-up with its message.
  virtual Status start(PluginContext& context) = 0;
  /// Stops background work; after it returns the plugin must not touch the context.
  virtual void stop() = 0;
};

/// What the exported entry returns. A static object inside the plugin: valid while the library is
/// loaded. Never reorder fields: the host reads structSize and the ABI numbers first.
struct PluginManifest {
  std::uint32_t structSize;
  std::uint32_t abiMajor;
  std::uint32_t abiMinor;
  const char* fingerprint;  // CHATHOST_SDK_FINGERPRINT of the plugin's build
  const char* name;         // unique among loaded plugins; matches `plugins[].name`
  const char* version;
  Plugin* (*create)() noexcept;  // nullptr on failure
  void (*destroy)(Plugin* plugin) noexcept;
};

/// Name of the exported C function returning `const PluginManifest*`.
inline constexpr const char* kPluginEntrySymbol = "chathost_plugin_v1";

namespace detail {
// Wraps a plugin so none of its exceptions unwinds into the host.
template <typename T>
class GuardedPlugin final : public Plugin {
 public:
  std::vector<ConfigIssue> validateConfig(const ConfigView& config) override {
    try {
      return inner_.validateConfig(config);
    } catch (const std::exception& e) {
      return {{"", std::string("plugin threw while validating its config: ") + e.what()}};
    } catch (...) {
      return {{"", "plugin threw while validating its config"}};
    }
  }
  Status start(PluginContext& context) override {
    try {
      return inner_.start(context);
    } catch (const std::exception& e) {
      return Status::internal(std::string("plugin threw in start(): ") + e.what());
    } catch (...) {
      return Status::internal("plugin threw in start()");
    }
  }
  void stop() override {
    try {
      inner_.stop();
    } catch (...) {  // nothing useful to do during shutdown: the host logs that stop() returned
    }
  }

 private:
  T inner_;
};
}  // namespace detail
}  // namespace chathost::sdk

/// Exports the entry point for plugin class `PluginClass` (default-constructible, derived from
/// chathost::sdk::Plugin). Use once per library, at namespace scope.
#define CHATHOST_PLUGIN(PluginClass, pluginName, pluginVersion)                                 \
  extern "C" CHATHOST_SDK_VISIBLE const ::chathost::sdk::PluginManifest* chathost_plugin_v1() { \
    static const ::chathost::sdk::PluginManifest manifest{                                      \
        sizeof(::chathost::sdk::PluginManifest),                                                \
        ::chathost::sdk::kAbiMajor,                                                             \
        ::chathost::sdk::kAbiMinor,                                                             \
        CHATHOST_SDK_FINGERPRINT,                                                               \
        pluginName,                                                                             \
        pluginVersion,                                                                          \
        []() noexcept -> ::chathost::sdk::Plugin* {                                             \
          try {                                                                                 \
            return new ::chathost::sdk::detail::GuardedPlugin<PluginClass>();                   \
          } catch (...) {                                                                       \
            return nullptr;                                                                     \
          }                                                                                     \
        },                                                                                      \
        [](::chathost::sdk::Plugin* p) noexcept { delete p; }};                                 \
    return &manifest;                                                                           \
  }
