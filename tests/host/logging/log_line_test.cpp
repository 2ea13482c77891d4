#include "logging/log_line.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

constexpr std::int64_t kMs = 1764098499123;  // 2025-11-25T19:21:39.123Z

TEST(LogLine, TextLineQuotesValuesThatNeedIt) {
  EXPECT_EQ(
      formatTextLine(kMs, sdk::LogLevel::kInfo, "listening", {{"port", "8080"}, {"path", "a b"}}),
      "2025-11-25T19:21:39.123Z INFO  listening port=8080 path=\"a b\"\n");
}

TEST(LogLine, JsonLineEscapes) {
  EXPECT_EQ(formatJsonLine(kMs, sdk::LogLevel::kError, "bad \"x\"", {{"code", "E1"}}),
            "{\"ts\":\"2025-11-25T19:21:39.123Z\",\"level\":\"error\",\"msg\":\"bad "
            "\\\"x\\\"\",\"code\":\"E1\"}\n");
}

TEST(LogLine, SecretFieldsAreRedactedInBothFormats) {
  const sdk::LogFields fields = {{"accessToken", "EAAB-secret"},
                                 {"jwt_secret", "s3"},
                                 {"Authorization", "Bearer x"},
                                 {"api_key", "sk-1"},
                                 {"agentId", "a1"}};
  const std::string text = formatTextLine(kMs, sdk::LogLevel::kInfo, "m", fields);
  const std::string json = formatJsonLine(kMs, sdk::LogLevel::kInfo, "m", fields);
  for (const char* secret : {"EAAB-secret", "s3", "Bearer x", "sk-1"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
    EXPECT_EQ(json.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(text.find("agentId=a1"), std::string::npos);
}

TEST(LogLine, SecretNameDetection) {
  EXPECT_TRUE(isSecretFieldName("webhookSecret"));
  EXPECT_TRUE(isSecretFieldName("key"));
  EXPECT_TRUE(isSecretFieldName("encryption_key"));
  EXPECT_FALSE(isSecretFieldName("key_file"));
  EXPECT_FALSE(isSecretFieldName("operationId"));
}

}  // namespace
}  // namespace chathost::host
