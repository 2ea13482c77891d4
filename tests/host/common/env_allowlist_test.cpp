#include "common/env_allowlist.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(EnvAllowlistEntry, NamesWithAnOptionalTrailingStar) {
  for (const char* ok : {"A", "_X", "CHATHOST_AGENT_*", "a1_b", "*", "X*"})
    EXPECT_TRUE(isEnvAllowlistEntry(ok)) << ok;
  for (const char* bad : {"", "**", "*A", "A*B", "A**", "1A", "A-B", "A B", "${A}"})
    EXPECT_FALSE(isEnvAllowlistEntry(bad)) << bad;
}

TEST(EnvNameAllowed, ExactNamesMatchOnlyThemselves) {
  std::vector<std::string> list = {"OPENAI_API_KEY"};
  EXPECT_TRUE(isEnvNameAllowed(list, "OPENAI_API_KEY"));
  EXPECT_FALSE(isEnvNameAllowed(list, "OPENAI_API_KEY2"));
  EXPECT_FALSE(isEnvNameAllowed(list, "OPENAI_API"));
  EXPECT_FALSE(isEnvNameAllowed(list, ""));
}

TEST(EnvNameAllowed, TrailingStarMatchesThePrefix) {
  std::vector<std::string> list = {"CHATHOST_AGENT_*"};
  EXPECT_TRUE(isEnvNameAllowed(list, "CHATHOST_AGENT_X"));
  EXPECT_TRUE(isEnvNameAllowed(list, "CHATHOST_AGENT_"));
  EXPECT_FALSE(isEnvNameAllowed(list, "CHATHOST_JWT_SECRET"));
  EXPECT_FALSE(isEnvNameAllowed(list, "CHATHOST_AGENT"));
  EXPECT_FALSE(isEnvNameAllowed(list, "X_CHATHOST_AGENT_Y"));
}

TEST(EnvNameAllowed, IsCaseSensitive) {
  EXPECT_FALSE(isEnvNameAllowed({"CHATHOST_AGENT_*"}, "chathost_agent_x"));
  EXPECT_FALSE(isEnvNameAllowed({"Key"}, "KEY"));
}

TEST(EnvNameAllowed, StarAloneMatchesEverything) {
  EXPECT_TRUE(isEnvNameAllowed({"*"}, "CHATHOST_JWT_SECRET"));
}

TEST(EnvNameAllowed, EmptyListAndInvalidEntriesAllowNothing) {
  EXPECT_FALSE(isEnvNameAllowed({}, "CHATHOST_AGENT_X"));
  EXPECT_FALSE(isEnvNameAllowed({"", "A*B", "**"}, "A_B"));
}

}  // namespace
}  // namespace chathost::host
