// Tenancy matrix against the real host on each backend: every /api route of SPEC section 6 (with
// Instagram Login and the thread route) for both channels (Instagram, Messenger), the per-agent
// webhooks of section 7 and the sign-in callback, called by every kind of caller that must be
// turned away
// (no token, an expired one, an `alg: none` one, a token for another subaccount, another
// tenant's agent id through one's own subaccount path). Each cell must answer the contract's
// status and code; afterwards tenant A's agents, connection and messages are exactly as before,
// and no answer carried anything of tenant A.

#include "support/backend_client.h"
#include "support/backend_config.h"
#include "support/backend_services.h"
#include "support/fake_graph_process.h"
#include "support/host_process.h"
#include "support/jwt_craft.h"
#include "support/page_payloads.h"
#include "support/signing.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace chathost::testing {
namespace {

constexpr const char* kJwtSecret = "tenancy-matrix-jwt-secret-0123456789abcdef";
constexpr const char* kAgentId = "support";
constexpr const char* kAgentName = "Acme Confidential Concierge";
constexpr const char* kUser = "7788990011";
constexpr const char* kUserText = "what is the price?";

// Tenant A's Instagram account, and another one an attacker would like to put in its place.
const IgAccount kAcmeAccount{"EAAB-acme-page-token", "17841400000000071", "100200371",
                             "acme_private_shop", "acme-webhook-secret"};
const IgAccount kAttackerAccount{"EAAB-attacker-token", "17841400000000072", "100200372",
                                 "attacker_shop", "attacker-webhook-secret"};
// Tenant A's Facebook Page (Messenger), signed with the same agent secret, and the attacker's.
const page::FakePage kAcmePage{"EAAB-acme-messenger-token", "300400571", "Acme Private Bikes"};
const page::FakePage kAttackerPage{"EAAB-attacker-messenger-token", "300400572", "Attacker Bikes"};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Who calls, and through which subaccount's path.
enum class Caller { kNoToken, kExpired, kAlgNone, kOtherSubaccount, kOwnPathOtherAgent };

const char* callerName(Caller c) {
  switch (c) {
    case Caller::kNoToken:
      return "no token";
    case Caller::kExpired:
      return "expired token";
    case Caller::kAlgNone:
      return "alg none token";
    case Caller::kOtherSubaccount:
      return "token for another subaccount";
    case Caller::kOwnPathOtherAgent:
      return "another tenant's agent id through one's own path";
  }
  return "?";
}

std::string claims(const std::string& subaccount, std::int64_t exp) {
  return "{\"sub\":\"attacker\",\"subaccounts\":[\"" + subaccount +
         "\"],\"exp\":" + std::to_string(exp) + "}";
}

Headers headersOf(Caller c) {
  switch (c) {
    case Caller::kNoToken:
      return {};
    case Caller::kExpired:
      return bearer(craftJwt(R"({"alg":"HS256","typ":"JWT"})", claims("acme", nowSeconds() - 60),
                             kJwtSecret));
    case Caller::kAlgNone:
      return bearer(
          craftJwt(R"({"alg":"none","typ":"JWT"})", claims("acme", nowSeconds() + 600), ""));
    case Caller::kOtherSubaccount:
    case Caller::kOwnPathOtherAgent:
      return bearer(tokenFor(kJwtSecret, {"globex"}));
  }
  return {};
}

// The subaccount in the path: tenant A's, except for the caller who uses its own.
std::string pathSubaccount(Caller c) {
  return c == Caller::kOwnPathOtherAgent ? "globex" : "acme";
}

// One route of the contract, as an attacker would call it on tenant A's agent.
struct Route {
  const char* name;
  const char* method;
  std::string subpath;  // after /api/database/<sub>/chat-agents
  std::string body;
  enum Kind { kCollection, kAgent, kWebhook } kind;
};

// `chatId`: tenant A's conversation, for the thread route.
std::vector<Route> routes(const std::string& chatId) {
  const std::string agent = std::string("/") + kAgentId;
  const std::string ig = agent + "/instagram";
  const std::string fb = agent + "/messenger";
  const std::string pageEvent =
      page::textWebhook(kUser, kAcmePage.pageId, 1718000000000, "m_attack", "injected");
  return {
      {"list agents", "GET", "", "", Route::kCollection},
      {"create agent", "POST", "", R"({"id":"support","name":"Squatter"})", Route::kCollection},
      {"get agent", "GET", agent, "", Route::kAgent},
      {"patch agent", "PATCH", agent, R"({"name":"Hijacked"})", Route::kAgent},
      {"delete agent", "DELETE", agent, "", Route::kAgent},
      {"instagram connect", "POST", ig + "/connect", kAttackerAccount.connectBody(), Route::kAgent},
      {"instagram status", "GET", ig + "/status", "", Route::kAgent},
      {"instagram send", "POST", ig + "/send",
       std::string(R"({"to":")") + kUser + R"(","message":"hijacked send"})", Route::kAgent},
      {"instagram messages", "GET", ig + "/messages?limit=50&skip=0", "", Route::kAgent},
      {"instagram thread", "GET", ig + "/messages/" + chatId + "?limit=50", "", Route::kAgent},
      {"instagram oauth start", "POST", ig + "/oauth/start", "{}", Route::kAgent},
      {"instagram disconnect", "POST", ig + "/disconnect", "", Route::kAgent},
      {"webhook verify", "GET", ig + "/webhook?hub.mode=subscribe&hub.challenge=4242", "",
       Route::kWebhook},
      {"webhook event", "POST", ig + "/webhook", "", Route::kWebhook},
      {"messenger connect", "POST", fb + "/connect", kAttackerPage.connectBody(), Route::kAgent},
      {"messenger status", "GET", fb + "/status", "", Route::kAgent},
      {"messenger send", "POST", fb + "/send",
       std::string(R"({"to":")") + kUser + R"(","message":"hijacked send"})", Route::kAgent},
      {"messenger messages", "GET", fb + "/messages?limit=50&skip=0", "", Route::kAgent},
      {"messenger thread", "GET", fb + "/messages/" + chatId + "?limit=50", "", Route::kAgent},
      {"messenger disconnect", "POST", fb + "/disconnect", "", Route::kAgent},
      {"messenger webhook verify", "GET", fb + "/webhook?hub.mode=subscribe&hub.challenge=4242", "",
       Route::kWebhook},
      {"messenger webhook event", "POST", fb + "/webhook", pageEvent, Route::kWebhook},
  };
}

struct Expected {
  int status;
  const char* code;  // "" for a success envelope
};

// SPEC 4/5: 401 before anything else, then 403 for a subaccount the token does not grant, then
// 404 for an agent that is not in the path's subaccount. Webhooks ignore JWTs: without Meta's
// signature (or the agent's verify token) they are 403.
Expected expectedFor(const Route& r, Caller c) {
  if (r.kind == Route::kWebhook) return {403, "FORBIDDEN"};
  switch (c) {
    case Caller::kNoToken:
    case Caller::kExpired:
    case Caller::kAlgNone:
      return {401, "UNAUTHORIZED"};
    case Caller::kOtherSubaccount:
      return {403, "FORBIDDEN"};
    case Caller::kOwnPathOtherAgent:
      break;
  }
  if (r.kind == Route::kAgent) return {404, "AGENT_NOT_FOUND"};
  // Its own collection: listing shows only its own agents; an id tenant A uses is accepted.
  return r.method == std::string("POST") ? Expected{201, ""} : Expected{200, ""};
}

// The request of one cell. Webhook cells carry the caller's token but never a valid signature
// for tenant A: the cross-tenant caller signs with A's secret but posts to its own path.
HttpResult callCell(const std::string& base, const Route& r, Caller c) {
  const std::string url = base + "/api/database/" + pathSubaccount(c) + "/chat-agents" + r.subpath;
  Headers headers = headersOf(c);
  if (r.kind != Route::kWebhook) {
    if (!r.body.empty()) headers.emplace_back("Content-Type", "application/json");
    return httpCall(r.method, url, r.body, headers);
  }
  if (r.method == std::string("GET")) {
    const std::string token = c == Caller::kOwnPathOtherAgent ? "verify-me" : "";
    return httpCall("GET", url + "&hub.verify_token=" + token, "", headers);
  }
  // Instagram's event unless the route carries its channel's own (Messenger's Page event).
  const std::string body = r.body.empty() ? messageWebhook(kAcmeAccount.accountId, kUser,
                                                           "mid-attack", "injected", nowMillis())
                                          : r.body;
  headers.emplace_back("Content-Type", "application/json");
  if (c == Caller::kOwnPathOtherAgent)
    headers.emplace_back("X-Hub-Signature-256", hubSignature(kAcmeAccount.webhookSecret, body));
  return httpCall("POST", url, body, headers);
}

// What tenant A can see of itself; compared byte for byte before and after the matrix.
struct Snapshot {
  std::string agent, list, status, messages, messengerStatus, messengerMessages;
  int sends = 0;
  double acceptedEvents = 0;
};

class TenancyMatrixTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto graph = FakeGraphProcess::start({kAcmeAccount.fakeSpec(), kAttackerAccount.fakeSpec()},
                                         dir_.path());
    ASSERT_TRUE(graph) << "the fake Graph API did not start";
    graph_.emplace(std::move(*graph));
    ASSERT_TRUE(kAcmePage.registerWith(graph_->baseUrl()));
    ASSERT_TRUE(kAttackerPage.registerWith(graph_->baseUrl()));
    HostConfigSpec spec;
    spec.backend = GetParam();
    spec.jwtSecret = kJwtSecret;
    spec.dataDir = dir_.file("var");
    spec.keyFile = dir_.file("secret.key");
    spec.sqlitePath = dir_.file("chathost.db");
    spec.graphBaseUrl = graph_->baseUrl();
    spec.appId = "4242";  // offers Instagram Login: its routes are in the matrix too
    spec.messenger = true;
    std::string why;
    ASSERT_TRUE(useFixtureServices(spec, "tenancy", &why)) << why;
    dsn_ = spec.postgresDsn;
    schema_ = spec.postgresSchema;
    std::string failure;
    auto host = HostProcess::start(dir_.write("chathost.yaml", hostConfigYaml(spec)), dir_.path(),
                                   {}, &failure);
    ASSERT_TRUE(host) << failure;
    host_.emplace(std::move(*host));
    acme_.emplace(host_->baseUrl(), "acme", tokenFor(kJwtSecret, {"acme"}));
  }

  void TearDown() override {
    host_.reset();
    if (!schema_.empty()) dropSchema(dsn_, schema_);
  }

  // Tenant A: one agent, connected, with one conversation answered.
  void arrangeTenantA() {
    ASSERT_EQ(acme_->createRulesAgent(kAgentId, kAgentName), 201);
    auto connected = acme_->call("POST", std::string("/") + kAgentId + "/instagram/connect",
                                 kAcmeAccount.connectBody());
    ASSERT_EQ(connected.status, 200) << connected.body;
    auto onMessenger = acme_->call("POST", std::string("/") + kAgentId + "/messenger/connect",
                                   kAcmePage.connectBody(kAcmeAccount.webhookSecret, "verify-me"));
    ASSERT_EQ(onMessenger.status, 200) << onMessenger.body;
    const std::string mid = (schema_.empty() ? std::string("sqlite") : schema_) + "_m1";
    auto hook =
        postAgentWebhook(*acme_, kAgentId,
                         messageWebhook(kAcmeAccount.accountId, kUser, mid, kUserText, nowMillis()),
                         kAcmeAccount.webhookSecret);
    ASSERT_EQ(hook.status, 200) << hook.body;
    ASSERT_TRUE(eventually([&] { return graph_->sentCount() == 1; }))
        << "tenant A's agent never replied";
    // Settled: the reply marked sent and the user's profile (fetched after it) stored.
    ASSERT_TRUE(eventually([&] {
      auto r = acme_->call("GET", std::string("/") + kAgentId + "/instagram/messages");
      return r.body.find("\"status\":\"sent\"") != std::string::npos &&
             r.body.find(std::string("\"name\":\"User ") + kUser) != std::string::npos;
    })) << "the reply or the profile was never stored";
  }

  Snapshot snapshot() const {
    const std::string agent = std::string("/") + kAgentId;
    Snapshot s;
    s.agent = acme_->call("GET", agent).body;
    s.list = acme_->call("GET", "").body;
    s.status = acme_->call("GET", agent + "/instagram/status").body;
    s.messages = acme_->call("GET", agent + "/instagram/messages?limit=50&skip=0").body;
    s.messengerStatus = acme_->call("GET", agent + "/messenger/status").body;
    s.messengerMessages = acme_->call("GET", agent + "/messenger/messages?limit=50&skip=0").body;
    s.sends = graph_->sentCount();
    for (const char* channel : {"instagram", "messenger"})
      s.acceptedEvents +=
          metricSum(host_->baseUrl(), std::string("chathost_") + channel + "_webhook_events_total",
                    {{"result", "accepted"}});
    return s;
  }

  TempDir dir_;
  std::optional<FakeGraphProcess> graph_;
  std::optional<HostProcess> host_;
  std::optional<AgentsApi> acme_;
  std::string dsn_;
  std::string schema_;
};

TEST_P(TenancyMatrixTest, EveryRouteTurnsAwayEveryoneButTheTenantAndLeaksNothing) {
  arrangeTenantA();
  if (HasFatalFailure()) return;
  const Snapshot before = snapshot();
  ASSERT_NE(before.agent.find(kAgentName), std::string::npos) << before.agent;
  ASSERT_NE(before.status.find("\"isConnected\":true"), std::string::npos) << before.status;
  ASSERT_NE(before.messengerStatus.find("\"isConnected\":true"), std::string::npos)
      << before.messengerStatus;

  auto listed = Poco::JSON::Parser().parse(before.messages).extract<Poco::JSON::Object::Ptr>();
  const std::string chatId =
      listed->getObject("data")->getArray("chats")->getObject(0)->getValue<std::string>("chat_id");
  ASSERT_FALSE(chatId.empty());

  std::vector<std::string> answers;
  const std::vector<Caller> callers = {Caller::kNoToken, Caller::kExpired, Caller::kAlgNone,
                                       Caller::kOtherSubaccount, Caller::kOwnPathOtherAgent};
  for (const Route& route : routes(chatId)) {
    for (Caller caller : callers) {
      const Expected want = expectedFor(route, caller);
      const HttpResult got = callCell(host_->baseUrl(), route, caller);
      answers.push_back(got.body);
      const std::string cell = std::string(route.name) + " x " + callerName(caller);
      EXPECT_EQ(got.status, want.status) << cell << ": expected " << want.status << " " << want.code
                                         << ", got " << got.status << " " << got.body;
      if (*want.code) {
        EXPECT_EQ(errorCode(got), want.code) << cell << ": " << got.body;
      }
      if (route.kind == Route::kCollection && want.status == 201) {
        // Accepted as the caller's own agent: remove it so it does not shadow later cells.
        auto removed =
            httpCall("DELETE", host_->baseUrl() + "/api/database/globex/chat-agents/support", "",
                     headersOf(caller));
        EXPECT_EQ(removed.status, 200) << cell << " cleanup: " << removed.body;
      }
    }
  }

  // The sign-in callback is public (its signed state authenticates it): no token, or anyone's,
  // without a valid state lands on the start page with an error and changes nothing.
  for (Caller caller : callers) {
    const HttpResult got =
        httpCall("GET", host_->baseUrl() + "/oauth/instagram/callback?code=AQattack&state=forged",
                 "", headersOf(caller));
    answers.push_back(got.body);
    EXPECT_EQ(got.status, 302) << callerName(caller) << ": " << got.body;
    std::string location;
    for (const auto& [name, value] : got.headers)
      if (name == "Location") location = value;
    EXPECT_EQ(location.rfind("/?connect=instagram&result=error", 0), 0u)
        << callerName(caller) << ": " << location;
    answers.push_back(location);
  }

  // An agent of the caller's own, with the same id, cannot read tenant A's chat by its id.
  const Headers globex = headersOf(Caller::kOwnPathOtherAgent);
  const std::string globexAgents = host_->baseUrl() + "/api/database/globex/chat-agents";
  auto own = httpCall("POST", globexAgents, R"({"id":"support","name":"Squatter"})", globex);
  ASSERT_EQ(own.status, 201) << own.body;
  auto foreignChat = httpCall(
      "GET", globexAgents + "/support/instagram/messages/" + chatId + "?limit=50", "", globex);
  EXPECT_EQ(foreignChat.status, 404) << foreignChat.body;
  EXPECT_EQ(errorCode(foreignChat), "NOT_FOUND") << foreignChat.body;
  answers.push_back(foreignChat.body);
  EXPECT_EQ(httpCall("DELETE", globexAgents + "/support", "", globex).status, 200);

  const Snapshot after = snapshot();
  EXPECT_EQ(after.agent, before.agent) << "tenant A's agent changed";
  EXPECT_EQ(after.list, before.list) << "tenant A's agent list changed";
  EXPECT_EQ(after.status, before.status) << "tenant A's connection changed";
  EXPECT_EQ(after.messages, before.messages) << "tenant A's messages changed";
  EXPECT_EQ(after.messengerStatus, before.messengerStatus) << "tenant A's Page changed";
  EXPECT_EQ(after.messengerMessages, before.messengerMessages)
      << "tenant A's Messenger messages changed";
  EXPECT_EQ(after.sends, before.sends) << "something was sent through tenant A's account";
  EXPECT_EQ(after.acceptedEvents, before.acceptedEvents)
      << "a webhook event was recorded for tenant A";

  // Nothing of tenant A in any answer. (The agent id is only ever the caller's own path echoed.)
  const std::vector<std::string> secrets = {kAgentName,
                                            kAcmeAccount.accessToken,
                                            kAcmeAccount.accountId,
                                            kAcmeAccount.pageId,
                                            kAcmeAccount.username,
                                            kAcmeAccount.webhookSecret,
                                            kAcmePage.token,
                                            kAcmePage.pageId,
                                            kAcmePage.name,
                                            kUser,
                                            kUserText,
                                            "verify-me",
                                            chatId};
  for (const std::string& body : answers)
    for (const std::string& secret : secrets)
      EXPECT_EQ(body.find(secret), std::string::npos)
          << "an answer leaked \"" << secret << "\": " << body;
}

INSTANTIATE_TEST_SUITE_P(Backends, TenancyMatrixTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgresRedis),
                         [](const auto& info) { return backendName(info.param); });

}  // namespace
}  // namespace chathost::testing
