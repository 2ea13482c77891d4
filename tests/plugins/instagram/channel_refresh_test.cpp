// refreshCredentials(): Instagram Login tokens refreshed before they expire, Page tokens checked
// with debug_token (what its answers mean is tested with the Meta library), nothing at all when
// nothing is due.
#include "channel_fixture.h"

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
namespace sdk = chathost::sdk;
using chathost::sdk::CredentialCheck;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;
using Outcome = chathost::sdk::CredentialCheck::Outcome;

namespace {
constexpr std::int64_t kDayMs = 86400LL * 1000;

struct RefreshTest : ChannelFixture {
  std::string refreshUrl(const char* base = kIgBase) const {
    return std::string(base) + "/refresh_access_token";
  }
  std::string debugUrl() const { return h.graphUrl("debug_token"); }
  /// An Instagram Login connection issued `ageDays` ago, expiring in `leftDays`.
  sdk::Connection igConnection(std::int64_t ageDays, std::int64_t leftDays) const {
    auto c = loginConnection();
    c.secrets["verifyToken"] = "kept";
    c.credentialsCheckedAt = kNowMs - ageDays * kDayMs;
    c.tokenExpiresAt = kNowMs + leftDays * kDayMs;
    return c;
  }
  /// A Page token last checked `daysAgo` ago.
  sdk::Connection pageConnection(std::int64_t daysAgo) const {
    auto c = h.connection(/*withWebhookSecret=*/true);
    c.credentialsCheckedAt = kNowMs - daysAgo * kDayMs;
    return c;
  }
  CredentialCheck refresh(const sdk::Connection& c) {
    return channel().refreshCredentials(c, kNowMs);
  }
  static void expectNoSecret(const CredentialCheck& r) {
    for (const char* secret : {kToken, kAppSecret, "IGQnew-secret"})
      EXPECT_EQ(r.reason.find(secret), std::string::npos) << r.reason;
  }
};
}  // namespace

TEST_F(RefreshTest, NothingDueMeansNoCall) {
  withApp();
  EXPECT_EQ(refresh(igConnection(2, 50)).outcome, Outcome::kUnchanged);  // not expiring yet
  EXPECT_EQ(refresh(igConnection(0, 20)).outcome, Outcome::kUnchanged);  // too young
  EXPECT_EQ(refresh(pageConnection(0)).outcome, Outcome::kUnchanged);    // checked today
  auto noToken = igConnection(40, 1);
  noToken.secrets.erase("accessToken");
  EXPECT_EQ(refresh(noToken).outcome, Outcome::kUnchanged);
  EXPECT_TRUE(requests().empty());
}

TEST_F(RefreshTest, AnExpiredTokenIsInvalidWithoutACall) {
  auto c = igConnection(61, 0);
  c.tokenExpiresAt = kNowMs - 1000;
  auto r = refresh(c);
  EXPECT_EQ(r.outcome, Outcome::kInvalid);
  EXPECT_EQ(r.reason, "the access token expired on 2025-06-15 15:06 UTC; reconnect the account");
  EXPECT_TRUE(requests().empty());
}

TEST_F(RefreshTest, ATokenDueIsRefreshedKeepingTheOtherSecrets) {
  h.ctx.httpFake.on(Method::kGet, refreshUrl(),
                    FakeHttpClient::json(200, R"({"access_token":"IGQnew-secret",
                                 "token_type":"bearer","expires_in":5184000})"));
  auto r = refresh(igConnection(40, 20));
  ASSERT_EQ(r.outcome, Outcome::kRefreshed) << r.reason;
  EXPECT_EQ(r.secrets, (std::map<std::string, std::string>{{"accessToken", "IGQnew-secret"},
                                                           {"verifyToken", "kept"}}));
  EXPECT_EQ(r.tokenExpiresAt, kNowMs + 5184000LL * 1000);
  ASSERT_EQ(requests().size(), 1u);
  const auto req = requests()[0];
  EXPECT_EQ(req.method, Method::kGet);
  EXPECT_EQ(req.url, refreshUrl() + "?grant_type=ig_refresh_token&access_token=" + kToken);
  EXPECT_TRUE(headerOf(req, "Authorization").empty());
}

TEST_F(RefreshTest, AConnectionOfTheConfiguredInstagramFlavourRefreshesOnGraphBaseUrl) {
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kGet, refreshUrl(kBase),
                    FakeHttpClient::json(200, R"({"access_token":"t2","expires_in":100})"));
  auto c = h.connection();  // stores no flavour
  c.credentialsCheckedAt = kNowMs - 40 * kDayMs;
  c.tokenExpiresAt = kNowMs + 5 * kDayMs;
  auto r = refresh(c);
  EXPECT_EQ(r.outcome, Outcome::kRefreshed) << r.reason;
  EXPECT_EQ(r.tokenExpiresAt, kNowMs + 100 * 1000);
}

TEST_F(RefreshTest, ARefusedRefreshIsInvalidOtherFailuresAreRetriedLater) {
  auto url = refreshUrl();
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"Session has expired",
                                 "type":"OAuthException","code":190,"error_subcode":463}})"));
  h.ctx.httpFake.on(Method::kGet, url, FakeHttpClient::json(500, "{}"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"limit","code":4}})"));
  h.ctx.httpFake.on(Method::kGet, url, Status(ErrorCode::kTimeout, "slow"));
  h.ctx.httpFake.on(Method::kGet, url, FakeHttpClient::json(200, R"({"access_token":"x"})"));
  auto refused = refresh(igConnection(40, 20));
  EXPECT_EQ(refused.outcome, Outcome::kInvalid);
  EXPECT_EQ(refused.reason,
            "Instagram refused to refresh the access token (Graph error 190/463: Session has "
            "expired); reconnect the account");
  for (int i = 0; i < 4; ++i) {
    auto failed = refresh(igConnection(40, 20));
    EXPECT_EQ(failed.outcome, Outcome::kFailed) << i;
    EXPECT_EQ(failed.reason.rfind("could not refresh the Instagram access token: ", 0), 0u)
        << failed.reason;
    EXPECT_TRUE(failed.secrets.empty());
    expectNoSecret(failed);
  }
  expectNoSecret(refused);
}

TEST_F(RefreshTest, APageTokenIsCheckedWithDebugToken) {
  withApp();
  h.ctx.httpFake.on(Method::kGet, debugUrl(),
                    FakeHttpClient::json(200, R"({"data":{"app_id":"987654321","type":"PAGE",
                                 "is_valid":true,"expires_at":0,"scopes":["pages_messaging"]}})"));
  auto r = refresh(pageConnection(2));
  EXPECT_EQ(r.outcome, Outcome::kChecked) << r.reason;
  EXPECT_EQ(r.tokenExpiresAt, 0);  // expires_at 0: never
  EXPECT_TRUE(r.secrets.empty());
  ASSERT_EQ(requests().size(), 1u);
  const auto req = requests()[0];
  EXPECT_EQ(req.method, Method::kGet);
  EXPECT_EQ(bare(req.url), debugUrl());
  EXPECT_EQ(queryParam(req.url, "input_token"), kToken);
  EXPECT_EQ(queryParam(req.url, "access_token"),
            std::string(kAppId) + "%7C" + kAppSecret);  // app_id|app_secret
}

TEST_F(RefreshTest, PageTokensAreNotCheckedWithoutTheAppId) {
  auto r = refresh(pageConnection(30));  // app_secret is set, app_id is not
  EXPECT_EQ(r.outcome, Outcome::kUnchanged);
  EXPECT_TRUE(requests().empty());
}
