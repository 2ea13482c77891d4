#include <chathost/meta/signature.h>
#include <chathost/meta/webhook_auth.h>

#include <gtest/gtest.h>

using namespace chathost::meta;
using chathost::sdk::Connection;
using chathost::sdk::ErrorCode;
using chathost::sdk::Request;

namespace {
Request challenge(const std::string& mode, const std::string& token, const std::string& value) {
  Request r;
  r.query = {{"hub.mode", mode}, {"hub.verify_token", token}, {"hub.challenge", value}};
  return r;
}

Request signedPost(const std::string& body, const std::string& header) {
  Request r;
  r.method = chathost::sdk::Method::kPost;
  r.body = body;
  if (!header.empty()) r.headers = {{"x-hub-signature-256", header}};
  return r;
}

Connection connected(std::map<std::string, std::string> secrets) {
  Connection c;
  c.connected = true;
  c.secrets = std::move(secrets);
  return c;
}
}  // namespace

TEST(WebhookAuth, TheChallengeIsEchoedOnlyForTheExpectedToken) {
  auto ok = answerChallenge(challenge("subscribe", "tok", "1158201444"), "tok");
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "1158201444");
  EXPECT_EQ(ok->contentType, "text/plain; charset=utf-8");
  for (const auto& r : {challenge("subscribe", "other", "1"), challenge("unsubscribe", "tok", "1"),
                        challenge("subscribe", "to", "1"), Request{}}) {
    auto refused = answerChallenge(r, "tok");
    ASSERT_FALSE(refused.isOk());
    EXPECT_EQ(refused.status().code(), ErrorCode::kForbidden);
  }
  // No expected token (nothing configured): nothing verifies, not even an empty token.
  EXPECT_FALSE(answerChallenge(challenge("subscribe", "", "1"), "").isOk());
}

TEST(WebhookAuth, ThePerAgentTokenWinsTheChannelsIsTheFallbackADisconnectedOneHasNone) {
  EXPECT_EQ(expectedVerifyToken(nullptr, "app"), "app");
  auto own = connected({{"verifyToken", "mine"}});
  EXPECT_EQ(expectedVerifyToken(&own, "app"), "mine");
  auto none = connected({});
  EXPECT_EQ(expectedVerifyToken(&none, "app"), "app");
  own.connected = false;
  EXPECT_EQ(expectedVerifyToken(&own, "app"), "");
}

TEST(WebhookAuth, SignaturesAreCheckedWithTheAgentsSecretElseTheAppSecret) {
  auto agent = connected({{"webhookSecret", "agent-secret"}});
  EXPECT_EQ(signingKeyFor(&agent, "app-secret"), "agent-secret");
  EXPECT_EQ(signingKeyFor(nullptr, "app-secret"), "app-secret");
  agent.connected = false;  // a disconnected agent's URL is signed by the app
  EXPECT_EQ(signingKeyFor(&agent, "app-secret"), "app-secret");

  const std::string body = R"({"object":"page","entry":[]})";
  const std::string good = "sha256=" + hmacSha256Hex("k", body);
  EXPECT_TRUE(checkSignature(signedPost(body, good), "k", true).isOk());
  for (const auto& header : {std::string(), "sha256=" + hmacSha256Hex("other", body)}) {
    auto s = checkSignature(signedPost(body, header), "k", true);
    EXPECT_EQ(s.code(), ErrorCode::kForbidden) << header;
    EXPECT_EQ(s.message(), "missing or invalid X-Hub-Signature-256");
  }
}

TEST(WebhookAuth, WithoutAnyKeyOnlyAnOperatorsOptOutLetsUnsignedBodiesThrough) {
  auto refused = checkSignature(signedPost("{}", ""), "", true);
  EXPECT_EQ(refused.code(), ErrorCode::kForbidden);
  EXPECT_NE(refused.message().find("no webhook secret"), std::string::npos);
  EXPECT_TRUE(checkSignature(signedPost("{}", ""), "", false).isOk());
}
