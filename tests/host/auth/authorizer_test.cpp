#include "auth/authorizer.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

Claims grant(std::vector<std::string> subaccounts) {
  Claims claims;
  claims.sub = "ops";
  claims.subaccounts = std::move(subaccounts);
  return claims;
}

TEST(Authorizer, ListedSubaccountIsAllowed) {
  EXPECT_TRUE(authorize(grant({"acme", "beta"}), "beta"));
  EXPECT_TRUE(grant({"acme"}).allowsSubaccount("acme"));
}

TEST(Authorizer, StarGrantsEverySubaccount) {
  const Claims all = grant({"*"});
  for (const char* id : {"acme", "beta", "x_1-2"}) EXPECT_TRUE(authorize(all, id)) << id;
}

TEST(Authorizer, OtherSubaccountIsForbidden) {
  sdk::Status status = authorize(grant({"acme"}), "beta");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), sdk::ErrorCode::kForbidden);
  EXPECT_EQ(status.message(), "token does not grant access to subaccount beta");
  EXPECT_FALSE(authorize(grant({"acme"}), "acm"));
  EXPECT_FALSE(authorize(grant({"acme"}), "ACME"));
  EXPECT_FALSE(authorize(grant({}), "acme"));
}

TEST(Authorizer, EmptyIdIsNeverAllowed) {
  EXPECT_FALSE(authorize(grant({"*", ""}), ""));
}

TEST(Authorizer, LongIdIsShortenedInTheMessage) {
  sdk::Status status = authorize(grant({"acme"}), std::string(500, 'x'));
  ASSERT_FALSE(status);
  EXPECT_LT(status.message().size(), 120u);
}

}  // namespace
}  // namespace chathost::host
