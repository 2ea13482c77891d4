#include "auth/bearer.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(Bearer, AcceptsSchemeInAnyCaseAndSurroundingBlanks) {
  for (const char* header : {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER  abc.def.ghi",
                             "\tBearer abc.def.ghi ", "Bearer\tabc.def.ghi"}) {
    auto token = extractBearerToken(header);
    ASSERT_TRUE(token) << header << ": " << token.status().message();
    EXPECT_EQ(*token, "abc.def.ghi") << header;
  }
}

TEST(Bearer, MissingTokenIsUnauthorized) {
  for (const char* header : {"", "   ", "Bearer", "Bearer ", "bearer\t "}) {
    auto token = extractBearerToken(header);
    ASSERT_FALSE(token) << header;
    EXPECT_EQ(token.status().code(), sdk::ErrorCode::kUnauthorized);
    EXPECT_EQ(token.status().message(), "missing bearer token");
  }
}

TEST(Bearer, OtherSchemesAreRefused) {
  for (const char* header : {"Basic dXNlcjpwYXNz", "Bearerabc.def.ghi", "Token abc", "abc.def"}) {
    auto token = extractBearerToken(header);
    ASSERT_FALSE(token) << header;
    EXPECT_EQ(token.status().message(), "authorization scheme must be Bearer");
  }
}

TEST(Bearer, TokenWithBlanksOrControlCharactersIsMalformed) {
  for (const std::string& header : {std::string("Bearer abc def"), std::string("Bearer abc\x01"),
                                    std::string("Bearer a\tb"), std::string("Bearer \xc3\xa9")}) {
    auto token = extractBearerToken(header);
    ASSERT_FALSE(token) << header;
    EXPECT_EQ(token.status().message(), "malformed token");
  }
}

}  // namespace
}  // namespace chathost::host
