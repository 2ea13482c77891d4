#include "secrets/random.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(Random, BytesHaveTheRequestedLengthAndDiffer) {
  EXPECT_EQ(randomBytes(0).size(), 0u);
  const std::string a = randomBytes(32);
  const std::string b = randomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(Random, HexIsLowerCaseAndTwiceAsLong) {
  const std::string hex = randomHex(24);
  ASSERT_EQ(hex.size(), 48u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(hex, randomHex(24));
}

}  // namespace
}  // namespace chathost::host
