#include "common/env_substitution.h"

#include "test_env.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace chathost::host {
namespace {

using testing::fakeEnv;

TEST(EnvSubstitution, LeavesPlainTextAlone) {
  auto r = substituteEnv("plain $ text {x} $HOME", fakeEnv({}));
  EXPECT_EQ(r.value, "plain $ text {x} $HOME");
  EXPECT_FALSE(r.substituted);
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, ReplacesASetVariable) {
  auto r = substituteEnv("${TOKEN}", fakeEnv({{"TOKEN", "abc"}}));
  EXPECT_EQ(r.value, "abc");
  EXPECT_TRUE(r.substituted);
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, UnsetVariableIsAnErrorNamingItWithoutAValue) {
  auto r = substituteEnv("x${MISSING_VAR}y", fakeEnv({{"OTHER", "secret-value"}}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("MISSING_VAR is not set"), std::string::npos) << r.errors[0];
  EXPECT_EQ(r.errors[0].find("secret-value"), std::string::npos);
}

TEST(EnvSubstitution, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(substituteEnv("${A:-fallback}", fakeEnv({})).value, "fallback");
  EXPECT_EQ(substituteEnv("${A:-fallback}", fakeEnv({{"A", ""}})).value, "fallback");
  EXPECT_EQ(substituteEnv("${A:-fallback}", fakeEnv({{"A", "set"}})).value, "set");
  EXPECT_EQ(substituteEnv("${A:-http://h:1/p?q=a-b}", fakeEnv({})).value, "http://h:1/p?q=a-b");
}

TEST(EnvSubstitution, EmptyDefaultGivesEmptyString) {
  auto r = substituteEnv("${A:-}", fakeEnv({}));
  EXPECT_EQ(r.value, "");
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, SetButEmptyWithoutDefaultIsEmpty) {
  auto r = substituteEnv("[${A}]", fakeEnv({{"A", ""}}));
  EXPECT_EQ(r.value, "[]");
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, SeveralInOneString) {
  auto r =
      substituteEnv("${USER_}:${PASS:-pw}@${HOST}/db", fakeEnv({{"USER_", "u"}, {"HOST", "h"}}));
  EXPECT_EQ(r.value, "u:pw@h/db");
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, ReportsEveryUnsetVariable) {
  auto r = substituteEnv("${A}-${B}-${C:-c}", fakeEnv({}));
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("A is not set"), std::string::npos);
  EXPECT_NE(r.errors[1].find("B is not set"), std::string::npos);
}

TEST(EnvSubstitution, ValueIsNotSubstitutedAgain) {
  auto r = substituteEnv("${A}", fakeEnv({{"A", "${B}"}}));
  EXPECT_EQ(r.value, "${B}");
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, DoubleDollarEscapes) {
  auto r = substituteEnv("$${A} and $$ and ${B}", fakeEnv({{"B", "b"}}));
  EXPECT_EQ(r.value, "${A} and $$ and b");
  EXPECT_TRUE(r.errors.empty());
}

TEST(EnvSubstitution, UnterminatedIsAnError) {
  auto r = substituteEnv("abc ${NAME", fakeEnv({{"NAME", "x"}}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("unterminated"), std::string::npos);
}

TEST(EnvSubstitution, InvalidNamesAreErrors) {
  for (const char* text : {"${}", "${1A}", "${A B}", "${A-b}", "${:-x}"}) {
    auto r = substituteEnv(text, fakeEnv({}));
    ASSERT_EQ(r.errors.size(), 1u) << text;
    EXPECT_NE(r.errors[0].find("invalid environment variable name"), std::string::npos) << text;
  }
}

TEST(EnvSubstitution, ProcessEnvReadsTheRealEnvironment) {
  ::setenv("CHATHOST_CONFIG_TEST_VAR", "from-process", 1);
  ::unsetenv("CHATHOST_CONFIG_TEST_UNSET");
  EnvLookup env = processEnv();
  EXPECT_EQ(env("CHATHOST_CONFIG_TEST_VAR"), "from-process");
  EXPECT_EQ(env("CHATHOST_CONFIG_TEST_UNSET"), std::nullopt);
}

}  // namespace
}  // namespace chathost::host
