#include "meta_test_support.h"

#include <chathost/meta/graph_api.h>
#include <chathost/meta/graph_http.h>
#include <chathost/meta/signature.h>

#include <chathost/sdk/testing/fakes.h>
#include <gtest/gtest.h>

using namespace chathost::meta;
using chathost::meta::testing::textTo;
using chathost::sdk::Method;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kBase = "http://graph.test";
constexpr const char* kToken = "EAAG-page-token";
constexpr const char* kSecret = "app-secret";

struct GraphApiTest : ::testing::Test {
  FakeHttpClient http;
  GraphApi api{http, GraphApiOptions{"v21.0", kSecret, 2500, ""}};
  GraphTarget target{kBase, kToken};

  static std::string header(const chathost::sdk::HttpRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return {};
  }
};
}  // namespace

TEST_F(GraphApiTest, UrlsAreVersionedEncodedAndCarryTheProofNeverTheToken) {
  const std::string proof = appSecretProof(kToken, kSecret);
  EXPECT_EQ(api.url(target, "me", "fields=id,name"),
            std::string(kBase) + "/v21.0/me?fields=id,name&appsecret_proof=" + proof);
  EXPECT_EQ(api.url(target, "1 2/messages"),
            std::string(kBase) + "/v21.0/1%202/messages?appsecret_proof=" + proof);
  GraphApi unsigned_(http, GraphApiOptions{"v22.0", "", 1000, ""});
  EXPECT_EQ(unsigned_.url(target, "me"), std::string(kBase) + "/v22.0/me");

  auto req = api.request(Method::kGet, api.url(target, "me"), target);
  EXPECT_EQ(header(req, "Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(req.url.find(kToken), std::string::npos);
  EXPECT_EQ(req.timeoutMs, 2500);
}

TEST_F(GraphApiTest, SendsToTheNodeAndReadsTheAck) {
  http.on(Method::kPost, std::string(kBase) + "/v21.0/100200300/messages",
          FakeHttpClient::json(200, R"({"recipient_id":"55","message_id":"m_1"})"));
  auto ack = api.sendMessage(target, "100200300", textTo("55", "hi"));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack.value->messageId, "m_1");
  EXPECT_EQ(ack.value->recipientId, "55");
  auto req = http.requests().at(0);
  EXPECT_EQ(req.contentType, "application/json");
  EXPECT_EQ(req.body,
            R"({"recipient":{"id":"55"},"message":{"text":"hi"},"messaging_type":"RESPONSE"})");
}

TEST_F(GraphApiTest, AMessageAckWithoutIdIsARetryableFaultAnActionsIsFine) {
  http.on(Method::kPost, std::string(kBase) + "/v21.0/me/messages",
          FakeHttpClient::json(200, R"({"recipient_id":"55"})"));
  auto message = api.sendMessage(target, "me", textTo("55", "hi"));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error.httpStatus, 502);
  EXPECT_EQ(classify(message.error), GraphErrorClass::kRetryable);
  auto typing = textTo("55", "");
  typing.action = chathost::sdk::SenderAction::kTypingOn;
  EXPECT_TRUE(api.sendMessage(target, "me", typing).ok());
}

TEST_F(GraphApiTest, SubscriptionsNeedTheirConfirmation) {
  const std::string edge = std::string(kBase) + "/v21.0/100200300/subscribed_apps";
  http.on(Method::kPost, edge, FakeHttpClient::json(200, R"({"success":true})"));
  http.on(Method::kPost, edge, FakeHttpClient::json(200, R"({"success":false})"));
  http.on(Method::kDelete, edge, FakeHttpClient::json(200, R"({"success":true})"));
  const auto replace = ExistingFields::kReplace;
  EXPECT_TRUE(api.subscribeApp(target, "100200300", "messages,message_reads", replace).ok());
  auto r = http.requests().at(0);
  EXPECT_EQ(r.method, Method::kPost);
  EXPECT_NE(r.url.find("?subscribed_fields=messages,message_reads&appsecret_proof="),
            std::string::npos)
      << r.url;
  auto unconfirmed = api.subscribeApp(target, "100200300", "messages", replace);
  ASSERT_FALSE(unconfirmed.ok());
  EXPECT_EQ(unconfirmed.error.message, "the Graph API did not confirm the webhook subscription");
  EXPECT_TRUE(api.unsubscribeApp(target, "100200300").ok());
  EXPECT_EQ(http.requests().size(), 3u);  // replacing never reads the current fields
}

TEST_F(GraphApiTest, SubscribingKeepsTheFieldsThisAppAlreadyHasOnTheNode) {
  GraphApi withAppId(http, GraphApiOptions{"v21.0", kSecret, 2500, "222"});
  const std::string edge = std::string(kBase) + "/v21.0/100200300/subscribed_apps";
  http.on(Method::kGet, edge, FakeHttpClient::json(200, R"({"data":[
              {"id":"111","name":"Other CRM","subscribed_fields":["feed"]},
              {"id":"222","name":"chathost","subscribed_fields":["messages","messaging_seen"]}]})"));
  http.on(Method::kPost, edge, FakeHttpClient::json(200, R"({"success":true})"));
  ASSERT_TRUE(withAppId.subscribeApp(target, "100200300", "messages,message_reads").ok());
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, Method::kGet);
  EXPECT_EQ(reqs[0].url, edge + "?appsecret_proof=" + appSecretProof(kToken, kSecret));
  EXPECT_EQ(header(reqs[0], "Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(reqs[1].method, Method::kPost);
  EXPECT_NE(reqs[1].url.find("?subscribed_fields=messages,messaging_seen,message_reads&"),
            std::string::npos)
      << reqs[1].url;

  // Without an app id, two listed apps cannot be told apart: only this channel's fields.
  ASSERT_TRUE(api.subscribeApp(target, "100200300", "messages,message_reads").ok());
  EXPECT_NE(http.requests().at(3).url.find("?subscribed_fields=messages,message_reads&"),
            std::string::npos)
      << http.requests().at(3).url;
}

TEST_F(GraphApiTest, ASubscriptionWhoseFieldsCannotBeReadIsNotPosted) {
  const std::string edge = std::string(kBase) + "/v21.0/100200300/subscribed_apps";
  http.on(Method::kGet, edge,
          FakeHttpClient::json(
              403, R"({"error":{"message":"(#200) Requires pages_manage_metadata","code":200}})"));
  http.on(Method::kGet, edge, FakeHttpClient::json(200, R"({"apps":[]})"));
  auto refused = api.subscribeApp(target, "100200300", "messages");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error.code, 200);
  EXPECT_EQ(refused.error.httpStatus, 403);
  auto malformed = api.subscribeApp(target, "100200300", "messages");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(classify(malformed.error), GraphErrorClass::kRetryable);
  for (const auto& r : http.requests()) EXPECT_EQ(r.method, Method::kGet);
  EXPECT_EQ(http.requests().size(), 2u);
}

TEST_F(GraphApiTest, ProfilesAskForTheGivenFieldsAndIgnoreConsentRefusals) {
  const std::string node = std::string(kBase) + "/v21.0/5500";
  http.on(Method::kGet, node, FakeHttpClient::json(200, R"({"name":"Ana B","profile_pic":"p"})"));
  http.on(Method::kGet, node,
          FakeHttpClient::json(400, R"({"error":{"message":"no consent","code":230}})"));
  http.on(Method::kGet, node, FakeHttpClient::json(400, R"({"error":{"message":"x","code":100}})"));
  auto ana = api.fetchProfile(target, "5500", "name,profile_pic");
  ASSERT_TRUE(ana.ok());
  EXPECT_EQ((*ana.value)->name, "Ana B");
  EXPECT_EQ((*ana.value)->username, "");
  EXPECT_NE(http.requests().at(0).url.find("fields=name,profile_pic"), std::string::npos);
  auto refused = api.fetchProfile(target, "5500", "name");
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(*refused.value);
  EXPECT_FALSE(api.fetchProfile(target, "5500", "name").ok());
}

TEST(GraphIds, OnlyPlainIdsMayNameANode) {
  for (const char* ok : {"100200300", "me", "a_b-c.d"}) EXPECT_TRUE(isGraphId(ok)) << ok;
  for (std::string bad : {std::string(), std::string("."), std::string(".."), std::string("a/b"),
                          std::string("a b"), std::string(129, '1')})
    EXPECT_FALSE(isGraphId(bad)) << bad;
}

TEST(GraphHttp, FormsAndQueriesEncodeEverythingButUnreservedCharacters) {
  EXPECT_EQ(percentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percentEncode("a b&c=d/é|+"), "a%20b%26c%3Dd%2F%C3%A9%7C%2B");
  EXPECT_EQ(formEncode({{"a b", "1|2"}, {"c", ""}}), "a%20b=1%7C2&c=");
  EXPECT_EQ(formEncode({}), "");
}
