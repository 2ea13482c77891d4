// Installs the SDK alone, builds tests/sdk/out_of_tree against it like a third-party author
// would, and loads the result with the host's PluginManager.
#include "plugins/plugin_manager.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chathost::host {
namespace {

namespace fs = std::filesystem;

const fs::path kWork = fs::path(CHATHOST_HOST_BUILD_DIR) / "tests/sdk/out_of_tree_work";

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command`, its output to a log; the log is the failure message.
::testing::AssertionResult run(const std::string& command) {
  fs::path log = kWork / "command.log";
  int rc = std::system((command + " >" + log.string() + " 2>&1").c_str());
  if (rc == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << command << "\n" << readFile(log);
}

class NullLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel, const std::string&, const sdk::LogFields&) override {}
  bool enabled(sdk::LogLevel) const override { return false; }
};

class OneKeyConfig : public sdk::ConfigView {
 public:
  explicit OneKeyConfig(std::string greeting) : greeting_(std::move(greeting)) {}
  sdk::ConfigNodeKind kind(const std::string& path) const override {
    if (path.empty()) return sdk::ConfigNodeKind::kMap;
    return path == "greeting" ? sdk::ConfigNodeKind::kScalar : sdk::ConfigNodeKind::kMissing;
  }
  std::optional<std::string> scalar(const std::string& path) const override {
    if (path == "greeting") return greeting_;
    return std::nullopt;
  }
  std::vector<std::string> keys(const std::string& path) const override {
    return path.empty() ? std::vector<std::string>{"greeting"} : std::vector<std::string>{};
  }
  std::size_t size(const std::string&) const override { return 0; }

 private:
  std::string greeting_;
};

TEST(OutOfTreePlugin, BuildsAgainstTheInstalledSdkAndLoads) {
  const std::string cmake = CHATHOST_CMAKE_COMMAND;
  const fs::path prefix = kWork / "prefix";
  const fs::path build = kWork / "build";
  fs::remove_all(kWork);
  fs::create_directories(kWork);

  ASSERT_TRUE(run(cmake + " --install " + CHATHOST_HOST_BUILD_DIR + " --component sdk --prefix " +
                  prefix.string()));
  EXPECT_TRUE(fs::exists(prefix / "include/chathost/sdk/plugin.h"));
  EXPECT_TRUE(fs::exists(prefix / "lib/cmake/chathost-sdk/chathost-sdkConfig.cmake"));
  EXPECT_TRUE(fs::exists(prefix / "lib/cmake/chathost-sdk/ChathostPlugin.cmake"));

  std::string configure = cmake + " -S " + CHATHOST_OUT_OF_TREE_SOURCE_DIR + " -B " +
                          build.string() + " -DCMAKE_PREFIX_PATH=" + prefix.string() +
                          " -DCMAKE_CXX_COMPILER=" + CHATHOST_CXX_COMPILER +
                          " -DCMAKE_EXPORT_COMPILE_COMMANDS=ON";
  if (std::system("command -v ccache >/dev/null 2>&1") == 0)
    configure += " -DCMAKE_CXX_COMPILER_LAUNCHER=ccache";
  ASSERT_TRUE(run(configure));
  ASSERT_TRUE(run(cmake + " --build " + build.string()));

  std::string commands = readFile(build / "compile_commands.json");
  EXPECT_NE(commands.find(prefix.string() + "/include"), std::string::npos) << commands;
  EXPECT_EQ(commands.find(std::string(CHATHOST_HOST_SOURCE_DIR) + "/sdk"), std::string::npos)
      << "the plugin must build from the installed SDK only:\n"
      << commands;

  NullLogger logger;
  PluginManager manager(logger, {(build / "plugins").string()});
  sdk::Status loaded =
      manager.loadAll({{"outoftree", "", std::make_shared<OneKeyConfig>("hi"), {}}});
  ASSERT_TRUE(loaded.isOk()) << loaded.message();
  auto info = manager.plugins();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].version, "0.1.0");
  EXPECT_EQ(info[0].path, (build / "plugins/libchathost_outoftree.so").string());
  manager.unloadAll();

  // Its own validation runs in the host: an empty greeting is refused.
  sdk::Status refused =
      manager.loadAll({{"outoftree", "", std::make_shared<OneKeyConfig>(""), {}}});
  EXPECT_EQ(refused.message(), "plugins.outoftree.config.greeting: must not be empty");
}

}  // namespace
}  // namespace chathost::host
