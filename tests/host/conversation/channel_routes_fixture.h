#pragma once
// The generic routes of the fake channel, called as the host's router calls them after auth.

#include "conversation/channel_routes.h"
#include "harness.h"

#include <gtest/gtest.h>

namespace chathost::testing {

struct ChannelRoutesTest : ::testing::Test {
  Harness h{2000};
  std::unique_ptr<host::ReplySender> sender;
  std::unique_ptr<host::ChannelRoutes> routes;

  void start() {
    if (routes) return;
    sender = std::make_unique<host::ReplySender>(h.registered(), h.services);
    routes = std::make_unique<host::ChannelRoutes>(*sender, h.services);
    routes->registerRoutes(h.router);
  }
  sdk::Result<sdk::Response> call(sdk::Method m, const std::string& sub,
                                  const std::string& body = "",
                                  std::vector<std::pair<std::string, std::string>> query = {}) {
    start();
    sdk::Request r;
    r.body = body;
    r.query = std::move(query);
    return h.router.invokeAgent(m, std::string(kChannel) + "/" + sub, r, h.agent);
  }
  std::optional<sdk::Connection> stored() { return *h.connections.get("sub1", "agent1", kChannel); }

  /// The channel verifies the account and answers `dataJson`; the connection it describes has
  /// the tenant fields wrong on purpose (the host sets them).
  void scriptConnect(
      const std::string& dataJson = R"({"qrCode":"https://x/shop","username":"shop"})") {
    sdk::ConnectResult r;
    r.connection.accountId = kAccount;
    r.connection.username = "shop";
    r.connection.accountType = "BUSINESS";
    r.connection.secrets = {{"token", kToken}, {"verifyToken", "verify-me"}};
    r.connection.subaccountId = "someone-else";
    r.connection.agentId = "another-agent";
    r.connection.channel = "elsewhere";
    r.dataJson = dataJson;
    r.message = "FakeChat connected. Say hello!";
    h.channel.connects.then(r);
  }
  std::string connectBody() const { return std::string(R"({"token":")") + kToken + "\"}"; }
};

}  // namespace chathost::testing
