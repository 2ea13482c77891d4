#include "credential_policy.h"
#include "connection_flavor.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;

namespace {
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kDay = 86400 * kSecond;
constexpr std::int64_t kNow = 1'750'000'000'000;  // 2025-06-15 15:06:40 UTC

// Instagram Login tokens; Page tokens follow the Meta library's policy (tests/plugins/meta).
struct PolicyTest : ::testing::Test {
  Settings settings;  // defaults: min age 1 day, refresh 30 days before expiry
  CredentialAction ig(std::int64_t expiresAt, std::int64_t checkedAt, std::int64_t now = kNow) {
    return dueCredentialAction(settings, expiresAt, checkedAt, now);
  }
};
}  // namespace

TEST_F(PolicyTest, AnInstagramTokenFarFromExpiryNeedsNothing) {
  EXPECT_EQ(ig(kNow + 59 * kDay, kNow - kDay), CredentialAction::kNone);
  EXPECT_EQ(ig(kNow + 30 * kDay + 1, kNow - 10 * kDay), CredentialAction::kNone);
}

TEST_F(PolicyTest, AnInstagramTokenIsRefreshedWithinTheWindowOnceOldEnough) {
  EXPECT_EQ(ig(kNow + 30 * kDay, kNow - kDay), CredentialAction::kRefresh);  // both boundaries
  EXPECT_EQ(ig(kNow + kSecond, kNow - 40 * kDay), CredentialAction::kRefresh);
  EXPECT_EQ(ig(kNow + 10 * kDay, kNow - kDay + 1), CredentialAction::kNone);  // too young
  settings.tokenRefreshMinAgeSeconds = 0;
  EXPECT_EQ(ig(kNow + 10 * kDay, kNow), CredentialAction::kRefresh);
  settings.tokenRefreshBeforeSeconds = 5 * 86400;
  EXPECT_EQ(ig(kNow + 10 * kDay, kNow), CredentialAction::kNone);
}

TEST_F(PolicyTest, AnExpiredTokenIsExpired) {
  EXPECT_EQ(ig(kNow, kNow - 60 * kDay), CredentialAction::kExpired);
  EXPECT_EQ(ig(kNow - 1, kNow - kSecond), CredentialAction::kExpired);
}

TEST_F(PolicyTest, AnInstagramTokenWithoutKnownExpiryIsRefreshedOnceOldEnough) {
  // Pasted into the connect form: its expiry is learnt from its first refresh.
  EXPECT_EQ(ig(0, kNow - kSecond), CredentialAction::kNone);
  EXPECT_EQ(ig(0, kNow - 2 * kDay), CredentialAction::kRefresh);
  settings.appId = "1";
  settings.appSecret = "s";
  EXPECT_EQ(ig(0, kNow - 2 * kDay), CredentialAction::kRefresh);  // never debug_token
}

TEST(ConnectionFlavor, IsReadFromTheStoredSettings) {
  EXPECT_EQ(storedFlavor(R"({"apiFlavor":"instagram","name":"x"})"), ApiFlavor::kInstagram);
  EXPECT_EQ(storedFlavor(R"({"apiFlavor":"facebook"})"), ApiFlavor::kFacebook);
  for (const char* none :
       {"{}", R"({"apiFlavor":"twitter"})", R"({"apiFlavor":1})", "", "[]", "not json"})
    EXPECT_FALSE(storedFlavor(none)) << none;
}

TEST(ConnectionFlavor, PicksTheHostOfTheStoredFlavourElseTheConfiguredOne) {
  Settings s;
  s.graphBaseUrl = "http://fb.example";
  s.instagramGraphBaseUrl = "http://ig.example";
  auto configured = endpointFor(s, std::nullopt);
  EXPECT_EQ(configured.flavor, ApiFlavor::kFacebook);
  EXPECT_EQ(configured.baseUrl, "http://fb.example");
  auto ig = endpointFor(s, ApiFlavor::kInstagram);
  EXPECT_EQ(ig.flavor, ApiFlavor::kInstagram);
  EXPECT_EQ(ig.baseUrl, "http://ig.example");
  auto fb = endpointFor(s, ApiFlavor::kFacebook);
  EXPECT_EQ(fb.flavor, ApiFlavor::kFacebook);
  EXPECT_EQ(fb.baseUrl, "http://fb.example");
  // A plugin configured for Instagram Login keeps graph_base_url for connections that store
  // nothing, as before.
  s.apiFlavor = ApiFlavor::kInstagram;
  auto legacy = endpointFor(s, std::nullopt);
  EXPECT_EQ(legacy.flavor, ApiFlavor::kInstagram);
  EXPECT_EQ(legacy.baseUrl, "http://fb.example");
  EXPECT_STREQ(flavorName(ApiFlavor::kInstagram), "instagram");
  EXPECT_STREQ(flavorName(ApiFlavor::kFacebook), "facebook");
}
