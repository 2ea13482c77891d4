#include "app/command_line.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

using Mode = CommandLine::Mode;

TEST(CommandLine, NoArgumentsServesWithTheDefaultConfig) {
  auto cl = parseCommandLine({});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->mode, Mode::kServe);
  EXPECT_EQ(cl->configFile, "");
}

TEST(CommandLine, ConfigInBothSpellings) {
  EXPECT_EQ(parseCommandLine({"--config", "a.yaml"})->configFile, "a.yaml");
  EXPECT_EQ(parseCommandLine({"--config=b.yaml"})->configFile, "b.yaml");
}

TEST(CommandLine, CheckConfigNeedsAFile) {
  auto ok = parseCommandLine({"--check-config", "c.yaml"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->mode, Mode::kCheckConfig);
  EXPECT_EQ(ok->configFile, "c.yaml");
  auto missing = parseCommandLine({"--check-config"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().message().find("--check-config"), std::string::npos);
}

TEST(CommandLine, PrintConfigSchemaIsAModeOfItsOwn) {
  auto cl = parseCommandLine({"--print-config-schema"});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->mode, Mode::kPrintConfigSchema);
  EXPECT_FALSE(parseCommandLine({"--check-config", "c.yaml", "--print-config-schema"}));
  EXPECT_FALSE(parseCommandLine({"token", "--subaccount", "s", "--print-config-schema"}));
  EXPECT_NE(usageText().find("--print-config-schema"), std::string::npos);
}

TEST(CommandLine, TokenWithSeveralSubaccountsAndTtl) {
  auto cl = parseCommandLine(
      {"token", "--config", "x.yaml", "--subaccount", "s1", "--subaccount", "s2", "--ttl", "60"});
  ASSERT_TRUE(cl);
  EXPECT_EQ(cl->mode, Mode::kToken);
  EXPECT_EQ(cl->subaccounts, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(cl->ttlSeconds, 60);
  EXPECT_EQ(cl->configFile, "x.yaml");
}

TEST(CommandLine, TokenRejectsMissingSubaccountAndBadTtl) {
  EXPECT_FALSE(parseCommandLine({"token"}));
  for (const char* ttl : {"0", "-5", "1h", "", "99999999999"}) {
    auto cl = parseCommandLine({"token", "--subaccount", "s", "--ttl", ttl});
    ASSERT_FALSE(cl) << ttl;
    EXPECT_NE(cl.status().message().find("--ttl"), std::string::npos);
  }
}

TEST(CommandLine, TokenRefusesIdsNoPathCanName) {
  for (const char* id : {"acme/x", "", "caf\xc3\xa9", "\xff\xff", "a b"}) {
    auto cl = parseCommandLine({"token", "--subaccount", id});
    ASSERT_FALSE(cl.isOk()) << id;
    EXPECT_NE(cl.status().message().find("--subaccount"), std::string::npos);
  }
  EXPECT_TRUE(parseCommandLine({"token", "--subaccount", "*"}).isOk());
  EXPECT_FALSE(parseCommandLine({"token", "--subaccount", "a", "--sub", "\xff"}).isOk());
  EXPECT_TRUE(parseCommandLine({"token", "--subaccount", "a", "--sub", "ops team"}).isOk());
}

TEST(CommandLine, UnknownArgumentIsNamed) {
  auto cl = parseCommandLine({"--frobnicate"});
  ASSERT_FALSE(cl);
  EXPECT_NE(cl.status().message().find("--frobnicate"), std::string::npos);
  EXPECT_FALSE(parseCommandLine({"--subaccount", "s"}));  // only valid after "token"
}

TEST(CommandLine, HelpAndVersionWin) {
  EXPECT_EQ(parseCommandLine({"--config", "a", "--help"})->mode, Mode::kHelp);
  EXPECT_EQ(parseCommandLine({"--version"})->mode, Mode::kVersion);
}

}  // namespace
}  // namespace chathost::host
