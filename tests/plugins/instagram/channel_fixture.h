#pragma once
// A channel built on the harness's fakes, with a fixed clock, for the channel's tests.

#include "instagram_channel.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <memory>

namespace chathost::instagram::testing {

inline constexpr std::int64_t kNowMs = 1'750'000'000'000;  // 2025-06-15 15:06:40 UTC

struct ChannelFixture : ::testing::Test {
  Harness h;
  std::unique_ptr<InstagramChannel> built;

  // Built on first use, so a test can adjust h.settings first.
  InstagramChannel& channel() {
    if (!built)
      built = std::make_unique<InstagramChannel>(h.settings, h.ctx.httpFake, h.ctx.metricsFake,
                                                 h.ctx.log, [] { return kNowMs; });
    return *built;
  }
  void withApp() {
    h.settings.appId = kAppId;
    h.settings.appSecret = kAppSecret;
  }
  /// A connection made through Instagram Login.
  sdk::Connection loginConnection() const {
    auto c = h.connection();
    c.pageId.clear();
    c.secrets = {{"accessToken", kToken}};
    c.settingsJson = R"({"apiFlavor":"instagram","name":"The Shop"})";
    return c;
  }
  std::vector<sdk::HttpRequest> requests() const { return h.ctx.httpFake.requests(); }
  static std::string bare(const std::string& url) { return url.substr(0, url.find('?')); }
  static std::string headerOf(const sdk::HttpRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return {};
  }
};

}  // namespace chathost::instagram::testing
