// The fake Graph API that integration and browser tests run against: subscriptions, Instagram
// Login, debug_token, revocation and the Send API's records.
#include "fake_graph.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using namespace chathost::fakes;

namespace {
constexpr const char* kToken = "EAAfake-token";
constexpr const char* kIg = "17841400000000001";
constexpr const char* kPageId = "100200300";
constexpr const char* kRedirect = "http://host.test/cb";
constexpr std::int64_t kStart = 1'750'000'000'000;

using Json = Poco::JSON::Object::Ptr;

Json parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Json>();
}

struct FakeGraphTest : ::testing::Test {
  std::int64_t now = kStart;
  FakeGraph graph{[this] { return now; }};

  FakeGraphTest() { graph.addAccount({kToken, kIg, kPageId, "shop", "The Shop", "BUSINESS"}); }

  FakeResponse call(const std::string& method, const std::string& path,
                    std::map<std::string, std::string> query = {}, const std::string& body = "",
                    const std::string& token = kToken) {
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
  static int graphSubcode(const FakeResponse& r) {
    return parse(r.body)->getObject("error")->optValue<int>("error_subcode", 0);
  }
  std::string location(const FakeResponse& r) const {
    for (const auto& [k, v] : r.headers)
      if (k == "Location") return v;
    return {};
  }
  Json sent() { return parse(control("GET", "/_fake/sent").body); }

  // ---- Instagram Login helpers
  void configureLogin(const std::string& extra = "") {
    ASSERT_EQ(control("POST", "/_fake/oauth",
                      std::string(R"({"appId":"42","appSecret":"sek","grantToken":")") + kToken +
                          "\"" + extra + "}")
                  .status,
              200);
  }
  std::string authorizeCode(const std::string& redirect = kRedirect) {
    auto r = call("GET", "/oauth/authorize",
                  {{"client_id", "42"},
                   {"redirect_uri", redirect},
                   {"response_type", "code"},
                   {"scope", "instagram_business_basic,instagram_business_manage_messages"},
                   {"state", "s 1"}},
                  "", "");
    EXPECT_EQ(r.status, 302);
    std::string loc = location(r);
    auto start = loc.find("code=") + 5;
    return loc.substr(start, loc.find('&', start) - start);
  }
  FakeResponse exchangeCode(const std::string& code, const std::string& redirect = kRedirect,
                            const std::string& secret = "sek") {
    FakeRequest r;
    r.method = "POST";
    r.path = "/oauth/access_token";
    r.contentType = "application/x-www-form-urlencoded";
    r.body = "client_id=42&client_secret=" + secret +
             "&grant_type=authorization_code&redirect_uri=" +
             (redirect == kRedirect ? std::string("http%3A%2F%2Fhost.test%2Fcb") : redirect) +
             "&code=" + code;
    return graph.handle(r);
  }
  std::string shortToken() {
    auto r = exchangeCode(authorizeCode());
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body)->getValue<std::string>("access_token");
  }
  FakeResponse exchangeForLong(const std::string& shortTok, const std::string& secret = "sek") {
    return call("GET", "/access_token",
                {{"grant_type", "ig_exchange_token"},
                 {"client_secret", secret},
                 {"access_token", shortTok}},
                "", "");
  }
  std::string longToken() {
    auto r = exchangeForLong(shortToken());
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body)->getValue<std::string>("access_token");
  }
  FakeResponse debug(const std::string& input, const std::string& app = "42|sek") {
    return call("GET", "/v21.0/debug_token", {{"input_token", input}, {"access_token", app}}, "",
                "");
  }
};
}  // namespace

// ------------------------------------------------------------------------------ subscriptions
TEST_F(FakeGraphTest, SubscribingRecordsTheFieldsPerNode) {
  const std::string pageEdge = std::string("/v21.0/") + kPageId + "/subscribed_apps";
  auto r = call("POST", pageEdge,
                {{"subscribed_fields", "messages,messaging_postbacks,message_reactions"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"success":true})");
  // The Page is subscribed; the account linked to it is listed too (it gets the Page's webhooks).
  auto subs = parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions");
  for (const char* node : {kPageId, kIg}) {
    auto fields = subs->getArray(node);
    ASSERT_TRUE(fields) << node;
    ASSERT_EQ(fields->size(), 3u);
    EXPECT_EQ(fields->getElement<std::string>(2), "message_reactions");
  }

  auto listed = parse(call("GET", pageEdge).body)->getArray("data");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("id"), "fake-app");
  EXPECT_EQ(listed->getObject(0)->getArray("subscribed_fields")->size(), 3u);
  // The account's own node (Instagram Login's `me`) is another subscription.
  EXPECT_EQ(parse(call("GET", "/v21.0/me/subscribed_apps").body)->getArray("data")->size(), 0u);

  ASSERT_EQ(call("DELETE", pageEdge).status, 200);
  EXPECT_EQ(parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions")->size(),
            0u);
  EXPECT_EQ(parse(call("GET", pageEdge).body)->getArray("data")->size(), 0u);
}

TEST_F(FakeGraphTest, SubscribedFieldsMayComeInAFormBody) {
  auto r =
      call("POST", "/v21.0/me/subscribed_apps", {}, "subscribed_fields=messages%2Cmessaging_seen");
  ASSERT_EQ(r.status, 200) << r.body;
  auto fields =
      parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions")->getArray(kIg);
  EXPECT_EQ(fields->size(), 2u);
}

TEST_F(FakeGraphTest, SubscribingRefusesMissingOrUnknownFieldsOtherAccountsAndBadTokens) {
  auto missing = call("POST", "/v21.0/me/subscribed_apps");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(graphCode(missing), 100);
  auto unknown =
      call("POST", "/v21.0/me/subscribed_apps", {{"subscribed_fields", "messages,feed"}});
  EXPECT_EQ(graphCode(unknown), 100);
  EXPECT_NE(unknown.body.find("feed"), std::string::npos);
  auto other = call("POST", "/v21.0/999/subscribed_apps", {{"subscribed_fields", "messages"}});
  EXPECT_EQ(graphCode(other), 100);
  EXPECT_EQ(graphSubcode(other), 33);
  auto badToken =
      call("POST", "/v21.0/me/subscribed_apps", {{"subscribed_fields", "messages"}}, "", "nope");
  EXPECT_EQ(graphCode(badToken), 190);
  EXPECT_EQ(parse(control("GET", "/_fake/subscriptions").body)->getObject("subscriptions")->size(),
            0u);
}

TEST_F(FakeGraphTest, FaultsApplyToSubscriptionsAndCallsAreCounted) {
  ASSERT_EQ(control("POST", "/_fake/faults", R"({"match":"subscribed_apps","kind":"auth"})").status,
            200);
  auto faulted = call("POST", "/v21.0/me/subscribed_apps", {{"subscribed_fields", "messages"}});
  EXPECT_EQ(graphCode(faulted), 190);
  EXPECT_EQ(call("POST", "/v21.0/me/subscribed_apps", {{"subscribed_fields", "messages"}}).status,
            200);
  auto counts = parse(control("GET", "/_fake/requests").body);
  EXPECT_EQ(counts->getValue<int>("POST /v21.0/me/subscribed_apps"), 2);
}

// ---------------------------------------------------------------------------- Instagram Login
TEST_F(FakeGraphTest, TheConsentPageRedirectsWithASingleUseCodeAndTheState) {
  configureLogin();
  auto r = call("GET", "/oauth/authorize",
                {{"client_id", "42"},
                 {"redirect_uri", "http://host.test/cb?agent=a1"},
                 {"response_type", "code"},
                 {"scope", "instagram_business_basic,instagram_business_manage_messages"},
                 {"state", "x/y z"}},
                "", "");
  ASSERT_EQ(r.status, 302);
  std::string loc = location(r);
  EXPECT_EQ(loc.rfind("http://host.test/cb?agent=a1&code=AQfakeCode", 0), 0u) << loc;
  EXPECT_NE(loc.find("&state=x%2Fy%20z#_"), std::string::npos) << loc;
}

TEST_F(FakeGraphTest, TheConsentPageCanDenyOrRefuseABadRequest) {
  configureLogin(R"(,"deny":true)");
  auto denied = call("GET", "/oauth/authorize",
                     {{"client_id", "42"},
                      {"redirect_uri", kRedirect},
                      {"response_type", "code"},
                      {"scope", "instagram_business_basic"},
                      {"state", "st"}},
                     "", "");
  ASSERT_EQ(denied.status, 302);
  EXPECT_EQ(location(denied),
            "http://host.test/cb?error=access_denied&error_reason=user_denied&error_description="
            "The+user+denied+your+request.&state=st");
  auto wrongApp = call("GET", "/oauth/authorize",
                       {{"client_id", "41"},
                        {"redirect_uri", kRedirect},
                        {"response_type", "code"},
                        {"scope", "instagram_business_basic"}},
                       "", "");
  EXPECT_EQ(wrongApp.status, 400);
  EXPECT_EQ(wrongApp.contentType.rfind("text/html", 0), 0u);
  EXPECT_TRUE(location(wrongApp).empty());
}

TEST_F(FakeGraphTest, TheLoginControlRouteChecksItsInput) {
  EXPECT_EQ(control("POST", "/_fake/oauth", R"({"appId":"42"})").status, 400);
  EXPECT_EQ(
      control("POST", "/_fake/oauth", R"({"appId":"42","appSecret":"s","grantToken":"x"})").status,
      400);
  EXPECT_EQ(
      control("POST", "/_fake/oauth", R"({"appId":"42","appSecret":"s","deny":"maybe"})").status,
      400);
}

TEST_F(FakeGraphTest, ACodeBuysAShortTokenOnceForItsRedirect) {
  configureLogin();
  std::string code = authorizeCode();
  auto r = exchangeCode(code);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse(r.body);
  EXPECT_EQ(body->getValue<std::string>("access_token").rfind("IGQfakeShort", 0), 0u);
  EXPECT_EQ(body->getValue<std::string>("user_id"), kIg);
  EXPECT_EQ(body->getValue<std::string>("permissions"),
            "instagram_business_basic,instagram_business_manage_messages");
  auto again = exchangeCode(code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(
      again.body,
      R"({"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"})");
  EXPECT_EQ(exchangeCode(authorizeCode(), "http%3A%2F%2Fother.test%2Fcb").status, 400);
  EXPECT_EQ(exchangeCode(authorizeCode(), kRedirect, "wrong").status, 400);
  EXPECT_EQ(exchangeCode(authorizeCode() + "#_").status, 400);  // the fragment is not the code
}

TEST_F(FakeGraphTest, TheShortTokenBecomesALongOneAndBothActAsTheAccount) {
  configureLogin(R"(,"expiresIn":1000)");
  std::string shortTok = shortToken();
  auto r = exchangeForLong(shortTok);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse(r.body);
  std::string longTok = body->getValue<std::string>("access_token");
  EXPECT_EQ(longTok.rfind("IGQfakeLong", 0), 0u);
  EXPECT_EQ(body->getValue<std::string>("token_type"), "bearer");
  EXPECT_EQ(body->getValue<int>("expires_in"), 1000);
  for (const auto& token : {shortTok, longTok}) {
    auto me = call("GET", "/v21.0/me", {}, "", token);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(parse(me.body)->getValue<std::string>("user_id"), kIg);
  }
  EXPECT_EQ(exchangeForLong(shortTok, "wrong").status, 400);
  EXPECT_EQ(graphCode(exchangeForLong(longTok)), 100);  // already long-lived
  EXPECT_EQ(graphCode(exchangeForLong("unknown")), 190);
}

TEST_F(FakeGraphTest, IssuedTokensExpireAndRefreshingGivesAFreshOneWhileTheOldLives) {
  configureLogin(R"(,"expiresIn":100)");
  std::string longTok = longToken();
  now += 50 * 1000;
  auto r = call("GET", "/refresh_access_token",
                {{"grant_type", "ig_refresh_token"}, {"access_token", longTok}}, "", "");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string fresh = parse(r.body)->getValue<std::string>("access_token");
  EXPECT_NE(fresh, longTok);
  EXPECT_EQ(parse(r.body)->getValue<int>("expires_in"), 100);
  EXPECT_EQ(call("GET", "/v21.0/me", {}, "", longTok).status, 200);  // still works
  now += 60 * 1000;  // past the old one's expiry, within the fresh one's
  auto expired = call("GET", "/v21.0/me", {}, "", longTok);
  EXPECT_EQ(graphCode(expired), 190);
  EXPECT_EQ(graphSubcode(expired), 463);
  EXPECT_EQ(call("GET", "/v21.0/me", {}, "", fresh).status, 200);
  auto tooLate = call("GET", "/refresh_access_token",
                      {{"grant_type", "ig_refresh_token"}, {"access_token", longTok}}, "", "");
  EXPECT_EQ(graphCode(tooLate), 190);
}

TEST_F(FakeGraphTest, ARevokedTokenFailsEverywhere) {
  configureLogin();
  std::string longTok = longToken();
  ASSERT_EQ(control("POST", "/_fake/revoke", std::string(R"({"token":")") + longTok + "\"}").status,
            200);
  for (const auto& r :
       {call("GET", "/v21.0/me", {}, "", longTok),
        call("POST", "/v21.0/me/subscribed_apps", {{"subscribed_fields", "messages"}}, "", longTok),
        call("POST", "/v21.0/me/messages", {}, R"({"recipient":{"id":"1"},"message":{"text":"x"}})",
             longTok),
        call("GET", "/refresh_access_token",
             {{"grant_type", "ig_refresh_token"}, {"access_token", longTok}}, "", "")}) {
    EXPECT_EQ(graphCode(r), 190) << r.body;
    EXPECT_EQ(graphSubcode(r), 460) << r.body;
  }
  EXPECT_EQ(call("GET", "/v21.0/me").status, 200);  // the account's own token is another token
}

// -------------------------------------------------------------------------------- debug_token
TEST_F(FakeGraphTest, DebugTokenDescribesPageAndIssuedTokens) {
  configureLogin(R"(,"expiresIn":1000)");
  auto page = parse(debug(kToken).body)->getObject("data");
  EXPECT_EQ(page->getValue<std::string>("app_id"), "42");
  EXPECT_EQ(page->getValue<std::string>("type"), "PAGE");
  EXPECT_TRUE(page->getValue<bool>("is_valid"));
  EXPECT_EQ(page->getValue<int>("expires_at"), 0);
  EXPECT_GT(page->getArray("scopes")->size(), 0u);
  EXPECT_FALSE(page->has("error"));

  auto issued = parse(debug(longToken()).body)->getObject("data");
  EXPECT_EQ(issued->getValue<std::string>("type"), "USER");
  EXPECT_TRUE(issued->getValue<bool>("is_valid"));
  EXPECT_EQ(issued->getValue<Poco::Int64>("expires_at"), kStart / 1000 + 1000);
}

TEST_F(FakeGraphTest, DebugTokenCallsUnknownAndRevokedTokensInvalid) {
  configureLogin();
  auto unknown = parse(debug("nope").body)->getObject("data");
  EXPECT_FALSE(unknown->getValue<bool>("is_valid"));
  EXPECT_EQ(unknown->getObject("error")->getValue<int>("code"), 190);
  control("POST", "/_fake/revoke", std::string(R"({"token":")") + kToken + "\"}");
  auto revoked = parse(debug(kToken).body)->getObject("data");
  EXPECT_FALSE(revoked->getValue<bool>("is_valid"));
  EXPECT_NE(revoked->getObject("error")->getValue<std::string>("message").find("invalidated"),
            std::string::npos);
  auto wrongApp = debug(kToken, "42|nope");
  EXPECT_EQ(wrongApp.status, 400);
  EXPECT_EQ(graphCode(wrongApp), 190);
}

// ---------------------------------------------------------------------------------- Send API
TEST_F(FakeGraphTest, SentMessagesRecordTheirKindTagAndAttachment) {
  ASSERT_EQ(call("POST", std::string("/v21.0/") + kPageId + "/messages", {},
                 R"({"recipient":{"id":"55"},"message":{"text":"hi"},"messaging_type":"RESPONSE"})")
                .status,
            200);
  ASSERT_EQ(call("POST", "/v21.0/me/messages", {},
                 R"({"recipient":{"id":"55"},"message":{"text":"later"},)"
                 R"("messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})")
                .status,
            200);
  auto media = call("POST", "/v21.0/me/messages", {},
                    R"({"recipient":{"id":"55"},"message":{"attachment":{"type":"image",)"
                    R"("payload":{"url":"https://cdn.test/a.png"}}},"messaging_type":"RESPONSE"})");
  ASSERT_EQ(media.status, 200) << media.body;
  EXPECT_TRUE(parse(media.body)->has("message_id"));
  auto s = sent();
  EXPECT_EQ(s->getValue<int>("count"), 3);
  auto list = s->getArray("sent");
  auto first = list->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("kind"), "text");
  EXPECT_EQ(first->getValue<std::string>("text"), "hi");
  EXPECT_EQ(first->getValue<std::string>("messagingType"), "RESPONSE");
  EXPECT_EQ(first->getValue<std::string>("tag"), "");
  EXPECT_EQ(first->getValue<std::string>("senderId"), kPageId);
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("tag"), "HUMAN_AGENT");
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("messagingType"), "MESSAGE_TAG");
  auto third = list->getObject(2);
  EXPECT_EQ(third->getValue<std::string>("kind"), "attachment");
  EXPECT_EQ(third->getValue<std::string>("attachmentType"), "image");
  EXPECT_EQ(third->getValue<std::string>("attachmentUrl"), "https://cdn.test/a.png");
  EXPECT_EQ(third->getValue<std::string>("text"), "");
}

TEST_F(FakeGraphTest, SenderActionsAreListedApartFromMessages) {
  auto r = call("POST", "/v21.0/me/messages", {},
                R"({"recipient":{"id":"55"},"sender_action":"typing_on"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"recipient_id":"55"})");
  auto s = sent();
  EXPECT_EQ(s->getValue<int>("count"), 0);
  EXPECT_EQ(s->getArray("sent")->size(), 0u);
  auto actions = s->getArray("actions");
  ASSERT_EQ(actions->size(), 1u);
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("kind"), "action");
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("action"), "typing_on");
  EXPECT_EQ(actions->getObject(0)->getValue<std::string>("recipientId"), "55");
  ASSERT_EQ(control("POST", "/_fake/reset").status, 200);
  EXPECT_EQ(sent()->getArray("actions")->size(), 0u);
}

TEST_F(FakeGraphTest, MalformedSendsAreRefusedAndNotRecorded) {
  for (
      const char* body : {
          R"({"recipient":{"id":"55"},"sender_action":"dance"})",
          R"({"recipient":{"id":"55"},"sender_action":"typing_on","message":{"text":"x"}})",
          R"({"recipient":{"id":"55"},"message":{"attachment":{"type":"sticker","payload":{"url":"https://x"}}}})",
          R"({"recipient":{"id":"55"},"message":{"attachment":{"type":"image","payload":{"url":"ftp://x"}}}})",
          R"({"recipient":{"id":"55"},"message":{"text":"x"},"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE"})",
          R"({"recipient":{"id":"55"},"message":{"text":"x"},"messaging_type":"PROMO"})",
          R"({"recipient":{"id":"55"},"message":{}})",
          R"({"recipient":{"id":"55"}})",
      }) {
    auto r = call("POST", "/v21.0/me/messages", {}, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(graphCode(r), 100) << body;
  }
  auto s = sent();
  EXPECT_EQ(s->getValue<int>("count"), 0);
  EXPECT_EQ(s->getArray("actions")->size(), 0u);
}

TEST_F(FakeGraphTest, TheOutsideWindowFaultStays) {
  control("POST", "/_fake/faults", R"({"match":"/messages","kind":"outside_window"})");
  auto r =
      call("POST", "/v21.0/me/messages", {}, R"({"recipient":{"id":"55"},"message":{"text":"x"}})");
  EXPECT_EQ(graphCode(r), 10);
  EXPECT_EQ(graphSubcode(r), 2018278);
}

TEST(FakeGraphForm, DecodesNamesAndValues) {
  auto f = parseForm("a=1&redirect_uri=http%3A%2F%2Fh%2Fcb&sp=a+b&empty=&flag&a=2&bad=%zz");
  EXPECT_EQ(f["a"], "2");
  EXPECT_EQ(f["redirect_uri"], "http://h/cb");
  EXPECT_EQ(f["sp"], "a b");
  EXPECT_EQ(f["empty"], "");
  EXPECT_TRUE(f.count("flag"));
  EXPECT_FALSE(f.count("bad"));
}
