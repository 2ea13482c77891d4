// Loads the fixture plugins for real (Boost.DLL) and checks every verdict and the lifetime order.
#include "plugins/plugin_manager.h"

#include "test_doubles.h"

#include <chathost/sdk/version.h>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chathost::host {
namespace {

namespace fs = std::filesystem;
using testing::CapturingRouter;
using testing::MapConfigView;
using testing::RecordingLogger;
using testing::TinyContext;

const std::string kDir = CHATHOST_FIXTURE_PLUGIN_DIR;

std::string fixturePath(const std::string& name) {
  return kDir + "/libchathost_" + name + ".so";
}

bool isLoaded(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);  // NOLOAD still took a reference
  return true;
}

std::vector<std::string> gEvents;

// Called by the fixtures through the `probe` config value.
extern "C" void recordProbe(const char* plugin, const char* event) {
  std::string line = std::string(plugin) + ":" + event;
  if (std::string(event) == "destroy")
    line += isLoaded(fixturePath(plugin)) ? ":loaded" : ":unloaded";
  gEvents.push_back(line);
}

std::string probeAddress() {
  std::ostringstream out;
  out << std::hex << reinterpret_cast<std::uintptr_t>(&recordProbe);
  return out.str();
}

PluginSpec spec(const std::string& name, std::map<std::string, std::string> config = {},
                std::string library = {}) {
  config["probe"] = probeAddress();
  return {name, std::move(library), std::make_shared<MapConfigView>(std::move(config)), {}};
}

class TrackedContext : public TinyContext {
 public:
  TrackedContext(std::string name, const sdk::ConfigView& c, sdk::Logger& l, sdk::Router& r)
      : TinyContext(c, l, r), name_(std::move(name)) {}
  ~TrackedContext() override { gEvents.push_back(name_ + ":context-gone"); }

 private:
  std::string name_;
};

class PluginManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { gEvents.clear(); }

  ContextFactory factory() {
    return [this](const std::string& name, const sdk::ConfigView& config) {
      return std::make_unique<TrackedContext>(name, config, logger_, router_);
    };
  }
  std::string loadError(const std::vector<PluginSpec>& specs) {
    PluginManager manager(logger_, {kDir});
    sdk::Status s = manager.loadAll(specs);
    EXPECT_FALSE(s.isOk());
    EXPECT_EQ(s.code(), sdk::ErrorCode::kValidation);
    EXPECT_TRUE(manager.plugins().empty()) << "nothing stays loaded after a refusal";
    return s.message();
  }

  RecordingLogger logger_;
  CapturingRouter router_;
};

TEST_F(PluginManagerTest, GoodPluginRunsItsWholeLifetimeInOrder) {
  {
    PluginManager manager(logger_, {"/nonexistent", kDir});
    ASSERT_TRUE(manager.loadAll({spec("good")}).isOk());
    auto info = manager.plugins();
    ASSERT_EQ(info.size(), 1u);
    EXPECT_EQ(info[0].name, "good");
    EXPECT_EQ(info[0].version, "1.2.3");
    EXPECT_EQ(info[0].path, fixturePath("good"));
    EXPECT_TRUE(isLoaded(fixturePath("good")));

    ASSERT_TRUE(manager.startAll(factory()).isOk());
    manager.stopAll();
    EXPECT_EQ(gEvents, (std::vector<std::string>{"good:validate", "good:start", "good:stop",
                                                 "good:context-gone"}));
    manager.unloadAll();
    EXPECT_TRUE(manager.plugins().empty());
  }
  EXPECT_EQ(gEvents.back(), "good:destroy:loaded") << "destroy() must run before the unload";
  EXPECT_FALSE(isLoaded(fixturePath("good"))) << "the library must really be unloaded";
  auto lines = logger_.lines();
  EXPECT_NE(std::find(lines.begin(), lines.end(), "info stopping plugin plugin=good"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "info plugin unloaded plugin=good"), lines.end());
}

TEST_F(PluginManagerTest, DestructorStopsDestroysThenUnloads) {
  {
    PluginManager manager(logger_, {kDir});
    ASSERT_TRUE(manager.loadAll({spec("good")}).isOk());
    ASSERT_TRUE(manager.startAll(factory()).isOk());
  }
  EXPECT_EQ(gEvents, (std::vector<std::string>{"good:validate", "good:start", "good:stop",
                                               "good:context-gone", "good:destroy:loaded"}));
  EXPECT_FALSE(isLoaded(fixturePath("good")));
}

TEST_F(PluginManagerTest, ConfiguredLibraryPathIsUsed) {
  PluginManager manager(logger_, {});
  ASSERT_TRUE(manager.loadAll({spec("good", {}, fixturePath("good"))}).isOk());
  EXPECT_EQ(manager.plugins().at(0).path, fixturePath("good"));
}

TEST_F(PluginManagerTest, MissingEntrySymbol) {
  EXPECT_EQ(loadError({spec("noentry")}),
            fixturePath("noentry") +
                ": plugin 'noentry' exports no 'chathost_plugin_v1' entry: not a chathost plugin "
                "(use CHATHOST_PLUGIN())");
}

TEST_F(PluginManagerTest, NextAbiMajor) {
  EXPECT_EQ(loadError({spec("abinext")}),
            fixturePath("abinext") + ": plugin 'abinext' was built for SDK ABI " +
                std::to_string(sdk::kAbiMajor + 1) + ".0, this host speaks " +
                std::to_string(sdk::kAbiMajor) + "." + std::to_string(sdk::kAbiMinor) +
                ": rebuild it against this host's SDK");
}

TEST_F(PluginManagerTest, NewerAbiMinor) {
  std::string host = std::to_string(sdk::kAbiMajor) + "." + std::to_string(sdk::kAbiMinor);
  std::string next = std::to_string(sdk::kAbiMajor) + "." + std::to_string(sdk::kAbiMinor + 1);
  EXPECT_EQ(loadError({spec("minornext")}),
            fixturePath("minornext") + ": plugin 'minornext' needs SDK ABI " + next +
                ", newer than this host's " + host +
                ": upgrade the host or rebuild the plugin against its SDK");
}

TEST_F(PluginManagerTest, ForeignFingerprintShowsBoth) {
  EXPECT_EQ(loadError({spec("foreign")}),
            fixturePath("foreign") +
                ": plugin 'foreign' was built with 'gcc-0;libc++;cxx201703', this host with '" +
                CHATHOST_SDK_FINGERPRINT +
                "': rebuild it with the host's compiler and standard library");
}

TEST_F(PluginManagerTest, ConstructorThrowsMeansCreateReturnsNull) {
  EXPECT_EQ(loadError({spec("ctorthrows")}),
            fixturePath("ctorthrows") +
                ": plugin 'ctorthrows' could not be created: create() returned null (its "
                "constructor failed)");
}

TEST_F(PluginManagerTest, UnloadableFileShowsTheLoaderText) {
  fs::path dir = fs::temp_directory_path() / ("chathost-garbage-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "libchathost_garbage.so").string();
  std::ofstream(path) << std::string(256, 'x');
  PluginManager manager(logger_, {dir.string()});
  sdk::Status s = manager.loadAll({spec("garbage")});
  fs::remove_all(dir);
  EXPECT_EQ(s.message(), path + ": cannot load plugin 'garbage': " + path + ": invalid ELF header");
}

TEST_F(PluginManagerTest, NotFoundListsTheSearchPath) {
  EXPECT_EQ(loadError({spec("absent")}), "plugin 'absent': libchathost_absent.so not found in " +
                                             kDir +
                                             " (set plugins[].library or CHATHOST_PLUGIN_PATH)");
}

TEST_F(PluginManagerTest, ConfiguredNameMustMatchTheManifest) {
  EXPECT_EQ(loadError({spec("other", {}, fixturePath("good"))}),
            "plugin 'other': " + fixturePath("good") +
                " is the plugin 'good': the configured name must match the plugin's own");
  EXPECT_EQ(gEvents, std::vector<std::string>{}) << "refused before validateConfig";
}

TEST_F(PluginManagerTest, TwoLibrariesWithTheSameNameAreRefused) {
  EXPECT_EQ(loadError({spec("twin"), spec("twin", {}, fixturePath("twin_copy"))}),
            "plugin 'twin' is loaded twice, from " + fixturePath("twin") + " and " +
                fixturePath("twin_copy") + ": plugin names must be unique");
  EXPECT_FALSE(isLoaded(fixturePath("twin")));
  EXPECT_FALSE(isLoaded(fixturePath("twin_copy")));
}

TEST_F(PluginManagerTest, ConfigIssuesAreDescribedByTheHost) {
  PluginSpec s = spec("badconfig", {{"graph_api_version", "v1"}, {"limits.per_second", "many"}});
  s.describeIssue = [](const sdk::ConfigIssue& issue) {
    return "cfg.yaml:" + std::to_string(issue.path.size()) + ":3: " + issue.message;
  };
  EXPECT_EQ(loadError({s}), "cfg.yaml:17:3: must be v21.0\ncfg.yaml:17:3: must be an integer");
}

TEST_F(PluginManagerTest, ConfigIssuesWithoutDescriberNameThePath) {
  PluginManager manager(logger_, {kDir});
  EXPECT_TRUE(manager.loadAll({spec("badconfig", {{"graph_api_version", "v21.0"}})}).isOk());
  EXPECT_EQ(loadError({spec("badconfig")}),
            "plugins.badconfig.config.graph_api_version: must be v21.0");
}

TEST_F(PluginManagerTest, CollectsEveryProblemOneALineAndUnloadsTheGoodOnes) {
  std::string message =
      loadError({spec("noentry"), spec("good"), spec("abinext"), spec("badconfig")});
  std::vector<std::string> lines;
  std::istringstream in(message);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << message;
  EXPECT_NE(lines[0].find("'noentry' exports no"), std::string::npos);
  EXPECT_NE(lines[1].find("'abinext' was built for SDK ABI"), std::string::npos);
  EXPECT_EQ(lines[2], "plugins.badconfig.config.graph_api_version: must be v21.0");
  EXPECT_EQ(gEvents, (std::vector<std::string>{"good:validate", "good:destroy:loaded"}));
  EXPECT_FALSE(isLoaded(fixturePath("good")));
}

TEST_F(PluginManagerTest, StartFailureStopsTheStartedOnesInReverse) {
  PluginManager manager(logger_, {kDir});
  // The router fixture's handlers live in its library: they must go before it unloads.
  manager.setBeforeUnload([this] { router_.routes.clear(); });
  ASSERT_TRUE(manager.loadAll({spec("good"), spec("router"), spec("startfails")}).isOk());
  gEvents.clear();
  sdk::Status s = manager.startAll(factory());
  EXPECT_EQ(s.code(), sdk::ErrorCode::kUnavailable);
  EXPECT_EQ(s.message(), "plugin 'startfails' failed to start: upstream is down");
  EXPECT_EQ(gEvents,
            (std::vector<std::string>{"good:start", "router:start", "startfails:start",
                                      "startfails:context-gone", "router:stop", "good:stop",
                                      "good:context-gone", "router:context-gone"}));
}

TEST_F(PluginManagerTest, StartThatThrowsIsAnErrorValue) {
  PluginManager manager(logger_, {kDir});
  ASSERT_TRUE(manager.loadAll({spec("startthrows")}).isOk());
  sdk::Status s = manager.startAll(factory());
  EXPECT_EQ(s.code(), sdk::ErrorCode::kInternal);
  EXPECT_EQ(s.message(), "plugin 'startthrows' failed to start: plugin threw in start(): kaboom");
}

TEST_F(PluginManagerTest, HostContextFailuresAreReported) {
  PluginManager manager(logger_, {kDir});
  ASSERT_TRUE(manager.loadAll({spec("good")}).isOk());
  EXPECT_EQ(manager
                .startAll([](const std::string&, const sdk::ConfigView&) {
                  return std::unique_ptr<sdk::PluginContext>();
                })
                .message(),
            "plugin 'good' failed to start: the host could not build its context");
  EXPECT_EQ(manager
                .startAll([](const std::string&,
                             const sdk::ConfigView&) -> std::unique_ptr<sdk::PluginContext> {
                  throw std::runtime_error("no database");
                })
                .message(),
            "plugin 'good' failed to start: exception: no database");
  EXPECT_TRUE(manager.startAll(factory()).isOk()) << "a later attempt may still succeed";
}

TEST_F(PluginManagerTest, RoutesRegisteredThroughTheContextWorkAndAreDroppedBeforeUnload) {
  {
    PluginManager manager(logger_, {kDir});
    manager.setBeforeUnload([this] {
      router_.routes.clear();
      gEvents.push_back("hook:routes-dropped");
    });
    ASSERT_TRUE(manager.loadAll({spec("router", {{"greeting", "hi"}})}).isOk());
    ASSERT_TRUE(manager.startAll(factory()).isOk());
    ASSERT_EQ(router_.routes.size(), 2u);

    const auto& agentRoute = router_.routes[0];
    EXPECT_TRUE(agentRoute.agentScoped);
    EXPECT_EQ(agentRoute.method, sdk::Method::kGet);
    EXPECT_EQ(agentRoute.path, "fixture/ping");
    EXPECT_EQ(agentRoute.operation, "fixturePing");
    sdk::AgentInfo agent;
    agent.id = "agent-7";
    auto ok = agentRoute.handler(sdk::Request{}, sdk::RouteContext{&agent, "op"});
    ASSERT_TRUE(ok.isOk());
    EXPECT_EQ(ok->body, R"({"success":true,"data":{"greeting":"hi","agent":"agent-7"}})");

    const auto& publicRoute = router_.routes[1];
    EXPECT_FALSE(publicRoute.agentScoped);
    EXPECT_EQ(publicRoute.path, "/webhooks/fixture");
    auto failed = publicRoute.handler(sdk::Request{}, sdk::RouteContext{});
    ASSERT_FALSE(failed.isOk());
    EXPECT_EQ(failed.status().code(), sdk::ErrorCode::kInternal);
    EXPECT_EQ(failed.status().message(), "unhandled plugin error: handler exploded");
    auto lines = logger_.lines();
    EXPECT_NE(std::find(lines.begin(), lines.end(), "info router fixture started"), lines.end());
  }
  EXPECT_EQ(gEvents, (std::vector<std::string>{"router:validate", "router:start", "router:stop",
                                               "router:context-gone", "hook:routes-dropped",
                                               "router:destroy:loaded"}));
  EXPECT_FALSE(isLoaded(fixturePath("router")));
}

TEST_F(PluginManagerTest, GoodFixtureHasNoUniqueSymbols) {
  std::string command = "readelf -Ws --dyn-syms " + fixturePath("good") + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ASSERT_EQ(::pclose(pipe), 0) << output;
  EXPECT_NE(output.find("chathost_plugin_v1"), std::string::npos) << output;
  EXPECT_EQ(output.find("UNIQUE"), std::string::npos) << output;
}

}  // namespace
}  // namespace chathost::host
