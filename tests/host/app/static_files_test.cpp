#include "app/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace chathost::host {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("chathost-web-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<html>page</html>";
    std::ofstream(root_ / "assets" / "app-1a2b.js") << "console.log(1)";
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesIndexAssetsAndPageRoutes) {
  StaticFiles web(root_.string());
  auto index = web.serve("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<html>page</html>");
  EXPECT_EQ(index->contentType, "text/html; charset=utf-8");
  auto js = web.serve("/assets/app-1a2b.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->contentType, "text/javascript; charset=utf-8");
  auto page = web.serve("/agents/a1/conversations");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body, "<html>page</html>");
}

TEST_F(StaticFilesTest, LeavesApiPathsAndMissingAssetsAlone) {
  StaticFiles web(root_.string());
  EXPECT_FALSE(web.serve("/api/database/a/chat-agents"));
  EXPECT_FALSE(web.serve("/webhooks/instagram"));
  EXPECT_FALSE(web.serve("/healthz"));
  EXPECT_FALSE(web.serve("/metrics"));
  EXPECT_FALSE(web.serve("/assets/missing.js"));
  EXPECT_FALSE(web.serve("/../../etc/passwd.txt"));
}

TEST_F(StaticFilesTest, UnknownPathsAreNotThePage) {
  StaticFiles web(root_.string());
  for (const char* path : {"/wp-login.php", "/admin", "/agentsx", "/.env", "/favicon.ico"})
    EXPECT_FALSE(web.serve(path)) << path;
  EXPECT_TRUE(web.serve("/agents"));
  EXPECT_TRUE(web.serve("/agents/new"));
  EXPECT_TRUE(web.serve("/api-docs")) << "the API page";
  EXPECT_FALSE(web.serve("/api-docs/x"));
  EXPECT_FALSE(web.serve("/api/openapi.json")) << "the document itself is the router's";
}

TEST_F(StaticFilesTest, PagesCarryAPolicyWithoutInlineScript) {
  StaticFiles web(root_.string());
  const auto page = web.serve("/agents/a1");
  ASSERT_TRUE(page);
  std::string policy;
  for (const auto& [name, value] : page->headers)
    if (name == "Content-Security-Policy") policy = value;
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
}

TEST(StaticFiles, MissingRootServesAPlaceholderThatSaysHowToBuild) {
  StaticFiles web("/nonexistent/chathost/web");
  auto page = web.serve("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("dashboard was not built"), std::string::npos);
  EXPECT_EQ(page->contentType, "text/html; charset=utf-8");
}

}  // namespace
}  // namespace chathost::host
