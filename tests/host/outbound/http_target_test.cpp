#include "outbound/http_target.h"

#include <gtest/gtest.h>

namespace chathost::host {
namespace {

TEST(HttpTarget, ParsesHttpAndHttpsUrls) {
  auto a = parseHttpTarget("https://graph.example.com/v21.0/me/messages?access_token=t#frag");
  ASSERT_TRUE(a.isOk()) << a.status().message();
  EXPECT_EQ(a->scheme, "https");
  EXPECT_EQ(a->host, "graph.example.com");
  EXPECT_EQ(a->port, 443);
  EXPECT_EQ(a->pathAndQuery, "/v21.0/me/messages?access_token=t");
  EXPECT_EQ(a->origin(), "https://graph.example.com:443");
  EXPECT_EQ(a->describe(), "https://graph.example.com:443/v21.0/me/messages");

  auto b = parseHttpTarget("http://127.0.0.1:8080");
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(b->port, 8080);
  EXPECT_EQ(b->pathAndQuery, "/");
  EXPECT_EQ(b->describe(), "http://127.0.0.1:8080/");
}

TEST(HttpTarget, RejectsWhatItCannotSend) {
  for (const char* url : {"", "/relative/path", "ftp://example.com/x", "http://", "mailto:a@b.c",
                          "http://host:99999/", "http//missing-colon"}) {
    auto r = parseHttpTarget(url);
    EXPECT_EQ(r.status().code(), sdk::ErrorCode::kValidation) << url;
  }
}

TEST(HttpTarget, ChecksHeadersForInjection) {
  EXPECT_TRUE(checkRequestHeaders({{"Authorization", "Bearer x"}, {"X-A", ""}}).isOk());
  auto crlf = checkRequestHeaders({{"X-Token", "secret\r\nX-Evil: 1"}});
  EXPECT_EQ(crlf.code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(crlf.message().find("secret"), std::string::npos);
  EXPECT_EQ(checkRequestHeaders({{"Bad Name", "v"}}).code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(checkRequestHeaders({{"", "v"}}).code(), sdk::ErrorCode::kValidation);
  EXPECT_EQ(checkRequestHeaders({{"X", std::string("a\0b", 3)}}).code(),
            sdk::ErrorCode::kValidation);
}

TEST(HttpTarget, ManagedHeadersAreRecognisedInAnyCase) {
  EXPECT_TRUE(isManagedHeader("content-length"));
  EXPECT_TRUE(isManagedHeader("Transfer-Encoding"));
  EXPECT_TRUE(isManagedHeader("CONNECTION"));
  EXPECT_TRUE(isManagedHeader("host"));
  EXPECT_FALSE(isManagedHeader("Content-Type"));
  EXPECT_FALSE(isManagedHeader("Authorization"));
}

TEST(HttpTarget, OnlyGetIsRetriedAndOnlyAfterAnEarlyCloseOfAReusedConnection) {
  EXPECT_TRUE(mayRetryOnFreshConnection(sdk::Method::kGet, true, true));
  EXPECT_FALSE(mayRetryOnFreshConnection(sdk::Method::kGet, false, true));
  EXPECT_FALSE(mayRetryOnFreshConnection(sdk::Method::kGet, true, false));
  for (auto m :
       {sdk::Method::kPost, sdk::Method::kPut, sdk::Method::kPatch, sdk::Method::kDelete}) {
    EXPECT_FALSE(mayRetryOnFreshConnection(m, true, true)) << methodName(m);
  }
}

}  // namespace
}  // namespace chathost::host
