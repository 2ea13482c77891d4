#include "auth/jwt.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <gtest/gtest.h>

#include "token_factory.h"

namespace chathost::host {
namespace {

using testing::craftToken;
using testing::kHs256Header;

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
constexpr std::int64_t kNow = 1'750'000'000;
const std::string kPayload =
    R"({"sub":"ops","subaccounts":["acme","beta"],"exp":)" + std::to_string(kNow + 600) + "}";

void expectUnauthorized(const sdk::Result<Claims>& result, const std::string& message) {
  ASSERT_FALSE(result) << "expected failure: " << message;
  EXPECT_EQ(result.status().code(), sdk::ErrorCode::kUnauthorized);
  EXPECT_EQ(result.status().message(), message);
}

sdk::Result<Claims> verify(const std::string& token, std::int64_t now = kNow) {
  return verifyBearer("Bearer " + token, kSecret, now);
}

std::string withPayload(const std::string& payloadJson) {
  return craftToken(kHs256Header, payloadJson, kSecret);
}

TEST(Jwt, IssuedTokenVerifies) {
  const std::string token = issueToken(kSecret, "ops", {"acme", "*"}, 3600, kNow);
  ASSERT_FALSE(token.empty());
  auto claims = verify(token);
  ASSERT_TRUE(claims) << claims.status().message();
  EXPECT_EQ(claims->sub, "ops");
  EXPECT_EQ(claims->subaccounts, (std::vector<std::string>{"acme", "*"}));
  EXPECT_EQ(claims->exp, kNow + 3600);
}

TEST(Jwt, IssuedTokenHasWholeSecondTimesAndVerifiesWithPoco) {
  const std::string token = issueToken(kSecret, "ops", {"acme"}, 60, kNow);
  const std::string payloadPart =
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  const std::string json = decodeBase64(payloadPart, Base64Alphabet::kUrl).value();
  EXPECT_NE(json.find("\"exp\":" + std::to_string(kNow + 60)), std::string::npos) << json;
  EXPECT_NE(json.find("\"iat\":" + std::to_string(kNow)), std::string::npos) << json;
  Poco::JWT::Signer signer(kSecret);
  Poco::JWT::Token parsed;
  EXPECT_TRUE(signer.tryVerify(token, parsed));
  EXPECT_EQ(parsed.getAlgorithm(), "HS256");
}

TEST(Jwt, HandCraftedTokenVerifies) {
  auto claims = verify(withPayload(kPayload));
  ASSERT_TRUE(claims) << claims.status().message();
  EXPECT_EQ(claims->sub, "ops");
  EXPECT_EQ(claims->subaccounts.size(), 2u);
}

TEST(Jwt, ExpiredTokenIsRefusedAfterTheLeeway) {
  const std::string token = issueToken(kSecret, "ops", {"acme"}, 60, kNow);
  EXPECT_TRUE(verify(token, kNow + 60 + kJwtLeewaySeconds - 1));
  expectUnauthorized(verify(token, kNow + 60 + kJwtLeewaySeconds), "token has expired");
  expectUnauthorized(verify(issueToken(kSecret, "ops", {"acme"}, -3600, kNow)),
                     "token has expired");
}

TEST(Jwt, NotBeforeIsHonoured) {
  const std::string token =
      withPayload(R"({"subaccounts":["a"],"exp":)" + std::to_string(kNow + 600) + R"(,"nbf":)" +
                  std::to_string(kNow + 100) + "}");
  expectUnauthorized(verify(token), "token is not valid yet");
  EXPECT_TRUE(verify(token, kNow + 100 - kJwtLeewaySeconds));
  expectUnauthorized(verify(withPayload(R"({"exp":9999999999,"nbf":"soon"})")),
                     "token nbf claim must be a number");
}

TEST(Jwt, WrongSecretIsRefused) {
  const std::string token =
      issueToken("another-secret-another-secret-another", "ops", {"a"}, 60, kNow);
  expectUnauthorized(verify(token), "token signature is invalid");
}

TEST(Jwt, EmptySecretVerifiesNothing) {
  const std::string token = craftToken(kHs256Header, kPayload, "");
  auto result = verifyBearer("Bearer " + token, "", kNow);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), sdk::ErrorCode::kInternal);
}

TEST(Jwt, AlgNoneIsRefusedWithOrWithoutSignature) {
  const std::string none = R"({"alg":"none","typ":"JWT"})";
  expectUnauthorized(verify(craftToken(none, kPayload, kSecret, nullptr)),
                     "token algorithm must be HS256");
  expectUnauthorized(verify(craftToken(none, kPayload, kSecret)), "token algorithm must be HS256");
  const std::string unsignedToken = craftToken(none, kPayload, kSecret, nullptr);
  expectUnauthorized(verify(unsignedToken.substr(0, unsignedToken.size() - 1)), "malformed token");
}

TEST(Jwt, Hs512IsRefusedEvenWhenItsSignatureIsValid) {
  const std::string token =
      craftToken(R"({"alg":"HS512","typ":"JWT"})", kPayload, kSecret, EVP_sha512());
  expectUnauthorized(verify(token), "token algorithm must be HS256");
}

TEST(Jwt, Rs256HeaderIsRefusedEvenWithAnHmacSignature) {
  // Key confusion: an RS256 header over an HMAC made with the shared secret.
  const std::string token = craftToken(R"({"alg":"RS256","typ":"JWT"})", kPayload, kSecret);
  expectUnauthorized(verify(token), "token algorithm must be HS256");
  expectUnauthorized(verify(craftToken(R"({"alg":"hs256"})", kPayload, kSecret)),
                     "token algorithm must be HS256");
  expectUnauthorized(verify(craftToken(R"({"typ":"JWT"})", kPayload, kSecret)),
                     "token algorithm must be HS256");
  expectUnauthorized(verify(craftToken(R"({"alg":["HS256"]})", kPayload, kSecret)),
                     "token algorithm must be HS256");
}

TEST(Jwt, GarbageIsMalformed) {
  const std::string valid = withPayload(kPayload);
  for (const std::string& token :
       {std::string("abc"), std::string("a.b"), std::string("a.b.c.d"), std::string(".."),
        std::string("...."), valid + ".", "x" + valid,
        testing::b64url("not json") + "." + testing::b64url(kPayload) + ".c2ln",
        testing::b64url("[1,2]") + "." + testing::b64url(kPayload) + ".c2ln",
        testing::b64url(std::string(5000, '[')) + ".e30.c2ln"}) {
    expectUnauthorized(verify(token), "malformed token");
  }
  expectUnauthorized(verify(std::string(kMaxTokenBytes + 1, 'a')), "token is too long");
  // Signed, but the payload is not a JSON object.
  expectUnauthorized(verify(withPayload("[]")), "malformed token");
  expectUnauthorized(verify(withPayload("{\"exp\":")), "malformed token");
}

TEST(Jwt, ExpIsRequiredAndMustBeANumber) {
  expectUnauthorized(verify(withPayload(R"({"sub":"ops","subaccounts":["a"]})")),
                     "token has no exp claim");
  for (const char* exp : {"\"9999999999\"", "true", "null", "{}", "1e300"}) {
    expectUnauthorized(verify(withPayload(std::string(R"({"exp":)") + exp + "}")),
                       "token exp claim must be a number");
  }
  auto fractional = verify(withPayload(R"({"exp":)" + std::to_string(kNow + 10) + ".75}"));
  ASSERT_TRUE(fractional) << fractional.status().message();
  EXPECT_EQ(fractional->exp, kNow + 10);
}

TEST(Jwt, SubaccountsMustBeAnArrayOfStrings) {
  const std::string exp = std::to_string(kNow + 600);
  for (const char* value : {"\"*\"", "[\"a\",1]", "{\"a\":1}", "[[\"a\"]]", "null"}) {
    expectUnauthorized(verify(withPayload(R"({"exp":)" + exp + R"(,"subaccounts":)" + value + "}")),
                       "token subaccounts claim must be an array of strings");
  }
  auto none = verify(withPayload(R"({"exp":)" + exp + "}"));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->subaccounts.empty());
  expectUnauthorized(verify(withPayload(R"({"exp":)" + exp + R"(,"sub":42})")),
                     "token sub claim must be a string");
}

TEST(Jwt, CorruptedMiddleCharacterIsRefused) {
  const std::string token = issueToken(kSecret, "ops", {"acme"}, 600, kNow);
  const std::size_t signatureStart = token.rfind('.') + 1;
  for (std::size_t pos :
       {signatureStart + (token.size() - signatureStart) / 2, token.find('.') + 5}) {
    std::string corrupted = token;
    corrupted[pos] = corrupted[pos] == 'A' ? 'B' : 'A';
    auto result = verify(corrupted);
    ASSERT_FALSE(result) << pos;
    EXPECT_EQ(result.status().code(), sdk::ErrorCode::kUnauthorized);
  }
}

TEST(Jwt, NonCanonicalSignatureEncodingIsRefused) {
  // 32 bytes encode to 43 characters whose last one carries 2 unused bits: setting them must
  // not yield a second valid spelling of the same token.
  const std::string token = issueToken(kSecret, "ops", {"acme"}, 600, kNow);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t last = alphabet.find(token.back());
  ASSERT_EQ(last % 4, 0u);
  std::string variant = token;
  variant.back() = alphabet[last + 1];
  expectUnauthorized(verify(variant), "token signature is invalid");
}

TEST(Jwt, CritHeaderIsRefused) {
  expectUnauthorized(verify(craftToken(R"({"alg":"HS256","crit":["exp"]})", kPayload, kSecret)),
                     "token header has unsupported crit parameters");
}

}  // namespace
}  // namespace chathost::host
