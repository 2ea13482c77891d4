#include "auth/token_verifier.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "auth/jwt.h"

namespace chathost::host {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
constexpr std::int64_t kNow = 1'750'000'000;

std::string bearer(const std::string& sub, std::int64_t ttl = 600) {
  return "Bearer " + issueToken(kSecret, sub, {"acme"}, ttl, kNow);
}

TEST(TokenVerifier, CachesVerifiedTokensAndReturnsTheSameClaims) {
  TokenVerifier verifier(kSecret);
  const std::string header = bearer("ops");
  auto first = verifier.verify(header, kNow);
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(verifier.cachedCount(), 1u);
  auto second = verifier.verify(header, kNow + 1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sub, "ops");
  EXPECT_EQ(second->subaccounts, first->subaccounts);
  EXPECT_EQ(verifier.cachedCount(), 1u);
}

TEST(TokenVerifier, CachedTokenStillExpires) {
  TokenVerifier verifier(kSecret);
  const std::string header = bearer("ops", 60);
  ASSERT_TRUE(verifier.verify(header, kNow));
  auto late = verifier.verify(header, kNow + 60 + kJwtLeewaySeconds);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.status().message(), "token has expired");
  EXPECT_EQ(verifier.cachedCount(), 0u);
}

TEST(TokenVerifier, FailuresAreNotCached) {
  TokenVerifier verifier(kSecret);
  std::string header = bearer("ops");
  header[header.size() / 2] = header[header.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier.verify(header, kNow));
  EXPECT_FALSE(verifier.verify("Basic abc", kNow));
  EXPECT_EQ(verifier.cachedCount(), 0u);
}

TEST(TokenVerifier, AnotherSecretDoesNotAcceptCachedTokens) {
  TokenVerifier verifier(kSecret);
  TokenVerifier other("another-secret-another-secret-another");
  const std::string header = bearer("ops");
  ASSERT_TRUE(verifier.verify(header, kNow));
  EXPECT_FALSE(other.verify(header, kNow));
}

TEST(TokenVerifier, StaysWithinCapacity) {
  TokenVerifier verifier(kSecret, 8);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(verifier.verify(bearer("user" + std::to_string(i)), kNow));
    EXPECT_LE(verifier.cachedCount(), 8u);
  }
}

TEST(TokenVerifier, ConcurrentCallersAgree) {
  TokenVerifier verifier(kSecret, 16);
  std::vector<std::string> headers;
  for (int i = 0; i < 32; ++i) headers.push_back(bearer("user" + std::to_string(i)));
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < headers.size(); ++i) {
          auto claims = verifier.verify(headers[i], kNow);
          if (!claims || claims->sub != "user" + std::to_string(i)) ++failures[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace chathost::host
