// refreshCredentials(): the connected Page's token is checked with debug_token when the check is
// due and the app's id and secret are known; nothing is called otherwise.

#include "test_support.h"

using namespace chathost::messenger;
using namespace chathost::messenger::testing;
using chathost::sdk::Connection;
using chathost::sdk::CredentialCheck;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Status;
using Outcome = chathost::sdk::CredentialCheck::Outcome;

namespace {
constexpr std::int64_t kDayMs = 86400LL * 1000;
constexpr std::int64_t kNowMs = 1'750'000'000'000;  // 2025-06-15 15:06:40 UTC
constexpr const char* kAppId = "263902037430900";

struct RefreshTest : ChannelTest {
  RefreshTest() { settings.appId = kAppId; }
  /// The Page's token, last checked `daysAgo` ago.
  Connection checkedDaysAgo(std::int64_t daysAgo) const {
    auto c = connection();
    c.credentialsCheckedAt = kNowMs - daysAgo * kDayMs;
    return c;
  }
  CredentialCheck refresh(const Connection& c) { return channel().refreshCredentials(c, kNowMs); }
  void debugAnswers(int status, const std::string& body) {
    answer(Method::kGet, "debug_token", status, body);
  }
  static void expectNoSecret(const CredentialCheck& r) {
    for (const char* secret : {kToken, kAppSecret, "verify-me"})
      EXPECT_EQ(r.reason.find(secret), std::string::npos) << r.reason;
  }
};
}  // namespace

TEST_F(RefreshTest, NotDueMeansNoCall) {
  EXPECT_EQ(refresh(checkedDaysAgo(0)).outcome, Outcome::kUnchanged);  // checked today
  settings.tokenCheckIntervalSeconds = 7 * 86400;
  built.reset();
  EXPECT_EQ(refresh(checkedDaysAgo(6)).outcome, Outcome::kUnchanged);
  EXPECT_TRUE(requests().empty());
}

TEST_F(RefreshTest, WithoutTheAppsIdAndSecretNothingIsChecked) {
  settings.appId.clear();
  EXPECT_EQ(refresh(checkedDaysAgo(30)).outcome, Outcome::kUnchanged);
  settings.appId = kAppId;
  settings.appSecret.clear();
  built.reset();
  EXPECT_EQ(refresh(checkedDaysAgo(30)).outcome, Outcome::kUnchanged);
  EXPECT_TRUE(requests().empty());
}

TEST_F(RefreshTest, ADueCheckIsOneDebugTokenCall) {
  debugAnswers(200, R"({"data":{"app_id":"263902037430900","type":"PAGE","is_valid":true,
                        "expires_at":1760000000,"scopes":["pages_messaging"]}})");
  auto r = refresh(checkedDaysAgo(1));
  ASSERT_EQ(r.outcome, Outcome::kChecked) << r.reason;
  EXPECT_EQ(r.tokenExpiresAt, 1760000000LL * 1000);
  EXPECT_TRUE(r.secrets.empty());  // the host keeps the stored ones
  ASSERT_EQ(requests().size(), 1u);
  const auto req = requests()[0];
  EXPECT_EQ(req.method, Method::kGet);
  EXPECT_EQ(req.url, graphUrl("debug_token") + "?input_token=" + kToken +
                         "&access_token=" + kAppId + "%7C" + kAppSecret);
}

TEST_F(RefreshTest, ATokenDebugTokenCallsInvalidNeedsAReconnect) {
  debugAnswers(200, R"({"data":{"is_valid":false,"expires_at":0,"error":{"code":190,
      "subcode":460,"message":"Error validating access token: The session has been invalidated because the user changed their password."}}})");
  auto r = refresh(checkedDaysAgo(2));
  EXPECT_EQ(r.outcome, Outcome::kInvalid);
  EXPECT_EQ(r.reason,
            "the access token is no longer valid (Error validating access token: The session has "
            "been invalidated because the user changed their password.); reconnect the account");
  expectNoSecret(r);
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(RefreshTest, AnExpiredTokenIsInvalidWithoutACall) {
  auto c = checkedDaysAgo(0);
  c.tokenExpiresAt = kNowMs - 1;
  auto r = refresh(c);
  EXPECT_EQ(r.outcome, Outcome::kInvalid);
  EXPECT_EQ(r.reason, "the access token expired on 2025-06-15 15:06 UTC; reconnect the account");
  EXPECT_TRUE(requests().empty());
}

TEST_F(RefreshTest, NetworkErrorsAndPlatformFaultsAreFailuresRetriedNextRound) {
  ctx.httpFake.on(Method::kGet, graphUrl("debug_token"),
                  Status(ErrorCode::kUnavailable, "refused"));
  ctx.httpFake.on(Method::kGet, graphUrl("debug_token"), Status(ErrorCode::kTimeout, "slow"));
  debugAnswers(503, R"({"error":{"message":"Service temporarily unavailable","code":2}})");
  // A 190 on the call itself refuses the app's credentials, not the Page's token.
  debugAnswers(400, R"({"error":{"message":"Invalid OAuth access token signature.","code":190}})");
  for (int i = 0; i < 4; ++i) {
    auto r = refresh(checkedDaysAgo(2));
    EXPECT_EQ(r.outcome, Outcome::kFailed) << i;
    EXPECT_EQ(r.reason.rfind("could not check the Page access token: ", 0), 0u) << r.reason;
    expectNoSecret(r);
  }
  EXPECT_EQ(requests().size(), 4u);
}
