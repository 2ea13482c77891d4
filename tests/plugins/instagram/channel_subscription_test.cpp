// connect() subscribes the app to the account's webhooks before anything is stored; disconnect()
// ends the subscription.
#include "channel_fixture.h"

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
namespace sdk = chathost::sdk;
using chathost::sdk::ErrorCode;
using chathost::sdk::LogLevel;
using chathost::sdk::Method;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kFields =
    "messages,messaging_postbacks,messaging_seen,messaging_referral,message_reactions";

struct SubscriptionTest : ChannelFixture {
  std::string subscribeUrl() const { return h.graphUrl(std::string(kPage) + "/subscribed_apps"); }
  void scriptIdentify() {
    h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount),
                      FakeHttpClient::json(200, R"({"id":"17841400000000001","username":"shop"})"));
  }
  static std::string body() {
    return std::string(R"({"accessToken":")") + kToken +
           R"(","instagramAccountId":"17841400000000001","pageId":"100200300",
              "webhookVerificationToken":"verify-me"})";
  }
  Status connectRefusal() {
    auto r = channel().connect(h.agent, body());
    return r.isOk() ? Status::ok() : r.status();
  }
};
}  // namespace

TEST_F(SubscriptionTest, ConnectSubscribesThePageAfterVerifyingTheToken) {
  scriptIdentify();
  h.scriptSubscribed(subscribeUrl());
  auto r = channel().connect(h.agent, body());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto reqs = requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, Method::kGet);
  EXPECT_EQ(bare(reqs[0].url), h.graphUrl(kAccount));
  // The Page's current subscription first: Messenger may have subscribed it too.
  EXPECT_EQ(reqs[1].method, Method::kGet);
  EXPECT_EQ(bare(reqs[1].url), subscribeUrl());
  EXPECT_EQ(headerOf(reqs[1], "Authorization"), std::string("Bearer ") + kToken);
  const auto& sub = reqs[2];
  EXPECT_EQ(sub.method, Method::kPost);
  EXPECT_EQ(bare(sub.url), subscribeUrl());
  EXPECT_EQ(queryParam(sub.url, "subscribed_fields"), kFields);
  EXPECT_EQ(queryParam(sub.url, "appsecret_proof"), appSecretProof(kToken, kAppSecret));
  EXPECT_EQ(headerOf(sub, "Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(sub.url.find(kToken), std::string::npos);
  EXPECT_TRUE(sub.body.empty());
}

TEST_F(SubscriptionTest, APageIsSubscribedToTheConfiguredPageFields) {
  h.settings.pageSubscribedFields = "messages,message_reads,messaging_referrals";
  scriptIdentify();
  h.scriptSubscribed(subscribeUrl());
  ASSERT_TRUE(channel().connect(h.agent, body()).isOk());
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(queryParam(requests()[2].url, "subscribed_fields"),
            "messages,message_reads,messaging_referrals");
}

TEST_F(SubscriptionTest, APageKeepsTheFieldsMessengerSubscribedItTo) {
  h.settings.appId = "987654321";
  scriptIdentify();
  h.ctx.httpFake.on(
      Method::kGet, subscribeUrl(),
      FakeHttpClient::json(200, R"({"data":[{"id":"555","name":"Other app","subscribed_fields":
                                   ["feed"]},{"id":"987654321","name":"chathost",
                                   "subscribed_fields":["messages","message_reads"]}]})"));
  h.scriptSubscribed(subscribeUrl());
  ASSERT_TRUE(channel().connect(h.agent, body()).isOk());
  ASSERT_EQ(requests().size(), 3u);
  EXPECT_EQ(queryParam(requests()[2].url, "subscribed_fields"),
            std::string("messages,message_reads,") +
                "messaging_postbacks,messaging_seen,messaging_referral,message_reactions");
}

TEST_F(SubscriptionTest, APageWhoseSubscriptionCannotBeReadIsNotSubscribed) {
  scriptIdentify();
  h.ctx.httpFake.on(Method::kGet, subscribeUrl(),
                    FakeHttpClient::json(400, R"({"error":{"message":"slow","code":32}})"));
  EXPECT_EQ(connectRefusal().code(), ErrorCode::kRateLimited);
  for (const auto& r : requests()) EXPECT_NE(r.method, Method::kPost);
}

TEST_F(SubscriptionTest, InstagramLoginSubscribesThroughMe) {
  h.settings.pageSubscribedFields = "feed";  // Page fields never apply to Instagram Login

  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl("me"),
                    FakeHttpClient::json(200, R"({"id":"9","user_id":"178","username":"shop"})"));
  h.scriptSubscribed(h.graphUrl("me/subscribed_apps"));
  auto r = channel().connect(h.agent, body());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  ASSERT_EQ(requests().size(), 2u);
  EXPECT_EQ(bare(requests()[1].url), h.graphUrl("me/subscribed_apps"));
  EXPECT_EQ(queryParam(requests()[1].url, "subscribed_fields"), kFields);
}

TEST_F(SubscriptionTest, ARefusedSubscriptionFailsTheConnectWithTheMappedError) {
  struct Case {
    sdk::Result<sdk::HttpResponse> answer;
    ErrorCode code;
  };
  const std::vector<Case> cases{
      {FakeHttpClient::json(
           400, R"({"error":{"message":"Invalid token","code":190,"fbtrace_id":"S1"}})"),
       ErrorCode::kAuthFailed},
      {FakeHttpClient::json(400, R"({"error":{"message":"slow","code":32}})"),
       ErrorCode::kRateLimited},
      {FakeHttpClient::json(
           403, R"({"error":{"message":"(#200) Requires pages_manage_metadata","code":200}})"),
       ErrorCode::kApiError},
      {FakeHttpClient::json(500, R"({"error":{"message":"boom","code":2}})"), ErrorCode::kApiError},
      {Status(ErrorCode::kUnavailable, "refused"), ErrorCode::kApiError},
      {FakeHttpClient::json(200, R"({"success":false})"), ErrorCode::kApiError},
  };
  h.ctx.httpFake.on(Method::kGet, subscribeUrl(), FakeHttpClient::json(200, R"({"data":[]})"));
  for (const auto& c : cases) {
    scriptIdentify();
    h.ctx.httpFake.on(Method::kPost, subscribeUrl(), c.answer);
  }
  for (const auto& c : cases) {
    auto s = connectRefusal();
    EXPECT_EQ(s.code(), c.code) << s.message();
  }
  auto meta = requests();
  EXPECT_EQ(meta.size(), 3 * cases.size());  // identify, read, subscribe; nothing else
}

TEST_F(SubscriptionTest, ASubscriptionRefusalSaysWhatFailedAndCarriesTheGraphError) {
  scriptIdentify();
  h.ctx.httpFake.on(Method::kGet, subscribeUrl(), FakeHttpClient::json(200, R"({"data":[]})"));
  h.ctx.httpFake.on(
      Method::kPost, subscribeUrl(),
      FakeHttpClient::json(403, R"({"error":{"message":"(#200) Requires pages_manage_metadata",
                                 "code":200,"fbtrace_id":"T9"}})"));
  auto s = connectRefusal();
  EXPECT_EQ(s.code(), ErrorCode::kApiError);
  EXPECT_NE(s.message().find("subscribe the app to the account's messages"), std::string::npos);
  EXPECT_NE(s.message().find("Graph error 200: (#200) Requires pages_manage_metadata"),
            std::string::npos);
  EXPECT_NE(s.metaJson().find("\"fbtraceId\":\"T9\""), std::string::npos);
  EXPECT_TRUE(h.ctx.log.contains(LogLevel::kWarning, "refused the webhook subscription"));
  EXPECT_FALSE(h.ctx.log.mentions(kToken));
  EXPECT_FALSE(h.ctx.log.mentions("verify-me"));
}

TEST_F(SubscriptionTest, AnAccountThatFailsVerificationIsNotSubscribed) {
  h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount),
                    FakeHttpClient::json(400, R"({"error":{"message":"bad","code":190}})"));
  EXPECT_EQ(connectRefusal().code(), ErrorCode::kAuthFailed);
  EXPECT_TRUE(h.ctx.httpFake.requestsTo("subscribed_apps").empty());
}

TEST_F(SubscriptionTest, DisconnectEndsThePagesSubscription) {
  h.scriptSubscribed(subscribeUrl(), Method::kDelete);
  auto s = channel().disconnect(h.connection());
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_EQ(requests().size(), 1u);
  const auto req = requests()[0];
  EXPECT_EQ(req.method, Method::kDelete);
  EXPECT_EQ(bare(req.url), subscribeUrl());
  EXPECT_FALSE(queryParam(req.url, "subscribed_fields"));
  EXPECT_EQ(headerOf(req, "Authorization"), std::string("Bearer ") + kToken);
}

TEST_F(SubscriptionTest, DisconnectOfAnInstagramLoginConnectionUsesItsHostAndMe) {
  h.scriptSubscribed(h.igGraphUrl("me/subscribed_apps"), Method::kDelete);
  ASSERT_TRUE(channel().disconnect(loginConnection()).isOk());
  EXPECT_EQ(bare(requests().at(0).url), h.igGraphUrl("me/subscribed_apps"));
}

TEST_F(SubscriptionTest, AFailedUnsubscribeIsReturnedAsAnError) {
  h.ctx.httpFake.on(Method::kDelete, subscribeUrl(),
                    FakeHttpClient::json(400, R"({"error":{"message":"expired","code":190}})"));
  h.ctx.httpFake.on(Method::kDelete, subscribeUrl(), Status(ErrorCode::kTimeout, "slow"));
  auto auth = channel().disconnect(h.connection());
  EXPECT_EQ(auth.code(), ErrorCode::kAuthFailed);
  auto timeout = channel().disconnect(h.connection());
  EXPECT_EQ(timeout.code(), ErrorCode::kApiError);
  EXPECT_NE(timeout.message().find("unsubscribe"), std::string::npos);
  EXPECT_EQ(timeout.message().find(kToken), std::string::npos);
}

TEST_F(SubscriptionTest, DisconnectWithoutATokenMakesNoCall) {
  auto c = h.connection();
  c.secrets.clear();
  EXPECT_TRUE(channel().disconnect(c).isOk());
  EXPECT_TRUE(requests().empty());
}
