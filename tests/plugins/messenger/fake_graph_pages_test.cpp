// The fake Graph API's Facebook Pages, which the Messenger integration tests run against: a Page
// token's and a user token's /me, the Page's subscriptions and its Send API with Messenger's
// limits, debug_token of a Page token before and after it is revoked, each registered through
// the control API as the tests do.
#include "fake_graph.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace chathost::fakes;

namespace {
constexpr const char* kPageToken = "EAAB-page-token";
constexpr const char* kUserToken = "EAAB-user-token";
constexpr const char* kPage = "100200300";

using Json = Poco::JSON::Object::Ptr;

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

struct FakePagesTest : ::testing::Test {
  FakeGraph graph;

  FakePagesTest() {
    EXPECT_EQ(control("POST", "/_fake/accounts",
                      std::string(R"({"kind":"page","token":")") + kPageToken + R"(","pageId":")" +
                          kPage + R"(","name":"Acme Bikes"})")
                  .status,
              200);
    EXPECT_EQ(control("POST", "/_fake/accounts",
                      std::string(R"({"kind":"user","token":")") + kUserToken +
                          R"(","igId":"10158000000000001","name":"Ana Owner"})")
                  .status,
              200);
  }
  FakeResponse call(const std::string& method, const std::string& path,
                    std::map<std::string, std::string> query = {}, const std::string& body = "",
                    const std::string& token = kPageToken) {
    FakeRequest r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    if (!token.empty()) r.authorization = "Bearer " + token;
    r.body = body;
    return graph.handle(r);
  }
  FakeResponse control(const std::string& method, const std::string& path,
                       const std::string& body = "") {
    return call(method, path, {}, body, "");
  }
  static int graphCode(const FakeResponse& r) {
    auto e = parse(r.body)->getObject("error");
    return e ? e->getValue<int>("code") : 0;
  }
  FakeResponse sendText(const std::string& text, const std::string& extra = "") {
    return call("POST", std::string("/v21.0/") + kPage + "/messages", {},
                R"({"recipient":{"id":"6600"},"message":{"text":")" + text + "\"}" + extra + "}");
  }
};
}  // namespace

TEST_F(FakePagesTest, APageTokensMeIsThePageAUserTokensIsAUser) {
  auto page = call("GET", "/v21.0/me", {{"fields", "id,name"}, {"metadata", "1"}});
  ASSERT_EQ(page.status, 200) << page.body;
  auto p = parse(page.body);
  EXPECT_EQ(p->getValue<std::string>("id"), kPage);
  EXPECT_EQ(p->getValue<std::string>("name"), "Acme Bikes");
  EXPECT_EQ(p->getObject("metadata")->getValue<std::string>("type"), "page");
  EXPECT_FALSE(parse(call("GET", "/v21.0/me").body)->has("metadata"));

  auto user = call("GET", "/v21.0/me", {{"fields", "id,name"}, {"metadata", "1"}}, "", kUserToken);
  ASSERT_EQ(user.status, 200);
  EXPECT_EQ(parse(user.body)->getObject("metadata")->getValue<std::string>("type"), "user");
  // As on the real Graph API, a user has no Page fields.
  auto category = call("GET", "/v21.0/me", {{"fields", "id,category"}}, "", kUserToken);
  EXPECT_EQ(category.status, 400);
  EXPECT_EQ(graphCode(category), 100);
  EXPECT_NE(category.body.find("nonexisting field (category) on node type (User)"),
            std::string::npos);
}

TEST_F(FakePagesTest, APageIsSubscribedToTheFieldsOfItsLastPost) {
  const std::string edge = std::string("/v21.0/") + kPage + "/subscribed_apps";
  auto ok = call("POST", edge,
                 {{"subscribed_fields",
                   "messages,messaging_postbacks,message_reads,message_reactions,"
                   "messaging_referrals"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto subs = parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions");
  ASSERT_TRUE(subs->has(kPage));
  EXPECT_EQ(subs->getArray(kPage)->size(), 5u);
  auto listed = parse(call("GET", edge).body)->getArray("data");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("id"), "fake-app");
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("name"), "chathost test app");
  EXPECT_EQ(listed->getObject(0)->getArray("subscribed_fields")->size(), 5u);
  // A POST sets the app's whole list, as on Meta; a Page also takes the Instagram channel's
  // names (its default page_subscribed_fields), never an unknown one.
  ASSERT_EQ(call("POST", edge, {{"subscribed_fields", "messages,messaging_seen"}}).status, 200);
  EXPECT_EQ(parse(control("GET", "/_fake/subscriptions").body)
                ->getObject("subscriptions")
                ->getArray(kPage)
                ->size(),
            2u);
  EXPECT_EQ(graphCode(call("POST", edge, {{"subscribed_fields", "messages,feed"}})), 100);
  EXPECT_EQ(graphCode(call("POST", edge, {{"subscribed_fields", "messages"}}, "", kUserToken)),
            200);
  ASSERT_EQ(call("DELETE", edge).status, 200);
  EXPECT_EQ(parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions")->size(),
            0u);
}

TEST_F(FakePagesTest, APageLinkedToAnInstagramAccountHasOneSubscriptionForBothTokens) {
  ASSERT_EQ(
      control("POST", "/_fake/accounts",
              std::string(R"({"token":"EAAB-ig-token","igId":"17841400000000001","pageId":")") +
                  kPage + R"(","username":"acme"})")
          .status,
      200);
  const std::string edge = std::string("/v21.0/") + kPage + "/subscribed_apps";
  ASSERT_EQ(
      call("POST", edge, {{"subscribed_fields", "messages,messaging_seen"}}, "", "EAAB-ig-token")
          .status,
      200);
  // The Page's token sees what the Instagram account's token subscribed the Page to.
  auto listed = parse(call("GET", edge).body)->getArray("data");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getArray("subscribed_fields")->size(), 2u);
  auto subs = parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions");
  EXPECT_EQ(subs->getArray(kPage)->size(), 2u);
  EXPECT_EQ(subs->getArray("17841400000000001")->size(), 2u);  // it gets its Page's webhooks
  // Either token's DELETE ends the Page's one subscription.
  ASSERT_EQ(call("DELETE", edge).status, 200);
  EXPECT_EQ(parse(call("GET", edge, {}, "", "EAAB-ig-token").body)->getArray("data")->size(), 0u);
  EXPECT_EQ(parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions")->size(),
            0u);
}

TEST_F(FakePagesTest, ThePagesSendApiCountsCharactersAndKnowsMessengerTags) {
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "\xc3\xa9";  // 2000 characters, 4000 bytes
  EXPECT_EQ(sendText(longest).status, 200);
  EXPECT_EQ(graphCode(sendText(longest + "x")), 100);
  EXPECT_EQ(sendText("late", R"(,"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT")").status, 200);
  EXPECT_EQ(sendText("x", R"(,"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE")").status, 200);
  EXPECT_EQ(graphCode(sendText("x", R"(,"messaging_type":"MESSAGE_TAG","tag":"BOGUS")")), 100);
  auto sent = parse(control("GET", "/_fake/sent").body)->getArray("sent");
  ASSERT_EQ(sent->size(), 3u);
  EXPECT_EQ(sent->getObject(0)->getValue<std::string>("senderId"), kPage);
  EXPECT_EQ(sent->getObject(1)->getValue<std::string>("tag"), "HUMAN_AGENT");
  // A user token cannot send as the Page.
  auto asUser = call("POST", std::string("/v21.0/") + kPage + "/messages", {},
                     R"({"recipient":{"id":"6600"},"message":{"text":"x"}})", kUserToken);
  EXPECT_EQ(graphCode(asUser), 200);
}

TEST_F(FakePagesTest, CustomersProfilesHaveNamesButNoUsernames) {
  auto ok = call("GET", "/v21.0/6600", {{"fields", "name,profile_pic"}});
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(parse(ok.body)->getValue<std::string>("name"), "User 6600");
  EXPECT_EQ(graphCode(call("GET", "/v21.0/6600", {{"fields", "name,username"}})), 100);
}

TEST_F(FakePagesTest, APageNeedsItsIdAndRevokedTokensAreRefused) {
  EXPECT_EQ(control("POST", "/_fake/accounts", R"({"kind":"page","token":"t"})").status, 400);
  ASSERT_EQ(
      control("POST", "/_fake/revoke", std::string(R"({"token":")") + kPageToken + "\"}").status,
      200);
  EXPECT_EQ(graphCode(call("GET", "/v21.0/me")), 190);
}

TEST_F(FakePagesTest, DebugTokenDescribesAPageTokenUntilItIsRevoked) {
  ASSERT_EQ(control("POST", "/_fake/oauth", R"({"appId":"42","appSecret":"shh"})").status, 200);
  auto debug = [&](const std::string& input) {
    auto r = call("GET", "/v21.0/debug_token", {{"input_token", input}, {"access_token", "42|shh"}},
                  "", "");
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body)->getObject("data");
  };
  auto page = debug(kPageToken);
  EXPECT_EQ(page->getValue<std::string>("type"), "PAGE");
  EXPECT_TRUE(page->getValue<bool>("is_valid"));
  EXPECT_EQ(page->getValue<int>("expires_at"), 0);  // a Page token does not expire
  auto scopes = page->getArray("scopes");
  ASSERT_TRUE(scopes);
  ASSERT_EQ(scopes->size(), 2u);
  EXPECT_EQ(scopes->getElement<std::string>(0), "pages_messaging");
  EXPECT_EQ(scopes->getElement<std::string>(1), "pages_manage_metadata");
  EXPECT_EQ(debug(kUserToken)->getValue<std::string>("type"), "USER");

  ASSERT_EQ(
      control("POST", "/_fake/revoke", std::string(R"({"token":")") + kPageToken + "\"}").status,
      200);
  auto revoked = debug(kPageToken);
  EXPECT_FALSE(revoked->getValue<bool>("is_valid"));
  EXPECT_EQ(revoked->getObject("error")->getValue<int>("code"), 190);
  EXPECT_EQ(revoked->getObject("error")->getValue<int>("subcode"), 460);
  // Only the app itself may ask.
  auto otherApp = call("GET", "/v21.0/debug_token",
                       {{"input_token", kPageToken}, {"access_token", "42|wrong"}}, "", "");
  EXPECT_EQ(graphCode(otherApp), 190);
}
