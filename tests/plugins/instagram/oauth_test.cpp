#include "oauth.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;

TEST(Oauth, TheAuthorizeUrlCarriesTheAppTheRedirectTheScopesAndTheState) {
  Harness h;
  h.settings.appId = kAppId;
  EXPECT_EQ(authorizeUrlFor(h.settings, "https://host.example/cb?x=1", "st/8 =&"),
            std::string(kAuthorizeUrl) +
                "?client_id=987654321&redirect_uri=https%3A%2F%2Fhost.example%2Fcb%3Fx%3D1"
                "&response_type=code"
                "&scope=instagram_business_basic,instagram_business_manage_messages"
                "&state=st%2F8%20%3D%26");
  h.settings.oauthAuthorizeUrl = "https://auth.example/authorize?force_reauth=true";
  EXPECT_EQ(authorizeUrlFor(h.settings, "https://h/cb", "s")
                .rfind("https://auth.example/authorize?force_reauth=true&client_id=987654321&", 0),
            0u);
}

TEST(Oauth, TheCodeLosesTheFragmentMetaAppends) {
  EXPECT_EQ(normaliseCode("AQBx-123#_"), "AQBx-123");
  EXPECT_EQ(normaliseCode("AQBx-123"), "AQBx-123");
  EXPECT_EQ(normaliseCode("a#_b"), "a#_b");
  EXPECT_EQ(normaliseCode("#_"), "");
  EXPECT_EQ(normaliseCode(""), "");
}

TEST(Oauth, ReadsBothShapesOfTheCodeExchange) {
  auto flat = parseCodeExchange(
      R"({"access_token":"IGQshort","user_id":17841400000000123,"permissions":"a,b"})");
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->accessToken, "IGQshort");
  EXPECT_EQ(flat->userId, "17841400000000123");
  EXPECT_EQ(flat->permissions, "a,b");
  auto wrapped = parseCodeExchange(
      R"({"data":[{"access_token":"IGQshort2","user_id":"178","permissions":["a","b",3]}]})");
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped->accessToken, "IGQshort2");
  EXPECT_EQ(wrapped->userId, "178");
  EXPECT_EQ(wrapped->permissions, "a,b");
  for (const char* bad : {R"({"data":[]})", R"({"data":[1]})", R"({"user_id":"1"})",
                          R"({"access_token":""})", "[]", "not json", ""})
    EXPECT_FALSE(parseCodeExchange(bad)) << bad;
}

TEST(Oauth, ReadsALongLivedToken) {
  auto t = parseLongLivedToken(
      R"({"access_token":"IGQlong","token_type":"bearer","expires_in":5183944})");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->accessToken, "IGQlong");
  EXPECT_EQ(t->expiresInSeconds, 5183944);
  auto noExpiry = parseLongLivedToken(R"({"access_token":"IGQlong"})");
  ASSERT_TRUE(noExpiry);
  EXPECT_EQ(noExpiry->expiresInSeconds, 0);
  EXPECT_EQ(parseLongLivedToken(R"({"access_token":"x","expires_in":-5})")->expiresInSeconds, 0);
  EXPECT_FALSE(parseLongLivedToken(R"({"token_type":"bearer","expires_in":1})"));
  EXPECT_FALSE(parseLongLivedToken("nope"));
}
