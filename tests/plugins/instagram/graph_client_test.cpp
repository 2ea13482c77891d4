#include "graph_client.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
using chathost::sdk::Method;
using chathost::sdk::testing::FakeHttpClient;

namespace {
std::string headerOf(const chathost::sdk::HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

chathost::sdk::OutboundMessage text(const std::string& to, const std::string& body) {
  return textTo(to, body);
}
}  // namespace

TEST(GraphClient, IdentifiesAFacebookFlavourAccount) {
  Harness h;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount),
                    FakeHttpClient::json(200, R"({"id":"17841400000000001","username":"shop",
                      "name":"The Shop","profile_picture_url":"https://p"})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  auto r = g.identify({kToken, kAccount, kPage});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->username, "shop");
  EXPECT_EQ(r.value->accountType, "UNKNOWN");
  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_NE(req.url.find("fields=id,username,name,profile_picture_url"), std::string::npos);
  EXPECT_NE(req.url.find("appsecret_proof=" + appSecretProof(kToken, kAppSecret)),
            std::string::npos);
  EXPECT_EQ(req.url.find(kToken), std::string::npos);  // token goes as a header only
  EXPECT_EQ(headerOf(req, "Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(req.timeoutMs, 10000);
}

TEST(GraphClient, EachTokenGetsItsOwnProofCallAfterCall) {
  Harness h;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount) + "*",
                    FakeHttpClient::json(200, R"({"id":"17841400000000001","username":"shop"})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  const std::vector<std::string> tokens = {kToken, "EAAB-other-token", kToken, "EAAB-other-token"};
  for (const auto& token : tokens) ASSERT_TRUE(g.identify({token, kAccount, kPage}).ok());
  const auto requests = h.ctx.httpFake.requests();
  ASSERT_EQ(requests.size(), tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_NE(requests[i].url.find("appsecret_proof=" + appSecretProof(tokens[i], kAppSecret)),
              std::string::npos)
        << i;
  }
}

TEST(GraphClient, IdentifiesAnInstagramFlavourAccountThroughMe) {
  Harness h;
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl("me"),
                    FakeHttpClient::json(200, R"({"id":"1","user_id":"178","username":"creator",
                      "account_type":"MEDIA_CREATOR"})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  auto r = g.identify({kToken, kAccount, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->accountType, "MEDIA_CREATOR");
  EXPECT_EQ(r.value->userId, "178");
  EXPECT_NE(h.ctx.httpFake.requests().at(0).url.find("account_type"), std::string::npos);
}

TEST(GraphClient, SendsTextToThePageAndParsesTheAck) {
  Harness h;
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kPage) + "/messages"),
                    FakeHttpClient::json(200, R"({"recipient_id":"55","message_id":"mid.1"})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  auto r = g.send({kToken, kAccount, kPage}, text("55", "hi \"there\""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->messageId, "mid.1");
  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_EQ(req.contentType, "application/json");
  EXPECT_EQ(
      req.body,
      R"({"recipient":{"id":"55"},"message":{"text":"hi \"there\""},"messaging_type":"RESPONSE"})");
}

TEST(GraphClient, InstagramFlavourSendsToTheAccount) {
  Harness h;
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kAccount) + "/messages"),
                    FakeHttpClient::json(200, R"({"recipient_id":"55","message_id":"m"})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  EXPECT_TRUE(g.send({kToken, kAccount, ""}, text("55", "x")).ok());
}

TEST(GraphClient, ReportsGraphAndTransportErrors) {
  Harness h;
  auto url = h.graphUrl(std::string(kPage) + "/messages");
  h.ctx.httpFake.on(Method::kPost, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"Outside window","code":10,
                      "error_subcode":2018278,"fbtrace_id":"T"}})"));
  h.ctx.httpFake.on(Method::kPost, url,
                    chathost::sdk::Status(chathost::sdk::ErrorCode::kTimeout, "timed out"));
  h.ctx.httpFake.on(Method::kPost, url, FakeHttpClient::json(200, "not json"));
  GraphClient g(h.ctx.httpFake, h.settings);
  auto a = g.send({kToken, kAccount, kPage}, text("55", "x"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error.subcode, 2018278);
  EXPECT_EQ(classify(a.error), GraphErrorClass::kPermanent);
  auto b = g.send({kToken, kAccount, kPage}, text("55", "x"));
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(b.error.timeout);
  auto c = g.send({kToken, kAccount, kPage}, text("55", "x"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(classify(c.error), GraphErrorClass::kRetryable);
}

TEST(GraphClient, ProfileFetchIgnoresNoConsentAndUnknownUser) {
  Harness h;
  auto url = h.graphUrl(kUser);
  h.ctx.httpFake.on(
      Method::kGet, url,
      FakeHttpClient::json(200, R"({"name":"Ana","username":"ana","profile_pic":"p"})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"no consent","code":230}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"boom","code":100}})"));
  GraphClient g(h.ctx.httpFake, h.settings);
  auto ok = g.fetchProfile({kToken, kAccount, kPage}, kUser);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok.value)->username, "ana");
  auto ignored = g.fetchProfile({kToken, kAccount, kPage}, kUser);
  ASSERT_TRUE(ignored.ok());
  EXPECT_FALSE(*ignored.value);
  EXPECT_FALSE(g.fetchProfile({kToken, kAccount, kPage}, kUser).ok());
  EXPECT_NE(h.ctx.httpFake.requests().at(0).url.find("fields=name,username,profile_pic"),
            std::string::npos);
}
