#include "plugins/library_resolver.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace chathost::host {

namespace fs = std::filesystem;

namespace {

std::string absoluteNormal(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  return abs.lexically_normal().string();
}

bool isRegularFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// Plugin names become file names: keep them to a safe alphabet.
bool isSafeName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

std::vector<std::string> pluginSearchPath(const std::string& envValue,
                                          const std::string& executablePath) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= envValue.size()) {
    std::size_t end = envValue.find(':', start);
    if (end == std::string::npos) end = envValue.size();
    if (end > start) out.push_back(absoluteNormal(envValue.substr(start, end - start)));
    start = end + 1;
  }
  if (!executablePath.empty()) {
    fs::path exeDir = fs::path(absoluteNormal(executablePath)).parent_path();
    out.push_back(absoluteNormal(exeDir / ".." / "lib" / "chathost" / "plugins"));
    out.push_back(absoluteNormal(exeDir / "plugins"));
  }
  return out;
}

std::vector<std::string> defaultPluginSearchPath(const std::string& executablePath) {
  const char* env = std::getenv("CHATHOST_PLUGIN_PATH");
  return pluginSearchPath(env ? env : "", executablePath);
}

std::string currentExecutablePath() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

std::string pluginFileName(const std::string& pluginName) {
  return "libchathost_" + pluginName + ".so";
}

sdk::Result<std::string> resolvePluginLibrary(const std::string& name, const std::string& library,
                                              const std::vector<std::string>& searchPath) {
  if (!library.empty()) {
    std::string path = absoluteNormal(library);
    if (!isRegularFile(path))
      return sdk::Status::validation("plugin '" + name + "': library " + path + " does not exist");
    return path;
  }
  if (!isSafeName(name))
    return sdk::Status::validation("plugin '" + name +
                                   "': a name of 1-64 characters A-Z a-z 0-9 _ - is needed to "
                                   "find its library; set plugins[].library instead");
  const std::string file = pluginFileName(name);
  std::string looked;
  for (const auto& dir : searchPath) {
    std::string candidate = (fs::path(dir) / file).string();
    if (isRegularFile(candidate)) return candidate;
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  if (looked.empty()) looked = "(empty search path)";
  return sdk::Status::validation("plugin '" + name + "': " + file + " not found in " + looked +
                                 " (set plugins[].library or CHATHOST_PLUGIN_PATH)");
}

}  // namespace chathost::host
