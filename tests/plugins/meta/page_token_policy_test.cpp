// When a stored Page token is checked: never without the app's credentials, at the configured
// interval since the last check, and never once its known expiry has passed.
#include <chathost/meta/page_token_policy.h>

#include <gtest/gtest.h>

using namespace chathost::meta;

namespace {
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kDay = 86400 * kSecond;
constexpr std::int64_t kNow = 1'750'000'000'000;  // 2025-06-15 15:06:40 UTC

struct PageTokenPolicyTest : ::testing::Test {
  GraphSettings settings;  // defaults: checked daily, no app credentials
  PageTokenAction due(std::int64_t expiresAt, std::int64_t checkedAt, std::int64_t now = kNow) {
    return duePageTokenAction(settings, expiresAt, checkedAt, now);
  }
};
}  // namespace

TEST_F(PageTokenPolicyTest, APageTokenIsCheckedAtTheIntervalWhenTheAppIsKnown) {
  EXPECT_EQ(due(0, 0), PageTokenAction::kNone);  // no app_id / app_secret
  settings.appId = "1";
  EXPECT_EQ(due(0, 0), PageTokenAction::kNone);
  settings.appId.clear();
  settings.appSecret = "s";
  EXPECT_EQ(due(0, 0), PageTokenAction::kNone);
  settings.appId = "1";
  EXPECT_EQ(due(0, kNow - kDay), PageTokenAction::kCheck);
  EXPECT_EQ(due(0, kNow - kDay + 1), PageTokenAction::kNone);
  EXPECT_EQ(due(kNow + 365 * kDay, kNow - 2 * kDay), PageTokenAction::kCheck);
  settings.tokenCheckIntervalSeconds = 60;
  EXPECT_EQ(due(0, kNow - 60 * kSecond), PageTokenAction::kCheck);
  EXPECT_EQ(due(0, kNow - 59 * kSecond), PageTokenAction::kNone);
  settings.tokenCheckIntervalSeconds = 0;
  EXPECT_EQ(due(0, kNow), PageTokenAction::kCheck);
}

TEST_F(PageTokenPolicyTest, AnExpiredTokenIsExpiredWithOrWithoutTheApp) {
  EXPECT_EQ(due(kNow - kDay, kNow - kSecond), PageTokenAction::kExpired);
  EXPECT_EQ(due(kNow, kNow), PageTokenAction::kExpired);
  EXPECT_EQ(due(kNow + 1, kNow - 30 * kDay), PageTokenAction::kNone);
  settings.appId = "1";
  settings.appSecret = "s";
  EXPECT_EQ(due(kNow - 1, kNow - 30 * kDay), PageTokenAction::kExpired);
  EXPECT_TRUE(tokenExpired(kNow, kNow));
  EXPECT_FALSE(tokenExpired(0, kNow));  // 0: does not expire
  EXPECT_FALSE(tokenExpired(kNow + 1, kNow));
}

TEST(CredentialDates, AreWrittenInUtc) {
  EXPECT_EQ(utcDate(0), "1970-01-01 00:00 UTC");
  EXPECT_EQ(utcDate(kNow), "2025-06-15 15:06 UTC");
}
