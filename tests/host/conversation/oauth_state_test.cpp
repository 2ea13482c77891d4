// The signed `state` of a channel's sign-in flow: what it carries survives the trip through the
// platform, and nothing changed, foreign, expired or malformed is accepted.
#include "conversation/oauth_state.h"

#include "auth/hmac_sha256.h"

#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>

#include <cctype>
#include <sstream>

using chathost::host::OAuthState;
using chathost::host::signOAuthState;
using chathost::host::verifyOAuthState;
using chathost::sdk::ErrorCode;

namespace {

constexpr const char* kKey = "state-signing-key";
constexpr std::int64_t kNow = 1718000000000;

OAuthState sample() {
  OAuthState s;
  s.subaccountId = "sub1";
  s.agentId = "agent1";
  s.channel = "fakechat";
  s.redirectUri = "https://chat.example.com/oauth/fakechat/callback";
  s.expiresAt = kNow + 600000;
  s.nonce = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  return s;
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// `payload` signed under `key` as the host signs a state, whatever the payload holds.
std::string signedAs(const std::string& payload, const std::string& key = kKey) {
  return payload + "." + hex(chathost::host::hmacSha256(key, payload));
}

// `text` as base64url without padding, as the host encodes a state's JSON.
std::string base64Url(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc.rdbuf()->setLineLength(0);
  enc << text;
  enc.close();
  return out.str();
}

void expectSame(const OAuthState& a, const OAuthState& b) {
  EXPECT_EQ(a.subaccountId, b.subaccountId);
  EXPECT_EQ(a.agentId, b.agentId);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.redirectUri, b.redirectUri);
  EXPECT_EQ(a.expiresAt, b.expiresAt);
  EXPECT_EQ(a.nonce, b.nonce);
}

// Expects `token` refused as not valid (not as expired or missing).
void expectInvalid(const std::string& token, const std::string& key = kKey) {
  auto r = verifyOAuthState(token, key, kNow);
  ASSERT_FALSE(r.isOk()) << token.substr(0, 80);
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
  EXPECT_NE(r.status().message().find("not valid"), std::string::npos) << r.status().message();
}

char flipped(char c) {
  return c == 'a' ? 'b' : 'a';
}

}  // namespace

TEST(OAuthState, ASignedStateVerifiesWithEveryField) {
  const std::string token = signOAuthState(sample(), kKey);
  auto r = verifyOAuthState(token, kKey, kNow);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  expectSame(*r, sample());
}

TEST(OAuthState, TheTokenIsUrlSafePayloadDotHexSignature) {
  const std::string token = signOAuthState(sample(), kKey);
  const auto dot = token.find('.');
  ASSERT_NE(dot, std::string::npos);
  EXPECT_EQ(token.find('.', dot + 1), std::string::npos) << "one dot only";
  for (char c : token.substr(0, dot))
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  const std::string signature = token.substr(dot + 1);
  EXPECT_EQ(signature.size(), 64u);
  EXPECT_EQ(signature.find_first_not_of("0123456789abcdef"), std::string::npos) << signature;
}

TEST(OAuthState, FieldsWithOddCharactersSurvive) {
  OAuthState s = sample();
  s.subaccountId = "sub \"quoted\" \\ back";
  s.agentId = "agent.with.dots";
  s.channel = "fake.chat";
  s.redirectUri = "https://chat.example.com/cb?x=1&y=\xC3\xA9t\xC3\xA9#frag";
  s.nonce = "n.o.n.c.e \xF0\x9F\x98\x80";
  auto r = verifyOAuthState(signOAuthState(s, kKey), kKey, kNow);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  expectSame(*r, s);
  OAuthState empty;
  empty.expiresAt = kNow + 1;
  auto e = verifyOAuthState(signOAuthState(empty, kKey), kKey, kNow);
  ASSERT_TRUE(e.isOk()) << e.status().message();
  expectSame(*e, empty);
}

TEST(OAuthState, PayloadsOfEveryLengthRoundTrip) {
  // Base64 without padding ends differently for each length modulo 3.
  for (int n = 0; n < 6; ++n) {
    OAuthState s = sample();
    s.nonce = std::string(static_cast<std::size_t>(n), 'x');
    auto r = verifyOAuthState(signOAuthState(s, kKey), kKey, kNow);
    ASSERT_TRUE(r.isOk()) << n << ": " << r.status().message();
    EXPECT_EQ(r->nonce, s.nonce);
  }
}

TEST(OAuthState, ATamperedPayloadIsRefused) {
  const std::string token = signOAuthState(sample(), kKey);
  const auto dot = token.find('.');
  for (std::size_t i : {std::size_t{0}, dot / 2, dot - 1}) {
    std::string changed = token;
    changed[i] = flipped(changed[i]);
    expectInvalid(changed);
  }
  // Another state's payload under this state's signature.
  OAuthState other = sample();
  other.agentId = "someone-else";
  const std::string foreign = signOAuthState(other, kKey);
  expectInvalid(foreign.substr(0, foreign.find('.')) + token.substr(dot));
}

TEST(OAuthState, ATamperedSignatureIsRefused) {
  const std::string token = signOAuthState(sample(), kKey);
  std::string changed = token;
  changed.back() = flipped(changed.back());
  expectInvalid(changed);
  expectInvalid(token.substr(0, token.size() - 1));
  expectInvalid(token + "0");
  std::string upper = token;
  for (auto i = token.find('.') + 1; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  if (upper != token) expectInvalid(upper);
  expectInvalid(token.substr(0, token.find('.') + 1));
}

TEST(OAuthState, AStateSignedUnderAnotherKeyIsRefused) {
  expectInvalid(signOAuthState(sample(), "another-key"));
  expectInvalid(signOAuthState(sample(), kKey), "another-key");
}

TEST(OAuthState, AnEmptyKeyVerifiesNothing) {
  expectInvalid(signOAuthState(sample(), ""), "");
}

TEST(OAuthState, AnExpiredStateIsRefusedAsExpired) {
  const std::string token = signOAuthState(sample(), kKey);
  EXPECT_TRUE(verifyOAuthState(token, kKey, sample().expiresAt - 1).isOk());
  for (std::int64_t now :
       {sample().expiresAt, sample().expiresAt + 1, sample().expiresAt + 86400000}) {
    auto r = verifyOAuthState(token, kKey, now);
    ASSERT_FALSE(r.isOk()) << now;
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
    EXPECT_NE(r.status().message().find("expired"), std::string::npos) << r.status().message();
  }
}

TEST(OAuthState, AMissingStateSaysSo) {
  auto r = verifyOAuthState("", kKey, kNow);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
  EXPECT_NE(r.status().message().find("no state"), std::string::npos) << r.status().message();
}

TEST(OAuthState, GarbageIsRefusedWithoutCrashing) {
  for (const std::string& junk :
       {std::string("no-dot-at-all"), std::string("."), std::string(".."), std::string("a.b.c"),
        std::string("\0\0.\0", 4), std::string("\xFF\xFE.\x80"), std::string(4097, 'a'),
        std::string(100000, '.'), std::string(4096, 'A') + "." + std::string(64, '0')})
    expectInvalid(junk);
}

TEST(OAuthState, ACorrectlySignedPayloadThatIsNotAStateIsRefused) {
  expectInvalid(signedAs("not+base64/url=="));
  expectInvalid(signedAs("a.b"));  // a '.' inside the payload
  expectInvalid(signedAs("A"));    // one base64 character is no byte
  expectInvalid(signedAs(base64Url("not json")));
  expectInvalid(signedAs(base64Url("[1,2]")));
  expectInvalid(signedAs(base64Url(R"({"s":"sub1","a":"agent1"})")));
  expectInvalid(signedAs(base64Url(R"({"s":"sub1","a":"agent1","c":"fakechat","r":"https://x",)"
                                   R"("e":"soon","n":"x"})")));
  // The same JSON the host writes is accepted: the checks above failed for their content.
  auto ok = verifyOAuthState(
      signedAs(base64Url(R"({"s":"sub1","a":"agent1","c":"fakechat","r":"https://x",)"
                         R"("e":)" +
                         std::to_string(kNow + 1) + R"(,"n":"x","b":"y"})")),
      kKey, kNow);
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  EXPECT_EQ(ok->agentId, "agent1");
  EXPECT_EQ(ok->browserHash, "y");
}
