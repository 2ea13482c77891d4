// debug_token: the answer's reading and the one GET that asks it, with the app's credentials.
#include <chathost/meta/token_debug.h>

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

using namespace chathost::meta;
using chathost::sdk::ErrorCode;
using chathost::sdk::Method;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kDebugUrl = "http://graph.test/v21.0/debug_token";

struct DebugTokenTest : ::testing::Test {
  FakeHttpClient http;
  GraphSettings settings;

  DebugTokenTest() {
    settings.graphBaseUrl = "http://graph.test";
    settings.appId = "987654321";
    settings.appSecret = "app-secret-123";
    settings.graphTimeoutMs = 2500;
  }
};
}  // namespace

TEST(TokenDebugAnswer, ReadsWhatDebugTokenSays) {
  auto valid = parseTokenDebug(
      R"({"data":{"app_id":"1","type":"PAGE","is_valid":true,"expires_at":1750000000,"scopes":[]}})");
  ASSERT_TRUE(valid);
  EXPECT_TRUE(valid->isValid);
  EXPECT_EQ(valid->expiresAt, 1750000000);
  EXPECT_TRUE(valid->errorMessage.empty());
  auto invalid = parseTokenDebug(
      R"({"data":{"is_valid":false,"expires_at":0,"error":{"code":190,"message":"Session was revoked"}}})");
  ASSERT_TRUE(invalid);
  EXPECT_FALSE(invalid->isValid);
  EXPECT_EQ(invalid->expiresAt, 0);
  EXPECT_EQ(invalid->errorMessage, "Session was revoked");
  EXPECT_EQ(parseTokenDebug(R"({"data":{"is_valid":true,"expires_at":-5}})")->expiresAt, 0);
  for (const char* bad : {R"({"data":{}})", R"({"is_valid":true})",
                          R"({"data":{"is_valid":"yes"}})", R"({"data":[]})", "[]", "not json", ""})
    EXPECT_FALSE(parseTokenDebug(bad)) << bad;
}

TEST_F(DebugTokenTest, AsksWithTheAppsCredentialsInTheQuery) {
  http.on(Method::kGet, kDebugUrl,
          FakeHttpClient::json(200, R"({"data":{"is_valid":true,"expires_at":1760000000}})"));
  auto r = debugToken(http, settings, "EAAG page&token");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_TRUE(r.value->isValid);
  EXPECT_EQ(r.value->expiresAt, 1760000000);
  ASSERT_EQ(http.requests().size(), 1u);
  const auto req = http.requests()[0];
  EXPECT_EQ(req.method, Method::kGet);
  EXPECT_EQ(req.url,
            std::string(kDebugUrl) +
                "?input_token=EAAG%20page%26token&access_token=987654321%7Capp-secret-123");
  EXPECT_EQ(req.timeoutMs, 2500);
  for (const auto& [name, value] : req.headers) EXPECT_NE(name, "Authorization");
}

TEST_F(DebugTokenTest, RefusalsFaultsAndOddAnswersAreGraphErrors) {
  http.on(Method::kGet, kDebugUrl,
          FakeHttpClient::json(
              400, R"({"error":{"message":"Invalid OAuth access token signature.","code":190}})"));
  http.on(Method::kGet, kDebugUrl, Status(ErrorCode::kTimeout, "slow"));
  http.on(Method::kGet, kDebugUrl, FakeHttpClient::json(200, R"({"data":{"type":"PAGE"}})"));
  auto refused = debugToken(http, settings, "t");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error.code, 190);
  EXPECT_EQ(refused.error.httpStatus, 400);
  auto slow = debugToken(http, settings, "t");
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(slow.error.timeout);
  auto odd = debugToken(http, settings, "t");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error.httpStatus, 502);  // retryable: a platform fault
  for (const auto& r : {refused, slow, odd})
    EXPECT_EQ(r.error.message.find("app-secret-123"), std::string::npos) << r.error.message;
}
