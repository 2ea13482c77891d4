#include "plugins/loaded_plugin.h"

#include "plugins/manifest_check.h"

#include <boost/dll/shared_library.hpp>

#include <cstddef>
#include <exception>
#include <string_view>

namespace chathost::host {

struct LoadedPlugin::Library {
  boost::dll::shared_library handle;
};

namespace {

using EntryFunction = const sdk::PluginManifest*();

// Boost.DLL puts dlerror()'s text inside its message; keep only that part when present.
std::string dlerrorText(const std::string& what) {
  constexpr std::string_view kMarker = "dlerror system message: ";
  auto at = what.find(kMarker);
  if (at == std::string::npos) return what;
  // Shape: "<context> (dlerror system message: <text>): <error code message>".
  std::string text = what.substr(at + kMarker.size());
  auto close = text.rfind(')');
  return close == std::string::npos ? text : text.substr(0, close);
}

// The first three fields are read unconditionally: every ABI generation keeps them first.
ManifestFacts readFacts(const sdk::PluginManifest& m, const std::string& configuredName) {
  ManifestFacts f;
  f.structSize = m.structSize;
  f.abiMajor = m.abiMajor;
  f.abiMinor = m.abiMinor;
  f.name = configuredName;
  if (m.abiMajor != sdk::kAbiMajor || m.structSize < sizeof(sdk::PluginManifest)) return f;
  f.fingerprint = m.fingerprint ? m.fingerprint : "";
  f.hasName = m.name != nullptr && m.name[0] != '\0';
  if (f.hasName) f.name = m.name;
  f.hasCreate = m.create != nullptr;
  f.hasDestroy = m.destroy != nullptr;
  return f;
}

sdk::Status fail(const std::string& path, const std::string& reason) {
  return sdk::Status::validation(path + ": " + reason);
}

}  // namespace

sdk::Result<std::unique_ptr<LoadedPlugin>> LoadedPlugin::open(const std::string& absolutePath,
                                                              const std::string& configuredName) {
  std::unique_ptr<LoadedPlugin> self(new LoadedPlugin());
  self->path_ = absolutePath;
  self->name_ = configuredName;
  const std::string who = "plugin '" + configuredName + "'";
  try {
    self->library_ = std::make_unique<Library>();
    self->library_->handle.load(
        absolutePath, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return fail(absolutePath, "cannot load " + who + ": " + dlerrorText(e.what()));
  }

  auto& lib = self->library_->handle;
  if (!lib.has(sdk::kPluginEntrySymbol))
    return fail(absolutePath, who + " exports no '" + std::string(sdk::kPluginEntrySymbol) +
                                  "' entry: not a chathost plugin (use CHATHOST_PLUGIN())");
  const sdk::PluginManifest* manifest = nullptr;
  try {
    manifest = lib.get<EntryFunction>(sdk::kPluginEntrySymbol)();
  } catch (...) {
    return fail(absolutePath, who + ": its entry function threw");
  }
  if (manifest == nullptr) return fail(absolutePath, who + ": its entry function returned null");

  ManifestFacts facts = readFacts(*manifest, configuredName);
  sdk::Status verdict =
      checkManifest(facts, sdk::kAbiMajor, sdk::kAbiMinor, CHATHOST_SDK_FINGERPRINT);
  if (!verdict) return fail(absolutePath, verdict.message());

  self->name_ = manifest->name;
  self->version_ = manifest->version ? manifest->version : "";
  self->plugin_ = manifest->create();
  if (self->plugin_ == nullptr)
    return fail(absolutePath, "plugin '" + self->name_ +
                                  "' could not be created: create() returned null (its "
                                  "constructor failed)");
  self->destroy_ = manifest->destroy;
  return self;
}

LoadedPlugin::~LoadedPlugin() {
  // Order matters: the object's code and vtable live in the library.
  if (plugin_ != nullptr && destroy_ != nullptr) destroy_(plugin_);
  plugin_ = nullptr;
  library_.reset();
}

}  // namespace chathost::host
