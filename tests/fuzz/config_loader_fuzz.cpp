// The host's YAML config (operator input, but also the first thing a broken deploy feeds it).
// Invariants: never throws; a config comes back exactly when there are no errors; errors have
// 1-based positions, are sorted by position and name the file; loading is deterministic, and
// loading the same text from a file gives the same errors.

#include "config/config_loader.h"
#include "fuzz_support.h"

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <map>

using namespace chathost::host;

namespace {

std::optional<std::string> fakeEnv(const std::string& name) {
  static const std::map<std::string, std::string> kVars = {
      {"PORT", "9090"},
      {"JWT_SECRET", "0123456789abcdef0123456789abcdef"},
      {"APP_SECRET", "app-secret"},
      {"EMPTY", ""},
      {"HOST", "0.0.0.0"},
  };
  const auto it = kVars.find(name);
  if (it == kVars.end()) return std::nullopt;
  return it->second;
}

void checkResult(const ConfigLoadResult& r, const std::string& fileName) {
  FUZZ_CHECK(r.config.has_value() == r.errors.empty());
  for (std::size_t i = 0; i < r.errors.size(); ++i) {
    const ConfigError& e = r.errors[i];
    FUZZ_CHECK(e.line >= 1 && e.column >= 1);
    FUZZ_CHECK(e.file == fileName);
    FUZZ_CHECK(!e.message.empty());
    if (i > 0) {
      const ConfigError& p = r.errors[i - 1];
      FUZZ_CHECK(p.line < e.line || (p.line == e.line && p.column <= e.column));
    }
  }
  if (r.config) {
    FUZZ_CHECK(r.config->server.port >= 0 && r.config->server.port <= 65535);
    for (const auto& plugin : r.config->plugins) FUZZ_CHECK(plugin.config != nullptr);
  }
}

std::string tempPath() {
  static const std::string path = "/tmp/chathost-config-fuzz-" + std::to_string(getpid()) + ".yaml";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const EnvLookup env = fakeEnv;
  const ConfigLoadResult first = loadConfigText(text, "fuzz.yaml", env);
  checkResult(first, "fuzz.yaml");
  const ConfigLoadResult second = loadConfigText(text, "fuzz.yaml", env);
  FUZZ_CHECK(formatErrors(first.errors) == formatErrors(second.errors));

  const std::string path = tempPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  const ConfigLoadResult fromFile = loadConfigFile(path, env);
  std::remove(path.c_str());
  checkResult(fromFile, path);
  const ConfigLoadResult asNamed = loadConfigText(text, path, env);
  FUZZ_CHECK(formatErrors(fromFile.errors) == formatErrors(asNamed.errors));
  return 0;
}
