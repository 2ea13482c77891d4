#pragma once
// Shared arrangement for the plugin's unit tests: fakes, settings, a connected agent, signed
// webhook bodies.

#include "../meta/meta_test_support.h"
#include "graph_client.h"
#include "settings.h"

#include <chathost/meta/graph_errors.h>
#include <chathost/meta/json_util.h>
#include <chathost/meta/signature.h>

#include <chathost/sdk/testing/fakes.h>

#include <optional>
#include <string>

namespace chathost::instagram::testing {

namespace fakes = chathost::sdk::testing;

// What the plugin's tests use of the shared Meta library, by its short names.
using meta::appSecretProof;
using meta::classify;
using meta::getInt;
using meta::getObject;
using meta::getString;
using meta::GraphErrorClass;
using meta::hmacSha256Hex;
using meta::parseObject;
using meta::toJson;
using meta::testing::readCorpus;
using meta::testing::signedPost;
using meta::testing::textTo;

inline constexpr const char* kBase = "http://graph.test";
inline constexpr const char* kAccount = "17841400000000001";
inline constexpr const char* kPage = "100200300";
inline constexpr const char* kToken = "EAAG-secret-token";
inline constexpr const char* kAppSecret = "app-secret-123";
inline constexpr const char* kUser = "5500000000000001";
inline constexpr const char* kAppId = "987654321";
inline constexpr const char* kIgBase = "http://ig.test";  // instagram_graph_base_url
inline constexpr const char* kAuthorizeUrl = "http://www.ig.test/oauth/authorize";
inline constexpr const char* kTokenUrl = "http://api.ig.test/oauth/access_token";

/// The value of query parameter `name` in `url` (still percent-encoded), or nullopt.
inline std::optional<std::string> queryParam(const std::string& url, const std::string& name) {
  auto q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string rest = url.substr(q + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t amp = rest.find('&', start);
    if (amp == std::string::npos) amp = rest.size();
    std::string pair = rest.substr(start, amp - start);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string::npos ? std::string() : pair.substr(eq + 1);
    start = amp + 1;
  }
  return std::nullopt;
}

/// The SDK's fakes and the plugin's settings, pointed at a fake Graph API.
struct Harness {
  fakes::FakePluginContext ctx;
  Settings settings;
  sdk::AgentInfo agent{"agent1", "sub1", "Helper", "rules", "{}", 0, 0};

  Harness() {
    settings.graphBaseUrl = kBase;
    settings.appSecret = kAppSecret;
    settings.instagramGraphBaseUrl = kIgBase;
    settings.oauthAuthorizeUrl = kAuthorizeUrl;
    settings.oauthTokenUrl = kTokenUrl;
  }

  sdk::Connection connection(bool withWebhookSecret = false) const {
    sdk::Connection c;
    c.subaccountId = agent.subaccountId;
    c.agentId = agent.id;
    c.channel = "instagram";
    c.accountId = kAccount;
    c.pageId = kPage;
    c.username = "shop";
    c.accountType = "BUSINESS";
    c.connected = true;
    c.active = true;
    c.secrets = {{"accessToken", kToken}, {"verifyToken", "verify-me"}};
    if (withWebhookSecret) c.secrets["webhookSecret"] = "agent-hook-secret";
    return c;
  }
  std::string graphUrl(const std::string& path) const {
    return std::string(kBase) + "/" + settings.graphApiVersion + "/" + path;
  }
  /// A versioned path on instagram_graph_base_url (Instagram Login connections).
  std::string igGraphUrl(const std::string& path) const {
    return std::string(kIgBase) + "/" + settings.graphApiVersion + "/" + path;
  }
  /// Scripts `<method> <url>` (a subscribed_apps edge) to answer {"success":true} (every time);
  /// for a POST, the GET of a Page's current subscription answers that it has none.
  void scriptSubscribed(const std::string& url, sdk::Method method = sdk::Method::kPost) {
    ctx.httpFake.on(method, url, fakes::FakeHttpClient::json(200, R"({"success":true})"));
    if (method == sdk::Method::kPost)
      ctx.httpFake.on(sdk::Method::kGet, url, fakes::FakeHttpClient::json(200, R"({"data":[]})"));
  }
  /// Scripts the Send API to acknowledge with message ids "sent_1", "sent_2"...
  void scriptSendOk() {
    ctx.httpFake.on(sdk::Method::kPost, graphUrl(std::string(kPage) + "/messages"),
                    [n = 0](const sdk::HttpRequest&) mutable -> sdk::Result<sdk::HttpResponse> {
                      return fakes::FakeHttpClient::json(
                          200, "{\"recipient_id\":\"5500000000000001\",\"message_id\":\"sent_" +
                                   std::to_string(++n) + "\"}");
                    });
  }
  std::size_t sendCalls() const {
    return ctx.httpFake.requestsTo(std::string(kPage) + "/messages").size();
  }
};

}  // namespace chathost::instagram::testing
