#include "text_split.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;

TEST(TextSplit, ShortTextIsOnePart) {
  EXPECT_EQ(splitText("hello"), std::vector<std::string>{"hello"});
  EXPECT_TRUE(splitText("").empty());
  std::string exact(1000, 'a');
  EXPECT_EQ(splitText(exact).size(), 1u);
}

TEST(TextSplit, SplitsOnWordBoundaries) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "word" + std::to_string(i) + " ";
  auto parts = splitText(text, 1000);
  ASSERT_GT(parts.size(), 1u);
  std::string joined;
  for (const auto& p : parts) {
    EXPECT_LE(p.size(), 1000u);
    EXPECT_NE(p.front(), ' ');
    EXPECT_NE(p.back(), ' ');
    joined += (joined.empty() ? "" : " ") + p;
  }
  EXPECT_EQ(joined + " ", text);
}

TEST(TextSplit, NeverCutsAMultiByteCharacter) {
  std::string text;
  for (int i = 0; i < 700; ++i) text += "\xc3\xa9";  // é, no spaces at all: 1400 bytes
  auto parts = splitText(text, 1000);
  ASSERT_EQ(parts.size(), 2u);
  for (const auto& p : parts) {
    EXPECT_LE(p.size(), 1000u);
    EXPECT_TRUE(isValidUtf8(p));
  }
  EXPECT_EQ(parts[0] + parts[1], text);

  std::string emoji;
  for (int i = 0; i < 300; ++i) emoji += "\xf0\x9f\x98\x80";  // 4-byte characters
  for (const auto& p : splitText(emoji, 1001)) EXPECT_TRUE(isValidUtf8(p));
}

TEST(TextSplit, MalformedInputTerminates) {
  std::string junk(3000, '\x80');
  auto parts = splitText(junk, 1000);
  EXPECT_EQ(parts.size(), 3u);
}

TEST(TextSplit, Utf8Validation) {
  EXPECT_TRUE(isValidUtf8("plain \xe2\x9c\x93"));
  EXPECT_FALSE(isValidUtf8("\xc3"));
  EXPECT_FALSE(isValidUtf8("\xff"));
}
