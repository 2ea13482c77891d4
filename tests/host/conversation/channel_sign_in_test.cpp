// A channel's sign-in flow: POST <channel>/oauth/start hands out the platform's consent URL with a
// signed state; GET /oauth/<channel>/callback checks it once, lets the channel exchange the code,
// stores the connection and sends the browser back to the dashboard saying what happened.
#include "conversation/channel_sign_in.h"
#include "channel_routes_fixture.h"
#include "conversation/oauth_state.h"

#include <Poco/URI.h>

#include <cstring>

using namespace chathost;
using namespace chathost::testing;
using sdk::ErrorCode;
using sdk::Method;

namespace {

constexpr const char* kStateKey = "state-signing-key";
constexpr const char* kCallback = "/oauth/fakechat/callback";
constexpr std::int64_t kStateLifetimeMs = 10 * 60 * 1000;

constexpr const char* kCookie = "chathost_signin_fakechat";

struct ChannelSignInTest : ChannelRoutesTest {
  std::unique_ptr<host::ChannelSignIn> signIn;
  std::string browser;  // the sign-in secret this test's "browser" holds in its cookie

  void SetUp() override {
    h.channel.description.oauthConnect = true;
    h.services.oauthStateKey = kStateKey;
  }
  void startSignIn() {
    if (signIn) return;
    start();
    signIn = std::make_unique<host::ChannelSignIn>(*sender, *routes, h.services);
    signIn->registerRoutes(h.router);
  }
  sdk::Result<sdk::Response> begin(std::optional<std::string> host = "chat.example.com:8080",
                                   const sdk::AgentInfo* agent = nullptr) {
    startSignIn();
    sdk::Request r;
    if (host) r.headers.emplace_back("Host", *host);
    auto answer = h.router.invokeAgent(Method::kPost, std::string(kChannel) + "/oauth/start", r,
                                       agent ? *agent : h.agent);
    if (answer.isOk())
      for (const auto& [k, v] : answer->headers)
        if (sdk::equalsIgnoreCase(k, "Set-Cookie") && v.rfind(std::string(kCookie) + "=", 0) == 0)
          browser = v.substr(std::strlen(kCookie) + 1, v.find(';') - std::strlen(kCookie) - 1);
    return answer;
  }
  /// The state the host handed to the channel for its consent URL, after a successful start.
  std::string beginAndTakeState() {
    auto r = begin();
    EXPECT_TRUE(r.isOk()) << r.status().message();
    auto calls = h.channel.authorizeCalls();
    return calls.empty() ? std::string() : calls.back().state;
  }
  sdk::Response callback(std::vector<std::pair<std::string, std::string>> query) {
    startSignIn();
    sdk::Request r;
    r.query = std::move(query);
    if (!browser.empty())
      r.headers.emplace_back("Cookie", "theme=dark; " + std::string(kCookie) + "=" + browser);
    auto answer = h.router.invokePublic(Method::kGet, kCallback, r);
    EXPECT_TRUE(answer.isOk()) << answer.status().message();
    return answer.isOk() ? *answer : sdk::Response{};
  }
  /// A state as the host signs one, for arranging what start() would not hand out.
  std::string stateFor(const std::string& agentId, const std::string& channel = kChannel) {
    host::OAuthState s;
    s.subaccountId = "sub1";
    s.agentId = agentId;
    s.channel = channel;
    s.redirectUri = "http://chat.example.com/oauth/fakechat/callback";
    s.expiresAt = h.now + kStateLifetimeMs;
    s.nonce = "nonce-" + agentId + "-" + channel;
    if (browser.empty()) browser = "browser-secret-of-" + agentId;
    s.browserHash = host::browserBinding(browser);
    return host::signOAuthState(s, kStateKey);
  }
  void scriptCompletion() {
    sdk::ConnectResult r;
    r.connection.accountId = kAccount;
    r.connection.username = "shop";
    r.connection.accountType = "BUSINESS";
    r.connection.secrets = {{"token", "oauth-token"}};
    r.connection.tokenExpiresAt = h.now + 60LL * 86400000;
    r.connection.agentId = "another-agent";  // the host sets the tenant fields
    r.connection.subaccountId = "someone-else";
    h.channel.completions.then(r);
  }
};

std::string headerOf(const sdk::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (sdk::equalsIgnoreCase(k, name)) return v;
  return {};
}

/// Where a callback's answer sends the browser: its path and its query members, decoded.
struct Back {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::string param(const std::string& name) const {
    for (const auto& [k, v] : query)
      if (k == name) return v;
    return "<absent>";
  }
};

Back backOf(const sdk::Response& r) {
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(headerOf(r, "Cache-Control"), "no-store");
  Poco::URI uri(headerOf(r, "Location"));
  EXPECT_EQ(uri.getScheme(), "") << "a relative location, on this host";
  EXPECT_EQ(uri.getFragment(), "");
  return {uri.getPath(), uri.getQueryParameters()};
}

void expectError(const Back& back, const std::string& path, const std::string& reasonPart) {
  EXPECT_EQ(back.path, path);
  EXPECT_EQ(back.param("connect"), kChannel);
  EXPECT_EQ(back.param("result"), "error");
  EXPECT_NE(back.param("reason").find(reasonPart), std::string::npos) << back.param("reason");
}

}  // namespace

TEST_F(ChannelSignInTest, RoutesExistOnlyForAChannelWithTheFlow) {
  startSignIn();
  EXPECT_TRUE(h.router.has(Method::kPost, "fakechat/oauth/start"));
  EXPECT_TRUE(h.router.has(Method::kGet, kCallback));
  for (const auto& r : h.router.routes()) {
    if (r.pattern == kCallback)
      EXPECT_FALSE(r.agentScoped) << "the platform calls it, without a JWT";
    else
      EXPECT_TRUE(r.agentScoped) << r.pattern;
  }
  EXPECT_EQ(h.router.routes().size(), 8u);
}

TEST_F(ChannelSignInTest, AChannelWithoutTheFlowGetsNoRoutes) {
  h.channel.description.oauthConnect = false;
  startSignIn();
  EXPECT_FALSE(h.router.has(Method::kPost, "fakechat/oauth/start"));
  EXPECT_FALSE(h.router.has(Method::kGet, kCallback));
  EXPECT_EQ(h.router.routes().size(), 6u);
}

TEST_F(ChannelSignInTest, StartAnswersTheConsentUrlWithAStateBoundToTheAgent) {
  h.channel.authorizeUrls.then(std::string("https://platform.example/consent?client_id=1"));
  auto r = begin("chat.example.com:8080");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto d = dataOf(*r);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->getValue<std::string>("authorizeUrl"),
            "https://platform.example/consent?client_id=1");
  const std::string redirect = "http://chat.example.com:8080/oauth/fakechat/callback";
  EXPECT_EQ(d->getValue<std::string>("redirectUri"), redirect);
  EXPECT_EQ(d->getValue<std::int64_t>("expiresAt"), h.now + kStateLifetimeMs);

  auto calls = h.channel.authorizeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].redirectUri, redirect);
  auto state = host::verifyOAuthState(calls[0].state, kStateKey, h.now);
  ASSERT_TRUE(state.isOk()) << state.status().message();
  EXPECT_EQ(state->subaccountId, "sub1");
  EXPECT_EQ(state->agentId, "agent1");
  EXPECT_EQ(state->channel, kChannel);
  EXPECT_EQ(state->redirectUri, redirect);
  EXPECT_EQ(state->expiresAt, h.now + kStateLifetimeMs);
  EXPECT_FALSE(state->nonce.empty());
  EXPECT_FALSE(host::verifyOAuthState(calls[0].state, "another-key", h.now).isOk());
}

TEST_F(ChannelSignInTest, EveryStartHasItsOwnNonce) {
  const std::string first = beginAndTakeState();
  const std::string second = beginAndTakeState();
  ASSERT_FALSE(first.empty());
  EXPECT_NE(host::verifyOAuthState(first, kStateKey, h.now)->nonce,
            host::verifyOAuthState(second, kStateKey, h.now)->nonce);
}

TEST_F(ChannelSignInTest, ThePublicUrlWinsOverTheHostHeader) {
  h.services.publicUrl = "https://chat.example.com/";
  for (const std::optional<std::string>& host :
       {std::optional<std::string>("other.example:1"), std::optional<std::string>("bad host/x"),
        std::optional<std::string>()}) {
    auto r = begin(host);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_EQ(dataOf(*r)->getValue<std::string>("redirectUri"),
              "https://chat.example.com/oauth/fakechat/callback");
  }
  EXPECT_EQ(h.channel.authorizeCalls().back().redirectUri,
            "https://chat.example.com/oauth/fakechat/callback");
}

TEST_F(ChannelSignInTest, AHostHeaderThatCannotMakeAUrlIsRefused) {
  for (const std::optional<std::string>& host :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>("evil.example/x"), std::optional<std::string>("a b"),
        std::optional<std::string>("user@evil.example"), std::optional<std::string>("h?q=1"),
        std::optional<std::string>("h#frag"), std::optional<std::string>("h\r\nX: y"),
        std::optional<std::string>(std::string(256, 'a'))}) {
    auto r = begin(host);
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation) << host.value_or("<none>");
    EXPECT_NE(r.status().message().find("public_url"), std::string::npos);
  }
  EXPECT_TRUE(h.channel.authorizeCalls().empty());
  EXPECT_TRUE(begin("[::1]:8080").isOk());
  EXPECT_EQ(h.channel.authorizeCalls().back().redirectUri,
            "http://[::1]:8080/oauth/fakechat/callback");
}

TEST_F(ChannelSignInTest, StartWithoutAStateKeyIsRefused) {
  h.services.oauthStateKey.clear();
  auto r = begin();
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
  EXPECT_NE(r.status().message().find("not configured"), std::string::npos);
  EXPECT_TRUE(h.channel.authorizeCalls().empty());
}

TEST_F(ChannelSignInTest, AChannelThatCannotMakeTheConsentUrlSaysWhy) {
  h.channel.authorizeUrls.then(sdk::Status(ErrorCode::kNotFound, "no app id configured"));
  auto r = begin();
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no app id configured");
}

TEST_F(ChannelSignInTest, ACodeConnectsTheAgentAndSendsTheBrowserBackToIt) {
  const std::string state = beginAndTakeState();
  ASSERT_TRUE((*h.cache.byAgent("sub1", "agent1", kChannel)) == std::nullopt);
  scriptCompletion();
  auto answer = callback({{"code", "the-code"}, {"state", state}});
  EXPECT_EQ(headerOf(answer, "Location"), "/agents/agent1?connect=fakechat&result=connected");
  auto back = backOf(answer);
  EXPECT_EQ(back.path, "/agents/agent1");
  EXPECT_EQ(back.param("result"), "connected");
  EXPECT_EQ(back.param("reason"), "<absent>");

  auto calls = h.channel.completeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].code, "the-code");
  EXPECT_EQ(calls[0].redirectUri, "http://chat.example.com:8080/oauth/fakechat/callback");
  EXPECT_EQ(calls[0].agent.id, "agent1");
  EXPECT_EQ(calls[0].agent.subaccountId, "sub1");

  auto c = stored();
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->connected);
  EXPECT_TRUE(c->active);
  EXPECT_EQ(c->accountId, kAccount);
  EXPECT_EQ(c->subaccountId, "sub1");
  EXPECT_EQ(c->agentId, "agent1");
  EXPECT_EQ(c->channel, kChannel);
  EXPECT_EQ(c->secrets.at("token"), "oauth-token");
  EXPECT_EQ(c->tokenExpiresAt, h.now + 60LL * 86400000);
  EXPECT_EQ(c->connectedAt, h.now);
  EXPECT_EQ(c->credentialsCheckedAt, h.now);
  EXPECT_TRUE((*h.cache.byAgent("sub1", "agent1", kChannel))->connected)
      << "the webhook path sees the new connection";
}

TEST_F(ChannelSignInTest, AStateWorksOnce) {
  const std::string state = beginAndTakeState();
  scriptCompletion();
  ASSERT_EQ(backOf(callback({{"code", "c1"}, {"state", state}})).param("result"), "connected");
  expectError(backOf(callback({{"code", "c1"}, {"state", state}})), "/agents/agent1",
              "already used");
  EXPECT_EQ(h.channel.completeCalls().size(), 1u);
}

TEST_F(ChannelSignInTest, ATamperedStateGoesBackToTheAgentList) {
  std::string state = beginAndTakeState();
  state[2] = state[2] == 'a' ? 'b' : 'a';
  expectError(backOf(callback({{"code", "c1"}, {"state", state}})), "/", "not valid");
  h.services.oauthStateKey = "another-key";
  expectError(backOf(callback({{"code", "c1"}, {"state", stateFor("agent1")}})), "/", "not valid");
  EXPECT_TRUE(h.channel.completeCalls().empty());
}

TEST_F(ChannelSignInTest, AnExpiredStateSaysItExpired) {
  const std::string state = beginAndTakeState();
  h.now += kStateLifetimeMs;
  expectError(backOf(callback({{"code", "c1"}, {"state", state}})), "/", "expired");
  EXPECT_TRUE(h.channel.completeCalls().empty());
}

TEST_F(ChannelSignInTest, AnAnswerWithoutStateOrCodeIsRefused) {
  expectError(backOf(callback({{"code", "c1"}})), "/", "no state");
  expectError(backOf(callback({{"state", beginAndTakeState()}})), "/agents/agent1", "no code");
  EXPECT_TRUE(h.channel.completeCalls().empty());
}

TEST_F(ChannelSignInTest, AStateForAnotherChannelIsRefused) {
  expectError(backOf(callback({{"code", "c1"}, {"state", stateFor("agent1", "otherchat")}})), "/",
              "another channel");
  EXPECT_TRUE(h.channel.completeCalls().empty());
}

TEST_F(ChannelSignInTest, ARefusalOnThePlatformIsShownWithItsDescription) {
  expectError(backOf(callback({{"error", "access_denied"},
                               {"error_description", "The user denied your request."},
                               {"state", beginAndTakeState()}})),
              "/agents/agent1", "sign-in was cancelled or refused (The user denied your request.)");
  expectError(backOf(callback({{"error", "access_denied"}, {"state", beginAndTakeState()}})),
              "/agents/agent1", "(access_denied)");
  EXPECT_TRUE(h.channel.completeCalls().empty());
  EXPECT_FALSE(stored());
}

TEST_F(ChannelSignInTest, TheChannelsFailureIsShownAndNothingIsStored) {
  h.channel.completions.then(
      sdk::Status(ErrorCode::kAuthFailed, "Error validating verification code"));
  auto back = backOf(callback({{"code", "expired-code"}, {"state", beginAndTakeState()}}));
  expectError(back, "/agents/agent1", "");
  EXPECT_EQ(back.param("reason"), "Error validating verification code");
  EXPECT_FALSE(stored());
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "sign-in failed"));
}

TEST_F(ChannelSignInTest, AReasonCannotAddQueryMembers) {
  const std::string nasty = "bad & worse #frag ?x=1&result=connected&reason=ok + 100% /..";
  h.channel.completions.then(sdk::Status::validation(nasty));
  auto answer = callback({{"code", "c1"}, {"state", beginAndTakeState()}});
  const std::string location = headerOf(answer, "Location");
  EXPECT_EQ(location.find('#'), std::string::npos) << location;
  EXPECT_EQ(location.find(' '), std::string::npos) << location;
  auto back = backOf(answer);
  EXPECT_EQ(back.path, "/agents/agent1");
  ASSERT_EQ(back.query.size(), 3u) << location;
  EXPECT_EQ(back.query[0], (std::pair<std::string, std::string>{"connect", kChannel}));
  EXPECT_EQ(back.query[1], (std::pair<std::string, std::string>{"result", "error"}));
  EXPECT_EQ(back.query[2], (std::pair<std::string, std::string>{"reason", nasty}));
}

TEST_F(ChannelSignInTest, AnOddAgentIdStaysInThePath) {
  sdk::AgentInfo odd = h.agent;
  odd.id = "odd&id#x?y/z";
  h.agents.add(odd);
  auto r = begin("chat.example.com", &odd);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  h.channel.completions.then(sdk::Status::validation("no"));
  auto answer = callback({{"code", "c1"}, {"state", h.channel.authorizeCalls().back().state}});
  const std::string location = headerOf(answer, "Location");
  EXPECT_EQ(location.rfind("/agents/odd%26id%23x%3Fy%2Fz?connect=fakechat&result=error", 0), 0u)
      << location;
  EXPECT_EQ(backOf(answer).query.size(), 3u);
  EXPECT_EQ(h.channel.completeCalls().at(0).agent.id, odd.id);
}

TEST_F(ChannelSignInTest, AnAgentThatNoLongerExistsGoesBackToTheAgentList) {
  expectError(backOf(callback({{"code", "c1"}, {"state", stateFor("ghost")}})), "/",
              "no longer exists");
  EXPECT_TRUE(h.channel.completeCalls().empty());
}

TEST_F(ChannelSignInTest, LongReasonsAreCut) {
  h.channel.completions.then(sdk::Status::validation(std::string(1000, 'r')));
  auto back = backOf(callback({{"code", "c1"}, {"state", beginAndTakeState()}}));
  EXPECT_EQ(back.param("reason"), std::string(300, 'r') + "...");
}

TEST_F(ChannelSignInTest, AnAccountConnectedToAnotherAgentIsShown) {
  auto other = h.connection();
  other.agentId = "agent2";
  h.connections.put(other);
  scriptCompletion();
  auto back = backOf(callback({{"code", "c1"}, {"state", beginAndTakeState()}}));
  expectError(back, "/agents/agent1", "connected to another agent");
  EXPECT_FALSE(stored());
}

TEST_F(ChannelSignInTest, WithoutTheSharedStoreNoStateIsAccepted) {
  const std::string state = beginAndTakeState();
  h.kv.unavailable = true;
  scriptCompletion();
  expectError(backOf(callback({{"code", "c1"}, {"state", state}})), "/agents/agent1",
              "could not be checked");
  EXPECT_TRUE(h.channel.completeCalls().empty());
  EXPECT_FALSE(stored());
}

TEST_F(ChannelSignInTest, StartGivesTheBrowserAnHttpOnlyCookieForTheCallbackOnly) {
  auto r = begin();
  ASSERT_TRUE(r.isOk());
  const std::string cookie = headerOf(*r, "Set-Cookie");
  EXPECT_EQ(cookie.rfind(std::string(kCookie) + "=", 0), 0u) << cookie;
  EXPECT_GE(browser.size(), 64u);  // two random UUIDs
  for (const char* part :
       {"; Path=/oauth/fakechat/callback", "; Max-Age=600", "; HttpOnly", "; SameSite=Lax"})
    EXPECT_NE(cookie.find(part), std::string::npos) << part << " in " << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain http here";
  h.services.publicUrl = "https://chat.example.com";
  ASSERT_TRUE(begin().isOk());
  EXPECT_NE(headerOf(*begin(), "Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(ChannelSignInTest, AConsentLinkFinishedInAnotherBrowserConnectsNothing) {
  const std::string state = beginAndTakeState();
  scriptCompletion();
  const std::string mine = browser;
  for (const std::string& other :
       {std::string(), std::string("someone-elses-secret"), mine.substr(0, mine.size() - 1)}) {
    browser = other;
    expectError(backOf(callback({{"state", state}, {"code", "the-code"}})), "/agents/agent1",
                "another browser");
  }
  EXPECT_TRUE(h.channel.completeCalls().empty());
  EXPECT_FALSE(stored().has_value());
  browser = mine;  // the starting browser still can: the refusals burnt nothing
  auto back = backOf(callback({{"state", state}, {"code", "the-code"}}));
  EXPECT_EQ(back.param("result"), "connected");
  EXPECT_NE(
      headerOf(callback({{"state", state}, {"code", "the-code"}}), "Set-Cookie").find("Max-Age=0"),
      std::string::npos);
}
