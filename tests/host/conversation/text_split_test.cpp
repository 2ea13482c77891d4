#include "conversation/text_split.h"

#include <gtest/gtest.h>

using chathost::host::isValidUtf8;
using chathost::host::splitText;

TEST(TextSplit, TextThatFitsIsOnePart) {
  EXPECT_EQ(splitText("hello", 1000), std::vector<std::string>{"hello"});
  EXPECT_TRUE(splitText("", 1000).empty());
  std::string exact(1000, 'a');
  EXPECT_EQ(splitText(exact, 1000), std::vector<std::string>{exact});
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

TEST(TextSplit, HonoursTheChannelsLimit) {
  auto parts = splitText("aaaa bbbb cccc dddd eeee", 16);
  EXPECT_EQ(parts, (std::vector<std::string>{"aaaa bbbb cccc", "dddd eeee"}));
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
  for (std::size_t limit : {1001u, 17u, 18u, 19u}) {
    std::string joined;
    for (const auto& p : splitText(emoji, limit)) {
      EXPECT_LE(p.size(), limit);
      EXPECT_TRUE(isValidUtf8(p));
      joined += p;
    }
    EXPECT_EQ(joined, emoji) << limit;
  }
}

TEST(TextSplit, WhitespaceOnlyTextGivesNoPart) {
  EXPECT_TRUE(splitText(std::string(40, ' '), 16).empty());
}

TEST(TextSplit, MalformedInputTerminates) {
  std::string junk(3000, '\x80');
  auto parts = splitText(junk, 1000);
  EXPECT_EQ(parts.size(), 3u);
}

TEST(TextSplit, Utf8Validation) {
  EXPECT_TRUE(isValidUtf8("plain \xe2\x9c\x93"));
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_FALSE(isValidUtf8("\xc3"));
  EXPECT_FALSE(isValidUtf8("\xff"));
  EXPECT_FALSE(isValidUtf8("a\xe2\x9c"));
  EXPECT_FALSE(isValidUtf8("\xc3\x28"));
}

TEST(TextSplit, Utf8CheckRefusesOverlongFormsSurrogatesAndCodePointsAboveTheRange) {
  EXPECT_TRUE(isValidUtf8("plain, é, 日本, 😀"));
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  for (const char* bad : {"\xC0\xAF", "\xC1\x9B", "\xE0\x80\xAF", "\xF0\x80\x80\xAF",  // overlong
                          "\xED\xA0\x80", "\xED\xBF\xBF",                              // surrogates
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",              // too high
                          "\x80", "\xE6\x97", "a\xC3"})                                // broken
    EXPECT_FALSE(isValidUtf8(bad)) << ::testing::PrintToString(std::string(bad));
}
