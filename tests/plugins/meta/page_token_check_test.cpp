// checkPageToken(): a stored Page token is checked with debug_token only when due, and the answer
// becomes the connection's credential outcome: checked (with its expiry), invalid (reconnect) or
// failed (try again next round).
#include <chathost/meta/page_token_check.h>

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

using namespace chathost::meta;
using chathost::sdk::Connection;
using chathost::sdk::CredentialCheck;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;
using Outcome = chathost::sdk::CredentialCheck::Outcome;

namespace {
constexpr std::int64_t kDayMs = 86400LL * 1000;
constexpr std::int64_t kNowMs = 1'750'000'000'000;  // 2025-06-15 15:06:40 UTC
constexpr const char* kDebugUrl = "http://graph.test/v21.0/debug_token";
constexpr const char* kToken = "EAAG-secret-page-token";
constexpr const char* kAppSecret = "app-secret-123";

struct PageTokenCheckTest : ::testing::Test {
  FakeHttpClient http;
  GraphSettings settings;

  PageTokenCheckTest() {
    settings.graphBaseUrl = "http://graph.test";
    settings.appId = "987654321";
    settings.appSecret = kAppSecret;
  }
  /// A Page token last checked `daysAgo` ago.
  static Connection page(std::int64_t daysAgo) {
    Connection c;
    c.accountId = c.pageId = "100200300";
    c.secrets = {{"accessToken", kToken}, {"webhookSecret", "hook-secret"}};
    c.credentialsCheckedAt = kNowMs - daysAgo * kDayMs;
    return c;
  }
  CredentialCheck check(const Connection& c) { return checkPageToken(http, settings, c, kNowMs); }
  void answer(int status, const std::string& body) {
    http.on(Method::kGet, kDebugUrl, FakeHttpClient::json(status, body));
  }
  static void expectNoSecret(const CredentialCheck& r) {
    for (const char* secret : {kToken, kAppSecret, "hook-secret"})
      EXPECT_EQ(r.reason.find(secret), std::string::npos) << r.reason;
  }
};
}  // namespace

TEST_F(PageTokenCheckTest, NothingDueMeansNoCall) {
  EXPECT_EQ(check(page(0)).outcome, Outcome::kUnchanged);  // checked today
  auto noToken = page(30);
  noToken.secrets.erase("accessToken");
  EXPECT_EQ(check(noToken).outcome, Outcome::kUnchanged);
  settings.appId.clear();  // without the app, nothing can be asked
  EXPECT_EQ(check(page(30)).outcome, Outcome::kUnchanged);
  EXPECT_TRUE(http.requests().empty());
}

TEST_F(PageTokenCheckTest, AnExpiredTokenIsInvalidWithoutACall) {
  auto c = page(2);
  c.tokenExpiresAt = kNowMs - 1000;
  auto r = check(c);
  EXPECT_EQ(r.outcome, Outcome::kInvalid);
  EXPECT_EQ(r.reason, "the access token expired on 2025-06-15 15:06 UTC; reconnect the account");
  EXPECT_EQ(expiredTokenCheck(0).reason,
            "the access token expired on 1970-01-01 00:00 UTC; reconnect the account");
  EXPECT_TRUE(http.requests().empty());
}

TEST_F(PageTokenCheckTest, ADueTokenIsCheckedWithOneDebugTokenCall) {
  answer(200, R"({"data":{"app_id":"987654321","type":"PAGE","is_valid":true,"expires_at":0,
                  "scopes":["pages_messaging"]}})");
  auto r = check(page(2));
  EXPECT_EQ(r.outcome, Outcome::kChecked) << r.reason;
  EXPECT_EQ(r.tokenExpiresAt, 0);  // expires_at 0: never
  EXPECT_TRUE(r.secrets.empty());  // the host keeps the stored ones
  ASSERT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(http.requests()[0].url.rfind(std::string(kDebugUrl) + "?input_token=" + kToken, 0), 0u);
}

TEST_F(PageTokenCheckTest, APageTokenWithAnExpiryHasItStored) {
  answer(200, R"({"data":{"is_valid":true,"expires_at":1760000000}})");
  auto r = check(page(2));
  ASSERT_EQ(r.outcome, Outcome::kChecked) << r.reason;
  EXPECT_TRUE(r.secrets.empty());
  EXPECT_EQ(r.tokenExpiresAt, 1760000000LL * 1000);
}

TEST_F(PageTokenCheckTest, AnInvalidPageTokenNeedsAReconnect) {
  answer(200, R"({"data":{"is_valid":false,"expires_at":0,
      "error":{"code":190,"subcode":460,"message":"The session has been invalidated because the user changed their password."}}})");
  answer(200, R"({"data":{"is_valid":false}})");
  auto revoked = check(page(2));
  EXPECT_EQ(revoked.outcome, Outcome::kInvalid);
  EXPECT_EQ(revoked.reason,
            "the access token is no longer valid (The session has been invalidated because the "
            "user changed their password.); reconnect the account");
  auto bare = check(page(2));
  EXPECT_EQ(bare.outcome, Outcome::kInvalid);
  EXPECT_EQ(bare.reason, "the access token is no longer valid; reconnect the account");
  expectNoSecret(revoked);
  expectNoSecret(bare);
}

TEST_F(PageTokenCheckTest, ACheckThatCannotBeMadeIsAFailureNotAnInvalidToken) {
  // debug_token refusing the app's own credentials (190 on the call itself) says nothing about
  // the Page token: turning every Page inactive for an operator's wrong app_secret would be wrong.
  answer(400, R"({"error":{"message":"Invalid OAuth access token signature.","code":190}})");
  http.on(Method::kGet, kDebugUrl, Status(ErrorCode::kUnavailable, "refused"));
  answer(500, R"({"error":{"message":"An unknown error occurred","code":1}})");
  answer(400, R"({"error":{"message":"limit","code":4}})");
  answer(200, R"({"data":{"type":"PAGE"}})");
  for (int i = 0; i < 5; ++i) {
    auto r = check(page(2));
    EXPECT_EQ(r.outcome, Outcome::kFailed) << i;
    EXPECT_EQ(r.reason.rfind("could not check the Page access token: ", 0), 0u) << r.reason;
    EXPECT_TRUE(r.secrets.empty());
    expectNoSecret(r);
  }
  EXPECT_EQ(http.requests().size(), 5u);
}
