#include <chathost/meta/signature.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

using namespace chathost::meta;

// RFC 4231 test case 2.
TEST(Signature, HmacMatchesKnownVector) {
  EXPECT_EQ(hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, AcceptsLowerAndUpperCaseHex) {
  std::string body = R"({"object":"instagram","entry":[]})";
  std::string hex = hmacSha256Hex("secret", body);
  EXPECT_TRUE(verifySignature(body, "sha256=" + hex, "secret"));
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_TRUE(verifySignature(body, "sha256=" + upper, "secret"));
}

TEST(Signature, RejectsTamperingWrongKeyAndMalformedHeaders) {
  std::string body = R"({"a":"\u00e9"})";
  std::string good = "sha256=" + hmacSha256Hex("secret", body);
  EXPECT_FALSE(verifySignature(body + " ", good, "secret"));
  EXPECT_FALSE(verifySignature(body, good, "other"));
  EXPECT_FALSE(verifySignature(body, good, ""));
  EXPECT_FALSE(verifySignature(body, "", "secret"));
  EXPECT_FALSE(verifySignature(body, good.substr(0, good.size() - 1), "secret"));
  EXPECT_FALSE(verifySignature(body, "sha1=" + good.substr(7), "secret"));
  std::string nonHex = good;
  nonHex[10] = 'z';
  EXPECT_FALSE(verifySignature(body, nonHex, "secret"));
  std::string flipped = good;
  flipped[20] = flipped[20] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(verifySignature(body, flipped, "secret"));
}

TEST(Signature, SignsRawBytesNotAReserialisation) {
  // Meta signs its escaped-unicode form: the same JSON value written differently must not verify.
  std::string escaped = R"({"t":"\u00e9"})";
  std::string raw = "{\"t\":\"\xc3\xa9\"}";
  std::string sig = "sha256=" + hmacSha256Hex("k", escaped);
  EXPECT_TRUE(verifySignature(escaped, sig, "k"));
  EXPECT_FALSE(verifySignature(raw, sig, "k"));
}

TEST(Signature, AppSecretProofIsHmacOfTokenKeyedBySecret) {
  EXPECT_EQ(appSecretProof("token", "secret"), hmacSha256Hex("secret", "token"));
  EXPECT_NE(appSecretProof("token", "secret"), appSecretProof("token", "secret2"));
}

TEST(Signature, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}
