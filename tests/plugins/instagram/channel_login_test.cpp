// Instagram Login: describe(), authorizeUrl() and completeAuthorization(), and the webhooks of the
// connections it makes.
#include "channel_fixture.h"

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
namespace sdk = chathost::sdk;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Request;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kRedirect = "https://host.example/oauth/instagram/callback";
constexpr const char* kShort = "IGQshort-secret";
constexpr const char* kLong = "IGQlong-secret";
constexpr const char* kCode = "AQCode-secret";

struct LoginTest : ChannelFixture {
  LoginTest() { withApp(); }
  std::string exchangeUrl() const { return std::string(kIgBase) + "/access_token"; }
  void scriptCode(sdk::Result<sdk::HttpResponse> answer) {
    h.ctx.httpFake.on(Method::kPost, kTokenUrl, std::move(answer));
  }
  void scriptCodeOk() {
    scriptCode(FakeHttpClient::json(200, std::string(R"({"access_token":")") + kShort +
                                             R"(","user_id":"9001","permissions":")" +
                                             kOauthScopes + "\"}"));
  }
  void scriptLongLived(
      const std::string& body = std::string(R"({"access_token":")") + kLong +
                                R"(","token_type":"bearer","expires_in":5184000})") {
    h.ctx.httpFake.on(Method::kGet, exchangeUrl(), FakeHttpClient::json(200, body));
  }
  void scriptMe() {
    h.ctx.httpFake.on(Method::kGet, h.igGraphUrl("me"),
                      FakeHttpClient::json(200, R"({"id":"9001","user_id":"17841400000000777",
                        "username":"shop","name":"The Shop","account_type":"BUSINESS",
                        "profile_picture_url":"https://pic"})"));
  }
  void scriptAllOk() {
    scriptCodeOk();
    scriptLongLived();
    scriptMe();
    h.scriptSubscribed(h.igGraphUrl("me/subscribed_apps"));
  }
  sdk::Result<sdk::ConnectResult> complete(const std::string& code = std::string(kCode) + "#_") {
    return channel().completeAuthorization(h.agent, code, kRedirect);
  }
  void expectNoSecretsLogged() const {
    for (const char* secret : {kShort, kLong, kCode, kAppSecret})
      EXPECT_FALSE(h.ctx.log.mentions(secret)) << secret;
  }
};
}  // namespace

TEST_F(ChannelFixture, DescribesTheWindowsTagsAndCapabilities) {
  auto d = channel().describe();
  EXPECT_EQ(d.replyWindowMs, 24LL * 3600 * 1000);
  EXPECT_EQ(d.messageTags, std::vector<std::string>{"HUMAN_AGENT"});
  EXPECT_EQ(d.taggedWindowMs, 7LL * 24 * 3600 * 1000);
  EXPECT_TRUE(d.sendsAttachments);
  EXPECT_TRUE(d.sendsSenderActions);
  EXPECT_FALSE(d.oauthConnect);  // app_secret alone is not enough
}

TEST_F(LoginTest, OauthConnectNeedsTheAppIdAndSecret) {
  EXPECT_TRUE(channel().describe().oauthConnect);
  built.reset();
  h.settings.appSecret.clear();
  EXPECT_FALSE(channel().describe().oauthConnect);
}

TEST_F(LoginTest, TheAuthorizeUrlIsTheConfiguredConsentPage) {
  auto url = channel().authorizeUrl(kRedirect, "state-1");
  ASSERT_TRUE(url.isOk()) << url.status().message();
  EXPECT_EQ(*url, std::string(kAuthorizeUrl) +
                      "?client_id=987654321"
                      "&redirect_uri=https%3A%2F%2Fhost.example%2Foauth%2Finstagram%2Fcallback"
                      "&response_type=code"
                      "&scope=instagram_business_basic,instagram_business_manage_messages"
                      "&state=state-1");
  EXPECT_EQ(channel().authorizeUrl("/relative", "s").status().code(), ErrorCode::kValidation);
  EXPECT_TRUE(requests().empty());
}

TEST_F(LoginTest, WithoutTheAppTheFlowDoesNotExist) {
  h.settings.appId.clear();
  auto url = channel().authorizeUrl(kRedirect, "s");
  EXPECT_EQ(url.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(url.status().message().find("app_id"), std::string::npos);
  EXPECT_EQ(complete().status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(requests().empty());
}

TEST_F(LoginTest, ExchangesTheCodeAndConnectsTheAccount) {
  scriptAllOk();
  auto r = complete();
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto reqs = requests();
  ASSERT_EQ(reqs.size(), 4u);

  // 1. the code, form-encoded, without Meta's "#_"
  EXPECT_EQ(reqs[0].method, Method::kPost);
  EXPECT_EQ(reqs[0].url, kTokenUrl);
  EXPECT_EQ(reqs[0].contentType, "application/x-www-form-urlencoded");
  EXPECT_EQ(reqs[0].body, std::string("client_id=987654321&client_secret=") + kAppSecret +
                              "&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fhost."
                              "example%2Foauth%2Finstagram%2Fcallback&code=" +
                              kCode);
  // 2. the short-lived token for a long-lived one
  EXPECT_EQ(reqs[1].method, Method::kGet);
  EXPECT_EQ(reqs[1].url, exchangeUrl() + "?grant_type=ig_exchange_token&client_secret=" +
                             kAppSecret + "&access_token=" + kShort);
  // 3. the account, with the long-lived token, on the Instagram host
  EXPECT_EQ(bare(reqs[2].url), h.igGraphUrl("me"));
  EXPECT_EQ(headerOf(reqs[2], "Authorization"), std::string("Bearer ") + kLong);
  // 4. its webhooks
  EXPECT_EQ(reqs[3].method, Method::kPost);
  EXPECT_EQ(bare(reqs[3].url), h.igGraphUrl("me/subscribed_apps"));
  EXPECT_EQ(headerOf(reqs[3], "Authorization"), std::string("Bearer ") + kLong);

  const auto& c = r->connection;
  EXPECT_EQ(c.accountId, "17841400000000777");  // the id webhooks carry
  EXPECT_TRUE(c.pageId.empty());
  EXPECT_EQ(c.username, "shop");
  EXPECT_EQ(c.accountType, "BUSINESS");
  EXPECT_EQ(c.secrets, (std::map<std::string, std::string>{{"accessToken", kLong}}));
  EXPECT_EQ(c.tokenExpiresAt, kNowMs + 5184000LL * 1000);
  auto settings = parseObject(c.settingsJson);
  ASSERT_TRUE(settings);
  EXPECT_EQ(getString(*settings, "apiFlavor"), "instagram");
  EXPECT_EQ(getString(*settings, "name"), "The Shop");
  EXPECT_EQ(storedFlavor(c.settingsJson), ApiFlavor::kInstagram);

  // The same answer as connect().
  auto d = parseObject(r->dataJson);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->size(), 4u);
  EXPECT_EQ(getString(*d, "qrCode"), "https://ig.me/m/shop");
  EXPECT_EQ(getString(*d, "qrCodeDataUrl").value_or("").rfind("data:image/png;base64,", 0), 0u);
  EXPECT_EQ(getString(*d, "instagramUrl"), "https://www.instagram.com/shop/");
  EXPECT_EQ(getString(*d, "username"), "shop");
  EXPECT_EQ(r->message,
            "Instagram QR code generated. Scan with your mobile app or connect via API.");
  expectNoSecretsLogged();
}

TEST_F(LoginTest, AcceptsTheWrappedCodeAnswerAndACodeWithoutFragment) {
  scriptCode(FakeHttpClient::json(200, std::string(R"({"data":[{"access_token":")") + kShort +
                                           R"(","user_id":"9001","permissions":"x"}]})"));
  scriptLongLived(std::string(R"({"access_token":")") + kLong + "\"}");  // no expires_in
  scriptMe();
  h.scriptSubscribed(h.igGraphUrl("me/subscribed_apps"));
  auto r = complete(kCode);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_NE(requests().at(0).body.find(std::string("&code=") + kCode), std::string::npos);
  EXPECT_EQ(r->connection.tokenExpiresAt, kNowMs + 60LL * 86400 * 1000);  // Meta's 60 days
}

TEST_F(LoginTest, ARefusedCodeIsAnAuthFailureInWords) {
  scriptCode(FakeHttpClient::json(
      400,
      R"({"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"})"));
  auto r = complete();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(r.status().message().rfind(
                "the authorization code was refused or has expired; try connecting again", 0),
            0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find("Invalid authorization code"), std::string::npos);
  EXPECT_EQ(r.status().message().find(kCode), std::string::npos);
  EXPECT_EQ(requests().size(), 1u);  // nothing after a refused code
  expectNoSecretsLogged();
}

TEST_F(LoginTest, TokenEndpointFailuresAreMappedAsUsual) {
  scriptCode(FakeHttpClient::json(500, R"({"error":{"message":"boom","code":2}})"));
  scriptCode(FakeHttpClient::json(400, R"({"error":{"message":"limit","code":4}})"));
  scriptCode(Status(ErrorCode::kUnavailable, "refused"));
  EXPECT_EQ(complete().status().code(), ErrorCode::kApiError);
  EXPECT_EQ(complete().status().code(), ErrorCode::kRateLimited);
  auto transport = complete();
  EXPECT_EQ(transport.status().code(), ErrorCode::kApiError);
  EXPECT_NE(transport.status().message().find("exchange the authorization code"),
            std::string::npos);
  expectNoSecretsLogged();
}

TEST_F(LoginTest, ARefusedLongLivedExchangeStopsTheConnect) {
  scriptCodeOk();
  h.ctx.httpFake.on(Method::kGet, exchangeUrl(),
                    FakeHttpClient::json(400, R"({"error":{"message":"Invalid OAuth access token",
                                         "type":"OAuthException","code":190}})"));
  auto r = complete();
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(requests().size(), 2u);
  expectNoSecretsLogged();
}

TEST_F(LoginTest, AnAnswerWithoutTokenIsAPlatformFault) {
  scriptCode(FakeHttpClient::json(200, R"({"user_id":"9001"})"));
  auto r = complete();
  EXPECT_EQ(r.status().code(), ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("without an access token"), std::string::npos);
}

TEST_F(LoginTest, ARefusedSubscriptionStopsTheConnect) {
  scriptCodeOk();
  scriptLongLived();
  scriptMe();
  h.ctx.httpFake.on(Method::kPost, h.igGraphUrl("me/subscribed_apps"),
                    FakeHttpClient::json(400, R"({"error":{"message":"nope","code":100}})"));
  auto r = complete();
  EXPECT_EQ(r.status().code(), ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("subscribe"), std::string::npos);
  expectNoSecretsLogged();
}

TEST_F(LoginTest, AnEmptyCodeIsRefusedWithoutACall) {
  EXPECT_EQ(complete("").status().code(), ErrorCode::kValidation);
  EXPECT_EQ(complete("#_").status().code(), ErrorCode::kValidation);
  EXPECT_TRUE(requests().empty());
}

TEST_F(LoginTest, WebhooksOfALoginConnectionUseTheChannelWideSecretAndToken) {
  h.settings.verifyToken = "app-verify";
  auto c = loginConnection();  // no verifyToken, no webhookSecret
  std::string body = R"({"object":"instagram","entry":[]})";
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, kAppSecret), &c).isOk());
  EXPECT_EQ(channel().verifyWebhook(signedPost(body, "other"), &c).code(), ErrorCode::kForbidden);
  Request challenge;
  challenge.query = {
      {"hub.mode", "subscribe"}, {"hub.verify_token", "app-verify"}, {"hub.challenge", "42"}};
  auto ok = channel().answerChallenge(challenge, &c);
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  EXPECT_EQ(ok->body, "42");
  c.connected = false;
  EXPECT_EQ(channel().answerChallenge(challenge, &c).status().code(), ErrorCode::kForbidden);
}
