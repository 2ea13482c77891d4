// Platform features of the Instagram channel, black-box against the real host, the real plugin and
// the fake Graph API: "Connect with Instagram" (OAuth) over HTTP, webhook subscriptions at connect
// and disconnect, Human Agent tags, media and the messaging windows on /send, typing and seen
// signals while a remote agent thinks, agent replies with media, token refresh and revocation,
// and the thread route with its tenancy. One host serves the whole suite (each test uses agents,
// accounts and users of its own); asynchronous effects are awaited by polling with deadlines.

#include "support/edge_agent_endpoint.h"
#include "support/edge_instance.h"
#include "support/edge_payloads.h"
#include "support/edge_wait.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chathost::testing {
namespace {

using namespace edge;
using namespace std::chrono_literals;

constexpr const char* kAppId = "424242";
constexpr long long kDayMs = 24LL * 60 * 60 * 1000;
constexpr long long kLongLivedSeconds = 60LL * 24 * 60 * 60;  // the fake's default grant
constexpr long long kShortGrantSeconds = 3600;  // within token_refresh_before_seconds below

// Accounts granted through Instagram Login (the fake's consent page picks one per sign-in).
const EdgeAccount kOAuthShop{"IGAA-oauth-shop", "17841400000000301", "200300301", "oauth_shop"};
const EdgeAccount kOAuthOther{"IGAA-oauth-other", "17841400000000302", "200300302", "oauth_other"};
const EdgeAccount kOAuthDenied{"IGAA-oauth-denied", "17841400000000305", "200300305",
                               "oauth_denied"};
const EdgeAccount kOAuthRefresh{"IGAA-oauth-refresh", "17841400000000303", "200300303",
                                "oauth_refresh"};
const EdgeAccount kOAuthRefused{"IGAA-oauth-refused", "17841400000000304", "200300304",
                                "oauth_refused"};
// Accounts connected with a Page token (the token form).
const EdgeAccount kDesk{"EAAB-platform-desk", "17841400000000311", "200300311", "desk_shop"};
const EdgeAccount kSubscribe{"EAAB-platform-sub", "17841400000000312", "200300312", "sub_shop"};
const EdgeAccount kThinker{"EAAB-platform-think", "17841400000000313", "200300313", "think_shop"};
const EdgeAccount kQuick{"EAAB-platform-quick", "17841400000000314", "200300314", "quick_shop"};
const EdgeAccount kInUse{"EAAB-platform-in-use", "17841400000000317", "200300317", "taken_shop"};
const EdgeAccount kPager{"EAAB-platform-pager", "17841400000000315", "200300315", "pager_shop"};
const EdgeAccount kChecked{"EAAB-platform-checked", "17841400000000316", "200300316",
                           "checked_shop"};

constexpr const char* kWebhookSecret = "platform-webhook-secret";
const std::vector<std::string> kMessagingFields = {
    "messages", "messaging_postbacks", "messaging_seen", "messaging_referral", "message_reactions"};

Json parse(const std::string& body) {
  try {
    return Poco::JSON::Parser().parse(body).extract<Json>();
  } catch (...) {
    return nullptr;
  }
}

Json dataOf(const HttpResult& r) {
  auto root = parse(r.body);
  return root ? root->getObject("data") : nullptr;
}

std::string codeOf(const HttpResult& r) {
  auto root = parse(r.body);
  return root ? root->optValue<std::string>("code", "") : "";
}

std::string messageOf(const HttpResult& r) {
  auto root = parse(r.body);
  return root ? root->optValue<std::string>("message", "") : "";
}

std::string str(const Json& o, const std::string& key) {
  return o ? o->optValue<std::string>(key, "") : "";
}

long long num(const Json& o, const std::string& key) {
  return o ? o->optValue<Poco::Int64>(key, 0) : 0;
}

std::string headerOf(const HttpResult& r, const std::string& name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  for (const auto& [k, v] : r.headers)
    if (lower(k) == lower(name)) return v;
  return "";
}

std::string queryParam(const std::string& url, const std::string& name) {
  for (const auto& [k, v] : Poco::URI(url).getQueryParameters())
    if (k == name) return v;
  return "";
}

std::string withQueryParam(const std::string& url, const std::string& name,
                           const std::string& value) {
  Poco::URI uri(url);
  auto params = uri.getQueryParameters();
  for (auto& [k, v] : params)
    if (k == name) v = value;
  uri.setQueryParameters(params);
  return uri.toString();
}

std::vector<Json> arrayOf(const Json& o, const std::string& key) {
  std::vector<Json> out;
  auto list = o ? o->getArray(key) : nullptr;
  for (std::size_t i = 0; list && i < list->size(); ++i)
    out.push_back(list->getObject(static_cast<unsigned>(i)));
  return out;
}

std::vector<SentRecord> to(const std::vector<SentRecord>& records, const std::string& user) {
  std::vector<SentRecord> out;
  for (const auto& r : records)
    if (r.recipientId == user) out.push_back(r);
  return out;
}

std::string rulesAgent(const std::string& rules = "") {
  return "{\"rules\":[" + rules + "]}";
}

class InstagramPlatformTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EdgeOptions options;
    options.accounts = {kOAuthShop,    kOAuthOther, kOAuthDenied, kOAuthRefresh,
                        kOAuthRefused, kDesk,       kSubscribe,   kThinker,
                        kQuick,        kPager,      kChecked,     kInUse};
    // Instagram Login against the fake; its tokens are refreshed once they expire within two
    // hours, Page tokens are checked with debug_token every second, and the host offers every
    // connection to its channel every second.
    options.pluginYaml = std::string("      app_id: \"") + kAppId +
                         "\"\n"
                         "      instagram_graph_base_url: {graph}\n"
                         "      oauth_authorize_url: {graph}/oauth/authorize\n"
                         "      oauth_token_url: {graph}/oauth/access_token\n"
                         "      token_refresh_min_age_seconds: 0\n"
                         "      token_refresh_before_seconds: 7200\n"
                         "      token_check_interval_seconds: 1\n";
    options.workersYaml = "  credential_check_seconds: 1\n";
    instance() = EdgeInstance::start(options, startFailure());
  }
  static void TearDownTestSuite() { instance().reset(); }

  void SetUp() override {
    ASSERT_TRUE(instance()) << startFailure();
    edge_ = instance().get();
  }

  static std::unique_ptr<EdgeInstance>& instance() {
    static std::unique_ptr<EdgeInstance> edge;
    return edge;
  }
  static std::string& startFailure() {
    static std::string failure;
    return failure;
  }

  // --- the API ---------------------------------------------------------------------------------
  std::string base(const std::string& agent) const { return "/" + agent + "/instagram"; }
  Json status(const std::string& agent) const {
    return dataOf(edge_->api("GET", base(agent) + "/status"));
  }
  Json accountInfo(const std::string& agent) const {
    auto s = status(agent);
    return s ? s->getObject("accountInfo") : nullptr;
  }
  HttpResult send(const std::string& agent, const std::string& body) const {
    return edge_->api("POST", base(agent) + "/send", body);
  }
  void createAgent(const std::string& id, const std::string& type, const std::string& config) {
    auto r = edge_->createAgent(id, type, config);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void createConnected(const std::string& id, const std::string& type, const std::string& config,
                       const EdgeAccount& account) {
    createAgent(id, type, config);
    auto r = edge_->connect(id, account, kWebhookSecret);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // A user's text message to `account`, delivered on `agent`'s webhook at `ts`.
  void userWrites(const std::string& agent, const EdgeAccount& account, const std::string& user,
                  const std::string& mid, const std::string& text, long long ts) {
    auto r =
        edge_->postWebhook(agent, textWebhook(user, account.igId, ts, mid, text), kWebhookSecret);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Waits until `agent`'s chat with `user` has the user's message stored; returns the chat.
  Json chatOnceRead(const std::string& agent, const std::string& user) const {
    Json chat;
    eventually([&] {
      chat = edge_->chatWith(agent, user);
      return chat && num(chat, "last_inbound_at") > 0;
    });
    return chat;
  }

  // --- the fake's control API ------------------------------------------------------------------
  // What the fake's consent page grants from now on.
  void configureLogin(const EdgeAccount& grant, long long expiresIn = kLongLivedSeconds,
                      bool deny = false) {
    auto r = edge_->graphControl("POST", "/_fake/oauth",
                                 std::string("{\"appId\":\"") + kAppId + "\",\"appSecret\":" +
                                     quote(kAppSecret) + ",\"grantToken\":" + quote(grant.token) +
                                     ",\"expiresIn\":" + std::to_string(expiresIn) +
                                     ",\"deny\":" + (deny ? "true" : "false") + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // The fields `igId` is subscribed to at the fake; nullopt when it is not subscribed.
  std::optional<std::vector<std::string>> subscription(const std::string& igId) const {
    auto root = parse(edge_->graphControl("GET", "/_fake/subscriptions").body);
    auto all = root ? root->getObject("subscriptions") : nullptr;
    if (!all || !all->has(igId)) return std::nullopt;
    std::vector<std::string> fields;
    auto list = all->getArray(igId);
    for (std::size_t i = 0; list && i < list->size(); ++i)
      fields.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    return fields;
  }
  void injectFault(const std::string& match, const std::string& kind, int count = 1) const {
    edge_->graph().injectFault(match, kind, count);
  }

  // --- Connect with Instagram ------------------------------------------------------------------
  struct SignIn {
    HttpResult start;     // POST .../oauth/start
    HttpResult consent;   // the fake's consent page, not followed
    std::string back;     // where the consent page sends the browser (fragment removed)
    HttpResult callback;  // GET of `back` on the host, not followed
    std::vector<std::pair<std::string, std::string>> cookie;  // what the browser sends back
  };
  // The sign-in cookie `start` gave the browser, as the header the browser sends it back in.
  static std::vector<std::pair<std::string, std::string>> cookieOf(const HttpResult& start) {
    const std::string set = headerOf(start, "Set-Cookie");
    return {{"Cookie", set.substr(0, set.find(';'))}};
  }
  // What a browser does after "Connect with Instagram", one request at a time.
  SignIn signIn(const std::string& agent) const {
    SignIn s;
    s.start = edge_->api("POST", base(agent) + "/oauth/start", "{}");
    auto started = dataOf(s.start);
    if (s.start.status != 200 || !started) return s;
    s.cookie = cookieOf(s.start);
    s.consent = httpCall("GET", str(started, "authorizeUrl"));
    s.back = headerOf(s.consent, "Location");
    s.back = s.back.substr(0, s.back.find('#'));
    if (s.back.rfind(edge_->baseUrl() + "/", 0) == 0)
      s.callback = httpCall("GET", s.back, {}, s.cookie);
    return s;
  }
  // Where the callback sends the browser back to when signing in to `agent` failed (+ the reason).
  static std::string errorLocationPrefix(const std::string& agent) {
    return "/agents/" + agent + "?connect=instagram&result=error&reason=";
  }
  // The reason of a failed sign-in, decoded, from the callback's Location.
  static std::string reasonOf(const std::string& location) {
    return queryParam(location, "reason");
  }

  EdgeInstance* edge_ = nullptr;
};

// --- Connect with Instagram (OAuth)
// ---------------------------------------------------------------

TEST_F(InstagramPlatformTest, ConnectWithInstagramStoresTheAccountSubscribesItAndWorksOnce) {
  createAgent("oauth-shop", "rules", rulesAgent());
  configureLogin(kOAuthShop);
  auto before = status("oauth-shop");
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->getValue<bool>("oauthAvailable"));
  EXPECT_FALSE(before->getValue<bool>("isConnected"));

  const long long startedAt = nowMs();
  SignIn s = signIn("oauth-shop");
  ASSERT_EQ(s.start.status, 200) << s.start.body;
  auto started = dataOf(s.start);
  const std::string redirectUri = edge_->baseUrl() + "/oauth/instagram/callback";
  EXPECT_EQ(str(started, "redirectUri"), redirectUri);
  EXPECT_GT(num(started, "expiresAt"), startedAt);
  EXPECT_LE(num(started, "expiresAt"), nowMs() + 10 * 60 * 1000);
  const std::string authorizeUrl = str(started, "authorizeUrl");
  EXPECT_EQ(authorizeUrl.rfind(edge_->graph().baseUrl() + "/oauth/authorize?", 0), 0u)
      << authorizeUrl;
  EXPECT_EQ(queryParam(authorizeUrl, "client_id"), kAppId);
  EXPECT_EQ(queryParam(authorizeUrl, "redirect_uri"), redirectUri);
  EXPECT_EQ(queryParam(authorizeUrl, "response_type"), "code");
  EXPECT_NE(queryParam(authorizeUrl, "scope").find("instagram_business_manage_messages"),
            std::string::npos);
  EXPECT_FALSE(queryParam(authorizeUrl, "state").empty());

  // The consent page sends the browser back with a code and the state; the host's public
  // callback (no JWT) finishes the connection and sends the browser to the agent's page.
  ASSERT_EQ(s.consent.status, 302) << s.consent.body;
  ASSERT_EQ(s.back.rfind(redirectUri + "?", 0), 0u) << s.back;
  EXPECT_FALSE(queryParam(s.back, "code").empty());
  EXPECT_EQ(queryParam(s.back, "state"), queryParam(authorizeUrl, "state"));
  ASSERT_EQ(s.callback.status, 302) << s.callback.body << edge_->host().log();
  EXPECT_EQ(headerOf(s.callback, "Location"),
            "/agents/oauth-shop?connect=instagram&result=connected");

  auto after = status("oauth-shop");
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->getValue<bool>("isConnected"));
  EXPECT_TRUE(after->getValue<bool>("isActive"));
  auto info = after->getObject("accountInfo");
  ASSERT_TRUE(info);
  EXPECT_EQ(str(info, "id"), kOAuthShop.igId);
  EXPECT_EQ(str(info, "username"), kOAuthShop.username);
  // A long-lived token: 60 days from the exchange.
  const long long expiresAt = num(info, "tokenExpiresAt");
  EXPECT_GE(expiresAt, startedAt + kLongLivedSeconds * 1000 - 60'000);
  EXPECT_LE(expiresAt, nowMs() + kLongLivedSeconds * 1000 + 60'000);
  EXPECT_EQ(subscription(kOAuthShop.igId), kMessagingFields);
  EXPECT_GE(edge_->graphRequests("POST /v21.0/me/subscribed_apps"), 1);

  // The same callback again (a reload, a leaked link): refused, the connection unchanged.
  auto replay = httpCall("GET", s.back, {}, s.cookie);
  ASSERT_EQ(replay.status, 302) << replay.body;
  const std::string location = headerOf(replay, "Location");
  EXPECT_EQ(location.rfind(errorLocationPrefix("oauth-shop"), 0), 0u) << location;
  EXPECT_NE(reasonOf(location).find("already used"), std::string::npos) << location;
  EXPECT_EQ(num(accountInfo("oauth-shop"), "tokenExpiresAt"), expiresAt);

  // The connection works: a send goes out with the issued token.
  auto sent = send("oauth-shop", R"({"to":"5566300001","message":"Signed in and ready"})");
  EXPECT_EQ(sent.status, 200) << sent.body;
  ASSERT_EQ(to(edge_->sent(), "5566300001").size(), 1u);
  EXPECT_EQ(to(edge_->sent(), "5566300001")[0].text, "Signed in and ready");

  // Disconnecting removes the account's subscription.
  auto gone = edge_->api("POST", base("oauth-shop") + "/disconnect");
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_FALSE(subscription(kOAuthShop.igId));
  EXPECT_GE(edge_->graphRequests("DELETE /v21.0/me/subscribed_apps"), 1);
  EXPECT_FALSE(status("oauth-shop")->getValue<bool>("isConnected"));
}

TEST_F(InstagramPlatformTest, ARefusedConsentComesBackAsAnErrorAndStoresNothing) {
  createAgent("oauth-denied", "rules", rulesAgent());
  configureLogin(kOAuthDenied, kLongLivedSeconds, /*deny=*/true);
  SignIn s = signIn("oauth-denied");
  ASSERT_EQ(s.consent.status, 302) << s.consent.body;
  EXPECT_EQ(queryParam(s.back, "error"), "access_denied");
  ASSERT_EQ(s.callback.status, 302) << s.callback.body;
  const std::string location = headerOf(s.callback, "Location");
  EXPECT_EQ(location.rfind(errorLocationPrefix("oauth-denied"), 0), 0u) << location;
  EXPECT_NE(reasonOf(location).find("denied"), std::string::npos) << location;
  EXPECT_FALSE(status("oauth-denied")->getValue<bool>("isConnected"));
  EXPECT_FALSE(subscription(kOAuthDenied.igId));
}

TEST_F(InstagramPlatformTest, ATamperedOrMissingStateGoesBackToTheStartPageAndBurnsNothing) {
  createAgent("oauth-tamper", "rules", rulesAgent());
  configureLogin(kOAuthOther);
  auto start = edge_->api("POST", base("oauth-tamper") + "/oauth/start", "{}");
  ASSERT_EQ(start.status, 200) << start.body;
  auto consent = httpCall("GET", str(dataOf(start), "authorizeUrl"));
  ASSERT_EQ(consent.status, 302) << consent.body;
  std::string back = headerOf(consent, "Location");
  back = back.substr(0, back.find('#'));
  std::string state = queryParam(back, "state");
  ASSERT_GT(state.size(), 10u);

  std::string forged = state;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& url :
       {withQueryParam(back, "state", forged), withQueryParam(back, "state", ""),
        edge_->baseUrl() + "/oauth/instagram/callback?code=AQforged"}) {
    auto r = httpCall("GET", url, {}, cookieOf(start));
    ASSERT_EQ(r.status, 302) << url << ": " << r.body;
    const std::string location = headerOf(r, "Location");
    EXPECT_EQ(location.rfind("/?connect=instagram&result=error&reason=", 0), 0u) << location;
    EXPECT_FALSE(reasonOf(location).empty()) << location;
  }
  EXPECT_FALSE(status("oauth-tamper")->getValue<bool>("isConnected"));
  EXPECT_FALSE(subscription(kOAuthOther.igId));

  // The forgeries used nothing up: the genuine answer still connects.
  // Finished in another browser (no cookie, or someone else's): nothing connects, nothing burns.
  for (const auto& other : {std::vector<std::pair<std::string, std::string>>{},
                            std::vector<std::pair<std::string, std::string>>{
                                {"Cookie", "chathost_signin_instagram=someone-elses"}}}) {
    auto elsewhere = httpCall("GET", back, {}, other);
    ASSERT_EQ(elsewhere.status, 302) << elsewhere.body;
    EXPECT_NE(reasonOf(headerOf(elsewhere, "Location")).find("another browser"), std::string::npos)
        << headerOf(elsewhere, "Location");
  }
  EXPECT_FALSE(status("oauth-tamper")->getValue<bool>("isConnected"));
  auto genuine = httpCall("GET", back, {}, cookieOf(start));
  ASSERT_EQ(genuine.status, 302) << genuine.body;
  EXPECT_EQ(headerOf(genuine, "Location"),
            "/agents/oauth-tamper?connect=instagram&result=connected");
  EXPECT_EQ(str(accountInfo("oauth-tamper"), "username"), kOAuthOther.username);
}

TEST_F(InstagramPlatformTest, SigningInWithAnAccountAnotherTenantUsesIsRefusedWithoutNamingIt) {
  // Another subaccount's agent holds the account (connected with a token).
  auto theirs = edge_->apiAs(
      "globex", "POST", "", R"({"id":"globex-holder","name":"Globex Secret Desk","type":"rules"})");
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  auto held = edge_->apiAs("globex", "POST", "/globex-holder/instagram/connect",
                           "{\"accessToken\":" + quote(kInUse.token) + ",\"instagramAccountId\":" +
                               quote(kInUse.igId) + ",\"pageId\":" + quote(kInUse.pageId) +
                               ",\"webhookVerificationToken\":\"globex-verify\"}");
  ASSERT_EQ(held.status, 200) << held.body;

  createAgent("oauth-squatter", "rules", rulesAgent());
  configureLogin(kInUse);
  SignIn s = signIn("oauth-squatter");
  ASSERT_EQ(s.callback.status, 302) << s.callback.body;
  const std::string location = headerOf(s.callback, "Location");
  EXPECT_EQ(location.rfind(errorLocationPrefix("oauth-squatter"), 0), 0u) << location;
  const std::string reason = reasonOf(location);
  EXPECT_NE(reason.find("disconnect"), std::string::npos) << reason;
  for (const std::string& secret : {std::string("globex"), std::string("Globex Secret Desk"),
                                    std::string("holder"), kInUse.token})
    EXPECT_EQ(location.find(secret), std::string::npos) << location;
  EXPECT_FALSE(status("oauth-squatter")->getValue<bool>("isConnected"));
  // The other tenant's connection is untouched.
  auto theirStatus = dataOf(edge_->apiAs("globex", "GET", "/globex-holder/instagram/status"));
  ASSERT_TRUE(theirStatus);
  EXPECT_TRUE(theirStatus->getValue<bool>("isConnected"));
  EXPECT_TRUE(theirStatus->getValue<bool>("isActive"));
  EXPECT_EQ(str(theirStatus->getObject("accountInfo"), "id"), kInUse.igId);
}

// --- Webhook subscriptions ------------------------------------------------------------------

TEST_F(InstagramPlatformTest, ConnectSubscribesTheAccountAndFailsWhenTheSubscriptionFails) {
  createAgent("subscriber", "rules", rulesAgent());
  const std::string edgePath = "/" + kSubscribe.pageId + "/subscribed_apps";
  injectFault(edgePath, "permanent");
  auto refused = edge_->connect("subscriber", kSubscribe, kWebhookSecret);
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_EQ(codeOf(refused), "API_ERROR");
  auto meta = parse(refused.body)->getObject("meta");
  ASSERT_TRUE(meta && meta->getObject("graphError")) << refused.body;
  EXPECT_EQ(meta->getObject("graphError")->getValue<int>("code"), 100);
  auto nothing = status("subscriber");
  EXPECT_FALSE(nothing->getValue<bool>("isConnected"));
  EXPECT_TRUE(nothing->isNull("accountInfo"));
  EXPECT_FALSE(subscription(kSubscribe.igId));

  // Without the fault: subscribed to the messaging fields, with the Page token, on the Page
  // (whose current subscription is read first: Messenger may share it). The refused connect
  // stopped at that read.
  auto connected = edge_->connect("subscriber", kSubscribe, kWebhookSecret);
  ASSERT_EQ(connected.status, 200) << connected.body;
  EXPECT_EQ(subscription(kSubscribe.igId), kMessagingFields);
  EXPECT_EQ(edge_->graphRequests("GET /v21.0" + edgePath), 2);
  EXPECT_EQ(edge_->graphRequests("POST /v21.0" + edgePath), 1);

  // Disconnect removes the subscription.
  auto gone = edge_->api("POST", base("subscriber") + "/disconnect");
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_FALSE(subscription(kSubscribe.igId));
  EXPECT_EQ(edge_->graphRequests("DELETE /v21.0" + edgePath), 1);

  // A refusal while unsubscribing is logged; the disconnect still happens.
  ASSERT_EQ(edge_->connect("subscriber", kSubscribe, kWebhookSecret).status, 200);
  injectFault(edgePath, "http500");
  auto stillGone = edge_->api("POST", base("subscriber") + "/disconnect");
  ASSERT_EQ(stillGone.status, 200) << stillGone.body;
  EXPECT_FALSE(status("subscriber")->getValue<bool>("isConnected"));
  EXPECT_EQ(edge_->graphRequests("DELETE /v21.0" + edgePath), 2);
  EXPECT_TRUE(edge_->host().waitForLog("could not undo the connection"));
}

// --- /send: tags, media, windows ------------------------------------------------------------

TEST_F(InstagramPlatformTest, SendHonoursTheWindowsAndCarriesTagsAndMedia) {
  ASSERT_NO_FATAL_FAILURE(createConnected("desk", "rules", rulesAgent(), kDesk));
  const std::string wroteTwoDaysAgo = "5566310001", wroteLastWeek = "5566310002",
                    wroteNow = "5566310003", neverWrote = "5566310004";
  userWrites("desk", kDesk, wroteTwoDaysAgo, "mid-desk-1", "hello?", nowMs() - 2 * kDayMs);
  userWrites("desk", kDesk, wroteLastWeek, "mid-desk-2", "anyone?", nowMs() - 8 * kDayMs);
  userWrites("desk", kDesk, wroteNow, "mid-desk-3", "hi", nowMs());
  auto oldChat = chatOnceRead("desk", wroteTwoDaysAgo);
  ASSERT_TRUE(oldChat);
  ASSERT_TRUE(chatOnceRead("desk", wroteLastWeek));
  ASSERT_TRUE(chatOnceRead("desk", wroteNow));
  const long long lastInbound = num(oldChat, "last_inbound_at");
  EXPECT_EQ(num(oldChat, "reply_window_ends_at"), lastInbound + kDayMs);
  EXPECT_EQ(num(oldChat, "human_agent_window_ends_at"), lastInbound + 7 * kDayMs);

  // Past 24 h: untagged is refused by the host itself (nothing reaches the Graph API)...
  const int graphSends = edge_->graphRequests("POST /v21.0/" + kDesk.pageId + "/messages");
  auto untagged = send("desk", "{\"to\":\"" + wroteTwoDaysAgo + "\",\"message\":\"Sorry!\"}");
  EXPECT_EQ(untagged.status, 409) << untagged.body;
  EXPECT_EQ(codeOf(untagged), "OUTSIDE_WINDOW");
  EXPECT_NE(messageOf(untagged).find("HUMAN_AGENT"), std::string::npos) << untagged.body;
  // ...and so is a tag past 7 days.
  auto tooLate = send(
      "desk", "{\"to\":\"" + wroteLastWeek + "\",\"message\":\"Sorry!\",\"tag\":\"HUMAN_AGENT\"}");
  EXPECT_EQ(tooLate.status, 409) << tooLate.body;
  EXPECT_EQ(codeOf(tooLate), "OUTSIDE_WINDOW");
  EXPECT_EQ(edge_->graphRequests("POST /v21.0/" + kDesk.pageId + "/messages"), graphSends);
  auto otherTag = send(
      "desk", "{\"to\":\"" + wroteTwoDaysAgo + "\",\"message\":\"x\",\"tag\":\"ACCOUNT_UPDATE\"}");
  EXPECT_EQ(otherTag.status, 400) << otherTag.body;
  EXPECT_EQ(codeOf(otherTag), "VALIDATION_ERROR");

  // Within 7 days a person answers with the tag: text, then the image, both tagged.
  const std::string image = "https://cdn.example.test/catalog/blue-dress.jpg";
  auto tagged = send("desk", "{\"to\":\"" + wroteTwoDaysAgo +
                                 "\",\"message\":\"A person here: yes, in stock.\","
                                 "\"attachment\":{\"type\":\"image\",\"url\":\"" +
                                 image + "\"},\"tag\":\"HUMAN_AGENT\"}");
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  auto answer = dataOf(tagged);
  EXPECT_EQ(str(answer, "recipientId"), wroteTwoDaysAgo);
  auto ids = answer->getArray("messageIds");
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_EQ(str(answer, "messageId"), ids->getElement<std::string>(0));
  auto out = to(edge_->sent(), wroteTwoDaysAgo);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, "text");
  EXPECT_EQ(out[0].text, "A person here: yes, in stock.");
  EXPECT_EQ(out[0].messagingType, "MESSAGE_TAG");
  EXPECT_EQ(out[0].tag, "HUMAN_AGENT");
  EXPECT_EQ(out[0].messageId, ids->getElement<std::string>(0));
  EXPECT_EQ(out[1].kind, "attachment");
  EXPECT_EQ(out[1].attachmentType, "image");
  EXPECT_EQ(out[1].attachmentUrl, image);
  EXPECT_EQ(out[1].messagingType, "MESSAGE_TAG");
  EXPECT_EQ(out[1].tag, "HUMAN_AGENT");
  EXPECT_EQ(out[1].messageId, ids->getElement<std::string>(1));

  // Within 24 h: media alone, untagged, as a response.
  const std::string video = "https://cdn.example.test/clips/fitting.mp4";
  auto media =
      send("desk", "{\"to\":\"" + wroteNow + "\",\"attachment\":{\"type\":\"video\",\"url\":\"" +
                       video + "\"}}");
  ASSERT_EQ(media.status, 200) << media.body;
  auto clip = to(edge_->sent(), wroteNow);
  ASSERT_EQ(clip.size(), 1u);
  EXPECT_EQ(clip[0].kind, "attachment");
  EXPECT_EQ(clip[0].attachmentType, "video");
  EXPECT_EQ(clip[0].attachmentUrl, video);
  EXPECT_EQ(clip[0].messagingType, "RESPONSE");
  EXPECT_EQ(clip[0].tag, "");

  // When the host does not know the user's last message, Meta decides; its refusal (10/2018278)
  // is OUTSIDE_WINDOW too.
  injectFault("/" + kDesk.pageId + "/messages", "outside_window");
  auto refused = send("desk", "{\"to\":\"" + neverWrote + "\",\"message\":\"Hello there\"}");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(codeOf(refused), "OUTSIDE_WINDOW");
  EXPECT_TRUE(to(edge_->sent(), neverWrote).empty());
  auto failed = arrayOf(edge_->chatWith("desk", neverWrote), "messages");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(str(failed[0], "status"), "failed");
  EXPECT_NE(str(failed[0], "error").find("2018278"), std::string::npos) << str(failed[0], "error");

  // The person's messages are stored in the chat, the tagged ones as such.
  auto stored = edge_->chatWith("desk", wroteTwoDaysAgo);
  auto messages = arrayOf(stored, "messages");
  ASSERT_EQ(messages.size(), 3u) << (stored ? "" : "no chat");
  EXPECT_EQ(str(messages[1], "direction"), "outbound");
  EXPECT_EQ(str(messages[1], "text"), "A person here: yes, in stock.");
  EXPECT_EQ(str(messages[2], "direction"), "outbound");
  auto attachments = messages[2]->getArray("attachments");
  ASSERT_TRUE(attachments && attachments->size() == 1u);
  EXPECT_EQ(attachments->getObject(0)->getValue<std::string>("type"), "image");
  EXPECT_EQ(attachments->getObject(0)->getObject("payload")->getValue<std::string>("url"), image);
}

// --- The thread route and its tenancy -------------------------------------------------------

TEST_F(InstagramPlatformTest, ThreadPagesBackwardsAndIsOnlyTheAgentsOwn) {
  ASSERT_NO_FATAL_FAILURE(createConnected(
      "pager", "rules", rulesAgent(R"({"match":"page","reply":"Paged reply"})"), kPager));
  const std::string user = "5566320001";
  userWrites("pager", kPager, user, "mid-page-1", "page one", nowMs());
  ASSERT_TRUE(eventually([&] { return to(edge_->sent(), user).size() == 1; }));
  userWrites("pager", kPager, user, "mid-page-2", "page two", nowMs());
  ASSERT_TRUE(eventually([&] {
    auto chat = edge_->chatWith("pager", user);
    return chat && arrayOf(chat, "messages").size() == 4 &&
           str(arrayOf(chat, "messages")[3], "status") == "sent";
  })) << edge_->host().log();
  const std::string chatId = str(edge_->chatWith("pager", user), "chat_id");
  ASSERT_FALSE(chatId.empty());
  const std::string thread = base("pager") + "/messages/" + chatId;

  auto newest = edge_->api("GET", thread + "?limit=3");
  ASSERT_EQ(newest.status, 200) << newest.body;
  auto page1 = dataOf(newest);
  EXPECT_TRUE(page1->getValue<bool>("hasMore"));
  EXPECT_EQ(str(page1->getObject("chat"), "chat_id"), chatId);
  EXPECT_GT(num(page1->getObject("chat"), "last_inbound_at"), 0);
  auto first = arrayOf(page1, "messages");
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(str(first[0], "text"), "Paged reply");
  EXPECT_EQ(str(first[1], "text"), "page two");
  EXPECT_EQ(str(first[2], "text"), "Paged reply");
  EXPECT_LT(num(first[0], "seq"), num(first[1], "seq"));
  EXPECT_LT(num(first[1], "seq"), num(first[2], "seq"));

  auto older =
      edge_->api("GET", thread + "?limit=3&before=" + std::to_string(num(first[0], "seq")));
  ASSERT_EQ(older.status, 200) << older.body;
  EXPECT_FALSE(dataOf(older)->getValue<bool>("hasMore"));
  auto rest = arrayOf(dataOf(older), "messages");
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(str(rest[0], "text"), "page one");
  EXPECT_EQ(str(rest[0], "direction"), "inbound");

  // messageLimit trims each chat of the list to its newest messages.
  auto listed = edge_->api("GET", base("pager") + "/messages?messageLimit=1");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto chats = arrayOf(dataOf(listed), "chats");
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(num(chats[0], "message_count"), 4);
  auto trimmed = arrayOf(chats[0], "messages");
  ASSERT_EQ(trimmed.size(), 1u);
  EXPECT_EQ(num(trimmed[0], "seq"), num(first[2], "seq"));

  EXPECT_EQ(edge_->api("GET", thread + "?before=0").status, 400);
  EXPECT_EQ(edge_->api("GET", thread + "?limit=201").status, 400);
  EXPECT_EQ(codeOf(edge_->api("GET", base("pager") + "/messages/no-such-chat")), "NOT_FOUND");

  // Another agent of the same subaccount, and another subaccount's agent with the same id, get
  // NOT_FOUND for this chat and learn nothing of it.
  createAgent("pager-peer", "rules", rulesAgent());
  auto peer = edge_->api("GET", base("pager-peer") + "/messages/" + chatId);
  EXPECT_EQ(peer.status, 404) << peer.body;
  EXPECT_EQ(codeOf(peer), "NOT_FOUND");
  auto created =
      edge_->apiAs("globex", "POST", "", R"({"id":"pager","name":"Globex pager","type":"rules"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto foreign = edge_->apiAs("globex", "GET", base("pager") + "/messages/" + chatId);
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  EXPECT_EQ(codeOf(foreign), "NOT_FOUND");
  auto foreignList = edge_->apiAs("globex", "GET", base("pager") + "/messages?messageLimit=5");
  EXPECT_EQ(foreignList.status, 200) << foreignList.body;
  for (const auto& r : {peer, foreign, foreignList})
    for (const std::string& secret : {user, std::string("page one"), std::string("Paged reply")})
      EXPECT_EQ(r.body.find(secret), std::string::npos) << r.body;
}

// --- Typing and seen; agent replies with media ------------------------------------------------

TEST_F(InstagramPlatformTest, ASlowRemoteAgentShowsSeenAndTypingARulesAgentNeither) {
  FakeAgentEndpoint endpoint;
  ASSERT_TRUE(endpoint.ok());
  const std::string photo = "https://cdn.example.test/photos/red-bag.jpg";
  endpoint.setMode("/slow", FakeAgentEndpoint::Mode::kHang, 1200);
  endpoint.setHttpAnswer(R"({"reply":"Here is the bag","attachment":{"type":"image","url":")" +
                         photo + "\"}}");
  ASSERT_NO_FATAL_FAILURE(createConnected(
      "thinker", "http", "{\"url\":\"" + endpoint.baseUrl() + "/slow\",\"timeout_ms\":10000}",
      kThinker));
  ASSERT_NO_FATAL_FAILURE(createConnected(
      "quick", "rules",
      rulesAgent(R"({"match":"photo","reply":"Here you go","attachment":{"type":"image","url":")" +
                 photo + "\"}}"),
      kQuick));
  const std::string thinkerUser = "5566330001", quickUser = "5566330002";
  userWrites("thinker", kThinker, thinkerUser, "mid-think-1", "show me the red bag", nowMs());
  userWrites("quick", kQuick, quickUser, "mid-quick-1", "a photo please", nowMs());

  // Both replies: the text, then the image on its own, never tagged.
  for (const auto& user : {thinkerUser, quickUser}) {
    ASSERT_TRUE(eventually([&] { return to(edge_->sent(), user).size() >= 2; }, 20s))
        << user << "\n"
        << edge_->host().log();
    auto out = to(edge_->sent(), user);
    ASSERT_EQ(out.size(), 2u) << user;
    EXPECT_EQ(out[0].kind, "text");
    EXPECT_EQ(out[0].text, user == thinkerUser ? "Here is the bag" : "Here you go");
    EXPECT_EQ(out[1].kind, "attachment");
    EXPECT_EQ(out[1].attachmentType, "image");
    EXPECT_EQ(out[1].attachmentUrl, photo);
    for (const auto& s : out) {
      EXPECT_EQ(s.tag, "") << user;
      EXPECT_NE(s.messagingType, "MESSAGE_TAG") << user;
    }
  }
  ASSERT_EQ(endpoint.requestsTo("/slow").size(), 1u);

  // The slow turn: seen at once, typing once after the short delay, both before the reply.
  auto signals = to(edge_->actions(), thinkerUser);
  ASSERT_EQ(signals.size(), 2u);
  EXPECT_EQ(signals[0].action, "mark_seen");
  EXPECT_EQ(signals[1].action, "typing_on");
  EXPECT_EQ(signals[0].kind, "action");
  EXPECT_EQ(signals[0].senderId, kThinker.pageId);
  const auto reply = to(edge_->sent(), thinkerUser)[0];
  EXPECT_LE(signals[0].atMs, signals[1].atMs);
  EXPECT_LE(signals[1].atMs, reply.atMs);
  // A rules agent answers at once: no signals.
  EXPECT_TRUE(to(edge_->actions(), quickUser).empty());

  // Signals are not messages: each chat holds the user's message and the two reply parts.
  for (const auto& [agent, user] : {std::pair{std::string("thinker"), thinkerUser},
                                    std::pair{std::string("quick"), quickUser}}) {
    ASSERT_TRUE(eventually([&, agent = agent, user = user] {
      auto msgs = arrayOf(edge_->chatWith(agent, user), "messages");
      return msgs.size() == 3 && str(msgs[2], "status") == "sent";
    })) << agent;
    auto msgs = arrayOf(edge_->chatWith(agent, user), "messages");
    EXPECT_EQ(str(msgs[1], "text"), user == thinkerUser ? "Here is the bag" : "Here you go");
    auto media = msgs[2]->getArray("attachments");
    ASSERT_TRUE(media && media->size() == 1u) << agent;
    EXPECT_EQ(media->getObject(0)->getObject("payload")->getValue<std::string>("url"), photo);
  }
  EXPECT_TRUE(to(edge_->actions(), quickUser).empty());
}

// --- Token lifetime -------------------------------------------------------------------------

TEST_F(InstagramPlatformTest, AnInstagramLoginTokenNearItsExpiryIsRefreshed) {
  createAgent("refresher", "rules", rulesAgent());
  // A token of one hour: due for a refresh at once (token_refresh_before_seconds is two hours).
  configureLogin(kOAuthRefresh, kShortGrantSeconds);
  SignIn s = signIn("refresher");
  ASSERT_EQ(s.callback.status, 302) << s.callback.body;
  ASSERT_EQ(headerOf(s.callback, "Location"),
            "/agents/refresher?connect=instagram&result=connected");
  const long long first = num(accountInfo("refresher"), "tokenExpiresAt");
  EXPECT_GT(first, nowMs());
  EXPECT_LE(first, nowMs() + kShortGrantSeconds * 1000 + 60'000);

  // Refreshes now get a 60-day token, which is no longer due.
  configureLogin(kOAuthRefresh, kLongLivedSeconds);
  long long refreshed = 0;
  EXPECT_TRUE(eventually([&] {
    refreshed = num(accountInfo("refresher"), "tokenExpiresAt");
    return refreshed > nowMs() + 30 * kDayMs;
  })) << "tokenExpiresAt stayed "
      << refreshed << "\n"
      << edge_->host().log();
  EXPECT_GE(edge_->graphRequests("GET /refresh_access_token"), 1);
  auto after = status("refresher");
  EXPECT_TRUE(after->getValue<bool>("isActive"));
  EXPECT_FALSE(after->has("inactiveReason") && !after->isNull("inactiveReason") &&
               !str(after, "inactiveReason").empty());
  // The refreshed token is the one in use.
  auto sent = send("refresher", R"({"to":"5566340001","message":"Still here"})");
  EXPECT_EQ(sent.status, 200) << sent.body;
}

TEST_F(InstagramPlatformTest, ARefreshTheGraphRefusesMakesTheConnectionInactiveWithTheReason) {
  createAgent("refused", "rules", rulesAgent());
  configureLogin(kOAuthRefused, kShortGrantSeconds);
  SignIn s = signIn("refused");
  ASSERT_EQ(headerOf(s.callback, "Location"), "/agents/refused?connect=instagram&result=connected")
      << s.callback.body;
  // The user revoked access (or changed the password): Graph answers 190 to the refresh.
  injectFault("/refresh_access_token", "auth");
  Json after;
  ASSERT_TRUE(eventually([&] {
    after = status("refused");
    return after && !after->getValue<bool>("isActive");
  })) << edge_->host().log();
  EXPECT_TRUE(after->getValue<bool>("isConnected"));
  const std::string reason = str(after, "inactiveReason");
  EXPECT_NE(reason.find("refresh"), std::string::npos) << reason;
  EXPECT_NE(reason.find("reconnect"), std::string::npos) << reason;
  EXPECT_EQ(reason.find(kOAuthRefused.token), std::string::npos) << reason;
}

TEST_F(InstagramPlatformTest, ARevokedPageTokenIsFoundByTheCheckAndMarkedInactive) {
  createAgent("page-checked", "rules", rulesAgent());
  const EdgeAccount& account = kChecked;
  configureLogin(kOAuthOther);  // debug_token answers for this app only
  auto connected = edge_->connect("page-checked", account, kWebhookSecret);
  ASSERT_EQ(connected.status, 200) << connected.body;
  const int checksBefore = edge_->graphRequests("GET /v21.0/debug_token");
  ASSERT_TRUE(eventually([&] {
    return edge_->graphRequests("GET /v21.0/debug_token") > checksBefore;
  })) << "the Page token was never checked";
  EXPECT_TRUE(status("page-checked")->getValue<bool>("isActive"));

  ASSERT_EQ(edge_->graphControl("POST", "/_fake/revoke", "{\"token\":" + quote(account.token) + "}")
                .status,
            200);
  Json after;
  ASSERT_TRUE(eventually([&] {
    after = status("page-checked");
    return after && !after->getValue<bool>("isActive");
  })) << edge_->host().log();
  EXPECT_TRUE(after->getValue<bool>("isConnected"));
  const std::string reason = str(after, "inactiveReason");
  EXPECT_NE(reason.find("no longer valid"), std::string::npos) << reason;
  EXPECT_NE(reason.find("reconnect"), std::string::npos) << reason;
}

}  // namespace
}  // namespace chathost::testing
