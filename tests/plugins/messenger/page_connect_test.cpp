#include "page_connect.h"

#include <gtest/gtest.h>

using namespace chathost::messenger;
using chathost::sdk::ErrorCode;

TEST(PageConnect, TheBodyNeedsATokenTheRestIsOptional) {
  auto min = parseConnectRequest(R"({"accessToken":"t"})");
  ASSERT_TRUE(min.isOk());
  EXPECT_EQ(min->accessToken, "t");
  EXPECT_TRUE(min->pageId.empty());
  auto full = parseConnectRequest(
      R"({"accessToken":"t","pageId":"100","webhookVerificationToken":"v","webhookSecret":"s"})");
  ASSERT_TRUE(full.isOk());
  EXPECT_EQ(full->pageId, "100");
  EXPECT_EQ(full->verifyToken, "v");
  EXPECT_EQ(full->webhookSecret, "s");
  const std::pair<const char*, const char*> bad[] = {
      {"x", "request body must be a JSON object"},
      {"{}", "accessToken is required"},
      {R"({"accessToken":""})", "accessToken must not be empty"},
      {R"({"accessToken":"t","webhookSecret":1})", "webhookSecret must be a string"},
      {R"({"accessToken":"t","pageId":"../me"})", "pageId is not a valid id"},
  };
  for (const auto& [body, message] : bad) {
    auto r = parseConnectRequest(body);
    ASSERT_FALSE(r.isOk()) << body;
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
    EXPECT_EQ(r.status().message(), message);
  }
}

TEST(PageConnect, OnlyANodeOfTypePageIsAPage) {
  const std::string acme = R"({"id":"100","name":"Acme","metadata":{"type":"page"}})";
  auto page = pageFromMe(acme, "");
  ASSERT_TRUE(page.isOk());
  EXPECT_EQ(page->id, "100");
  EXPECT_EQ(page->name, "Acme");
  EXPECT_TRUE(pageFromMe(acme, "100").isOk());
  for (const char* notAPage : {R"({"id":"7","name":"A person","metadata":{"type":"user"}})",
                               R"({"id":"7","name":"No metadata"})"}) {
    auto r = pageFromMe(notAPage, "");
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation) << notAPage;
    EXPECT_NE(r.status().message().find("not a Page access token"), std::string::npos);
  }
  auto other = pageFromMe(acme, "200");
  EXPECT_EQ(other.status().code(), ErrorCode::kValidation);
  EXPECT_EQ(other.status().message(), "accessToken belongs to Page 100, not to pageId 200");
  EXPECT_EQ(pageFromMe(R"({"name":"no id"})", "").status().code(), ErrorCode::kApiError);
  EXPECT_EQ(pageFromMe("not json", "").status().code(), ErrorCode::kApiError);
}

TEST(PageConnect, TheLinkOpensAMessengerConversation) {
  EXPECT_EQ(messengerLink("100200300"), "https://m.me/100200300");
}

TEST(PageConnect, TheAnswerStoresThePageAsTheAccount) {
  auto r = connectAnswer({"tok", "", "verify", ""}, {"100", "Acme \"Bikes\""});
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->connection.accountId, "100");
  EXPECT_EQ(r->connection.accountType, "BUSINESS");
  EXPECT_EQ(r->connection.secrets.at("verifyToken"), "verify");
  EXPECT_EQ(r->connection.secrets.count("webhookSecret"), 0u);
  EXPECT_NE(r->dataJson.find(R"("username":"Acme \"Bikes\"")"), std::string::npos);
  EXPECT_EQ(r->connection.settingsJson, R"({"name":"Acme \"Bikes\""})");
}
