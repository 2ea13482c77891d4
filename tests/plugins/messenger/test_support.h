#pragma once
// Shared arrangement of the Messenger plugin's unit tests: the SDK's fakes, settings pointed at
// a scripted Graph API, a connected Page, signed webhook bodies.

#include "../meta/meta_test_support.h"
#include "messenger_channel.h"
#include "settings.h"

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace chathost::messenger::testing {

namespace fakes = chathost::sdk::testing;

inline constexpr const char* kBase = "http://graph.test";
inline constexpr const char* kPage = "100200300";
inline constexpr const char* kToken = "EAAG-page-token";
inline constexpr const char* kAppSecret = "app-secret-123";
inline constexpr const char* kUser = "6600000000000001";

using meta::testing::signedPost;
using meta::testing::textTo;

/// A payload of tests/plugins/messenger/corpus.
inline std::string readCorpus(const std::string& name) {
  return meta::testing::readFile(std::string(MESSENGER_CORPUS_DIR) + "/" + name);
}

/// A channel on the SDK's fakes, built on first use so a test can adjust the settings first.
struct ChannelTest : ::testing::Test {
  fakes::FakePluginContext ctx;
  Settings settings;
  sdk::AgentInfo agent{"agent1", "sub1", "Helper", "rules", "{}", 0, 0};
  std::unique_ptr<MessengerChannel> built;

  ChannelTest() {
    settings.graphBaseUrl = kBase;
    settings.appSecret = kAppSecret;
    settings.verifyToken = "app-verify";
  }
  MessengerChannel& channel() {
    if (!built)
      built = std::make_unique<MessengerChannel>(settings, ctx.httpFake, ctx.metricsFake, ctx.log);
    return *built;
  }
  sdk::Connection connection() const {
    sdk::Connection c;
    c.subaccountId = agent.subaccountId;
    c.agentId = agent.id;
    c.channel = "messenger";
    c.accountId = c.pageId = kPage;
    c.username = "Acme Bikes";
    c.connected = c.active = true;
    c.secrets = {{"accessToken", kToken}, {"verifyToken", "verify-me"}};
    return c;
  }
  std::string graphUrl(const std::string& path) const {
    return std::string(kBase) + "/" + settings.graphApiVersion + "/" + path;
  }
  void answer(sdk::Method method, const std::string& path, int status, const std::string& body) {
    ctx.httpFake.on(method, graphUrl(path), fakes::FakeHttpClient::json(status, body));
  }
  std::vector<sdk::HttpRequest> requests() const { return ctx.httpFake.requests(); }
};

}  // namespace chathost::messenger::testing
