#include "secrets/key_material.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::string expectedKey() {
  std::string key;
  for (int i = 0; i < 32; ++i) key += static_cast<char>(i);
  return key;
}

TEST(KeyMaterial, AcceptsRawBytesEvenEndingInNewline) {
  const std::string raw = std::string(31, 'k') + "\n";
  auto key = parseKeyFileContent(raw);
  ASSERT_TRUE(key) << key.status().message();
  EXPECT_EQ(*key, raw);
}

TEST(KeyMaterial, AcceptsHexWithOptionalLineBreak) {
  for (const std::string& content : {kHexKey, kHexKey + "\n", kHexKey + "\r\n"}) {
    auto key = parseKeyFileContent(content);
    ASSERT_TRUE(key) << key.status().message();
    EXPECT_EQ(*key, expectedKey());
  }
}

TEST(KeyMaterial, RejectsOtherSizesWithoutEchoingTheKey) {
  for (const std::string& content : {std::string(), std::string(16, 'a'), std::string(33, 'a'),
                                     kHexKey + "\n\n", kHexKey + "00"}) {
    auto key = parseKeyFileContent(content);
    ASSERT_FALSE(key) << content.size();
    EXPECT_EQ(key.status().code(), sdk::ErrorCode::kValidation);
    EXPECT_NE(key.status().message().find("32 raw bytes or 64 hex"), std::string::npos);
  }
}

TEST(KeyMaterial, RejectsSixtyFourNonHexCharacters) {
  auto key = parseKeyFileContent(std::string(63, 'a') + "g");
  ASSERT_FALSE(key);
  EXPECT_NE(key.status().message().find("not hexadecimal"), std::string::npos);
  EXPECT_EQ(key.status().message().find("aaaa"), std::string::npos);
}

}  // namespace
}  // namespace chathost::host
