#include "config/plugin_config_view.h"

#include "config/config_loader.h"
#include "test_env.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

namespace chathost::host {
namespace {

using sdk::ConfigNodeKind;
using testing::fakeEnv;

// The view of the first plugin of `text`, which must load cleanly.
std::shared_ptr<const PluginConfigView> viewOf(const std::string& text) {
  ConfigLoadResult r = loadConfigText(text, "p.yaml", fakeEnv({{"TOKEN", "t0k"}}));
  EXPECT_TRUE(r.config) << formatErrors(r.errors);
  if (!r.config || r.config->plugins.empty()) return nullptr;
  return r.config->plugins[0].config;
}

const char* const kPlugin = R"(plugins:
  - name: demo
    config:
      url: http://localhost:${PORT:-9000}/x
      token: ${TOKEN}
      flag: yes
      count: "12"
      bad_count: 12abc
      empty:
      items:
        - name: first
        - name: second
          weight: 2
      nested:
        deeper:
          leaf: value
)";

TEST(PluginConfigView, ReadsKindsScalarsKeysAndSizes) {
  auto view = viewOf(kPlugin);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->kind(""), ConfigNodeKind::kMap);
  EXPECT_EQ(view->kind("url"), ConfigNodeKind::kScalar);
  EXPECT_EQ(view->kind("empty"), ConfigNodeKind::kNull);
  EXPECT_EQ(view->kind("items"), ConfigNodeKind::kSequence);
  EXPECT_EQ(view->kind("nested"), ConfigNodeKind::kMap);
  EXPECT_EQ(view->kind("absent"), ConfigNodeKind::kMissing);
  EXPECT_EQ(view->kind("url.deeper"), ConfigNodeKind::kMissing);
  EXPECT_EQ(view->kind("items.5"), ConfigNodeKind::kMissing);
  EXPECT_EQ(view->kind("items.x"), ConfigNodeKind::kMissing);
  EXPECT_EQ(view->kind("nested..deeper"), ConfigNodeKind::kMissing);

  EXPECT_EQ(view->scalar("url"), "http://localhost:9000/x");
  EXPECT_EQ(view->scalar("token"), "t0k");
  EXPECT_EQ(view->scalar("items.1.name"), "second");
  EXPECT_EQ(view->scalar("nested.deeper.leaf"), "value");
  EXPECT_EQ(view->scalar("nested"), std::nullopt);
  EXPECT_EQ(view->scalar("empty"), std::nullopt);

  std::vector<std::string> rootKeys{"url",       "token", "flag",  "count",
                                    "bad_count", "empty", "items", "nested"};
  EXPECT_EQ(view->keys(""), rootKeys);
  EXPECT_EQ(view->keys("items.1"), (std::vector<std::string>{"name", "weight"}));
  EXPECT_TRUE(view->keys("url").empty());
  EXPECT_EQ(view->size("items"), 2u);
  EXPECT_EQ(view->size("nested"), 0u);
}

TEST(PluginConfigView, ConvenienceReadersFromTheSdk) {
  auto view = viewOf(kPlugin);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->getBool("flag", false), true);
  EXPECT_EQ(view->getBool("absent", true), true);
  EXPECT_EQ(view->getInt("count", 0), 12);
  EXPECT_EQ(view->getInt("bad_count", 0), std::nullopt);
  EXPECT_EQ(view->getInt("empty", 7), 7);
  EXPECT_EQ(view->getString("absent", "dflt"), "dflt");
  EXPECT_EQ(view->getString("items", "x"), std::nullopt);
}

TEST(PluginConfigView, LocatesNodesByPath) {
  auto view = viewOf(kPlugin);
  ASSERT_TRUE(view);
  auto at = [&](const std::string& path) {
    ConfigError e = view->locate({path, "m"});
    return std::to_string(e.line) + ":" + std::to_string(e.column);
  };
  EXPECT_EQ(at("token"), "5:14");
  EXPECT_EQ(at("items.1.weight"), "13:19");
  EXPECT_EQ(at("items.1"), "12:11");
  EXPECT_EQ(at("nested.deeper.leaf"), "16:17");
  EXPECT_EQ(at("empty"), "9:7");
  // Missing paths point at the nearest existing parent, then at the `config:` key.
  EXPECT_EQ(at("nested.deeper.missing"), "16:11");
  EXPECT_EQ(at("nested.nope.leaf"), "15:9");
  EXPECT_EQ(at("missing"), "3:5");
  EXPECT_EQ(at(""), "3:5");
}

TEST(PluginConfigView, LocateFormatsMessageWithPluginAndPath) {
  auto view = viewOf(kPlugin);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->locate({"count", "must be at most 10"}).format(),
            "p.yaml:7:14: plugin 'demo': config.count: must be at most 10");
  EXPECT_EQ(view->locate({"", "app_secret is required"}).format(),
            "p.yaml:3:5: plugin 'demo': config: app_secret is required");
}

TEST(PluginConfigView, AbsentConfigIsAnEmptyMapLocatedAtThePlugin) {
  auto view = viewOf("plugins:\n  - name: bare\n");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->kind(""), ConfigNodeKind::kMap);
  EXPECT_TRUE(view->keys("").empty());
  EXPECT_EQ(view->kind("x"), ConfigNodeKind::kMissing);
  EXPECT_EQ(view->locate({"x", "required"}).format(),
            "p.yaml:2:5: plugin 'bare': config.x: required");
  auto nullConfig = viewOf("plugins:\n  - name: bare\n    config:\n");
  ASSERT_TRUE(nullConfig);
  EXPECT_EQ(nullConfig->kind(""), ConfigNodeKind::kMap);
  EXPECT_EQ(nullConfig->locate({"x", "required"}).format(),
            "p.yaml:3:5: plugin 'bare': config.x: required");
}

TEST(PluginConfigView, IsReadableFromManyThreads) {
  auto view = viewOf(kPlugin);
  ASSERT_TRUE(view);
  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        if (view->scalar("nested.deeper.leaf") == "value") ++matches[t];
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(matches, std::vector<int>(4, 2000));
}

}  // namespace
}  // namespace chathost::host
