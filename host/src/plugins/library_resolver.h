#pragma once
// Where a configured plugin's shared library is, and where the host looks for plugins.

#include <chathost/sdk/status.h>

#include <string>
#include <vector>

namespace chathost::host {

/// Search path from `$CHATHOST_PLUGIN_PATH` (colon separated), then
/// `<exe dir>/../lib/chathost/plugins`, then `<exe dir>/plugins`; every entry absolute.
std::vector<std::string> defaultPluginSearchPath(const std::string& executablePath);

/// The same, with the environment variable's value passed in (empty = unset). Pure but for
/// making relative entries absolute against the working directory.
std::vector<std::string> pluginSearchPath(const std::string& envValue,
                                          const std::string& executablePath);

/// Absolute path of the running executable (/proc/self/exe); empty when it cannot be read.
std::string currentExecutablePath();

/// File name the host looks for when no library is configured: `libchathost_<name>.so`.
std::string pluginFileName(const std::string& pluginName);

/// The absolute path of the library to load for plugin `name`. A configured `library` is used as
/// is when absolute, else made absolute against the working directory; with none, the first
/// `libchathost_<name>.so` found in `searchPath`. Errors (kValidation) name the plugin and,
/// when nothing was found, every place looked at.
sdk::Result<std::string> resolvePluginLibrary(const std::string& name, const std::string& library,
                                              const std::vector<std::string>& searchPath);

}  // namespace chathost::host
