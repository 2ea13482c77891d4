#include "secrets/encoding.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(Base64, StandardMatchesRfc4648Vectors) {
  EXPECT_EQ(encodeBase64("", Base64Alphabet::kStandard), "");
  EXPECT_EQ(encodeBase64("f", Base64Alphabet::kStandard), "Zg==");
  EXPECT_EQ(encodeBase64("fo", Base64Alphabet::kStandard), "Zm8=");
  EXPECT_EQ(encodeBase64("foo", Base64Alphabet::kStandard), "Zm9v");
  EXPECT_EQ(encodeBase64("foobar", Base64Alphabet::kStandard), "Zm9vYmFy");
  EXPECT_EQ(decodeBase64("Zm9vYg==", Base64Alphabet::kStandard), "foob");
  EXPECT_EQ(decodeBase64("Zm9vYmE=", Base64Alphabet::kStandard), "fooba");
}

TEST(Base64, UrlAlphabetHasNoPaddingAndUrlSafeCharacters) {
  const std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(encodeBase64(bytes, Base64Alphabet::kStandard), "+//+");
  EXPECT_EQ(encodeBase64(bytes, Base64Alphabet::kUrl), "-__-");
  EXPECT_EQ(encodeBase64("f", Base64Alphabet::kUrl), "Zg");
  EXPECT_EQ(decodeBase64("-__-", Base64Alphabet::kUrl), bytes);
  EXPECT_EQ(decodeBase64("Zg", Base64Alphabet::kUrl), "f");
}

TEST(Base64, RoundTripsEveryByteValueAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    const std::string part = all.substr(0, len);
    for (auto alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrl}) {
      EXPECT_EQ(decodeBase64(encodeBase64(part, alphabet), alphabet), part) << len;
    }
  }
}

TEST(Base64, RejectsNonCanonicalInput) {
  EXPECT_FALSE(decodeBase64("Zg", Base64Alphabet::kStandard));    // padding missing
  EXPECT_FALSE(decodeBase64("Zg==", Base64Alphabet::kUrl));       // padding not allowed
  EXPECT_FALSE(decodeBase64("Zh==", Base64Alphabet::kStandard));  // unused bits set
  EXPECT_FALSE(decodeBase64("Zh", Base64Alphabet::kUrl));
  EXPECT_FALSE(decodeBase64("Z", Base64Alphabet::kUrl));  // impossible length
  EXPECT_FALSE(decodeBase64("Zm9v\n", Base64Alphabet::kStandard));
  EXPECT_FALSE(decodeBase64("+//+", Base64Alphabet::kUrl));
  EXPECT_FALSE(decodeBase64("-__-", Base64Alphabet::kStandard));
  EXPECT_FALSE(decodeBase64("Z=g=", Base64Alphabet::kStandard));
  EXPECT_FALSE(decodeBase64("====", Base64Alphabet::kStandard));
}

TEST(Hex, RoundTripsAndRejectsBadInput) {
  const std::string bytes("\x00\x7f\xab\xff", 4);
  EXPECT_EQ(encodeHex(bytes), "007fabff");
  EXPECT_EQ(decodeHex("007fabff"), bytes);
  EXPECT_EQ(decodeHex("007FABFF"), bytes);
  EXPECT_FALSE(decodeHex("abc"));
  EXPECT_FALSE(decodeHex("zz"));
  EXPECT_FALSE(decodeHex("0 "));
}

}  // namespace
}  // namespace chathost::host
