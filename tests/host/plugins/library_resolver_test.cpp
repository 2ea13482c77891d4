#include "plugins/library_resolver.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace chathost::host {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "chathost-resolver-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string touch(const std::string& relative) const {
    fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x";
    return p.string();
  }

 private:
  fs::path path_;
};

TEST(PluginSearchPath, EnvEntriesFirstThenNextToTheExecutable) {
  auto path = pluginSearchPath("/opt/a::/opt/b/", "/usr/local/bin/chathost");
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[0], "/opt/a");
  EXPECT_EQ(path[1], "/opt/b/");
  EXPECT_EQ(path[2], "/usr/local/lib/chathost/plugins");
  EXPECT_EQ(path[3], "/usr/local/bin/plugins");
}

TEST(PluginSearchPath, RelativeEntriesBecomeAbsolute) {
  auto path = pluginSearchPath("rel/dir", "build/bin/chathost");
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0], (fs::current_path() / "rel/dir").lexically_normal().string());
  EXPECT_EQ(path[1], (fs::current_path() / "build/lib/chathost/plugins").string());
}

TEST(PluginSearchPath, DefaultReadsTheEnvironment) {
  ::setenv("CHATHOST_PLUGIN_PATH", "/from/env", 1);
  auto path = defaultPluginSearchPath("/x/bin/chathost");
  ::unsetenv("CHATHOST_PLUGIN_PATH");
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0], "/from/env");
  EXPECT_EQ(defaultPluginSearchPath("/x/bin/chathost").size(), 2u);
}

TEST(PluginSearchPath, CurrentExecutableIsAbsoluteAndExists) {
  std::string exe = currentExecutablePath();
  EXPECT_TRUE(fs::path(exe).is_absolute());
  EXPECT_TRUE(fs::exists(exe));
}

TEST(ResolvePluginLibrary, AbsoluteLibraryIsUsedAsIs) {
  TempDir dir;
  std::string lib = dir.touch("custom/my.so");
  auto r = resolvePluginLibrary("x", lib, {});
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(*r, lib);
}

TEST(ResolvePluginLibrary, RelativeLibraryIsMadeAbsoluteAgainstTheWorkingDirectory) {
  TempDir dir;
  dir.touch("plugins/my.so");
  fs::path before = fs::current_path();
  fs::current_path(dir.path());
  auto r = resolvePluginLibrary("x", "plugins/my.so", {});
  fs::current_path(before);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(*r, (dir.path() / "plugins/my.so").string());
}

TEST(ResolvePluginLibrary, MissingConfiguredLibraryIsNamed) {
  auto r = resolvePluginLibrary("x", "/nonexistent/lib.so", {"/a"});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "plugin 'x': library /nonexistent/lib.so does not exist");
}

TEST(ResolvePluginLibrary, SearchPathFirstMatchWins) {
  TempDir dir;
  dir.touch("second/libchathost_chan.so");
  std::string first = dir.touch("first/libchathost_chan.so");
  auto r = resolvePluginLibrary("chan", "",
                                {(dir.path() / "empty").string(), (dir.path() / "first").string(),
                                 (dir.path() / "second").string()});
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(*r, first);
}

TEST(ResolvePluginLibrary, NotFoundListsWhereItLooked) {
  auto r = resolvePluginLibrary("chan", "", {"/nowhere/a", "/nowhere/b"});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "plugin 'chan': libchathost_chan.so not found in /nowhere/a, /nowhere/b (set "
            "plugins[].library or CHATHOST_PLUGIN_PATH)");
}

TEST(ResolvePluginLibrary, UnsafeNameIsRefusedWithoutTouchingTheFileSystem) {
  TempDir dir;
  dir.touch("libchathost_../x.so");
  auto r = resolvePluginLibrary("../x", "", {dir.path().string()});
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("a name of 1-64 characters"), std::string::npos);
}

}  // namespace
}  // namespace chathost::host
