#include "instagram_channel.h"
#include "account_setup.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <memory>

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
using chathost::sdk::ErrorCode;
using chathost::sdk::EventKind;
using chathost::sdk::LogLevel;
using chathost::sdk::Method;
using chathost::sdk::OutboundMessage;
using chathost::sdk::Request;
using chathost::sdk::SendResult;
using chathost::sdk::Status;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kRejectedMetric = "chathost_instagram_webhook_rejected_total";
constexpr const char* kSendsMetric = "chathost_instagram_sends_total";

struct ChannelTest : ::testing::Test {
  Harness h;
  std::unique_ptr<InstagramChannel> built;

  // Built on first use, so a test can adjust h.settings first.
  InstagramChannel& channel() {
    if (!built)
      built = std::make_unique<InstagramChannel>(h.settings, h.ctx.httpFake, h.ctx.metricsFake,
                                                 h.ctx.log);
    return *built;
  }
  double counter(const char* name, const char* result = nullptr) const {
    if (result == nullptr) return h.ctx.metricsFake.counterValue(name);
    return h.ctx.metricsFake.counterValue(name, {{"result", result}});
  }
};

// --------------------------------------------------------------------------------- describe
TEST(DmLink, OpensTheConversationWithOddUsernamesPercentEncoded) {
  EXPECT_EQ(dmLinkFor("shop.name_1"), "https://ig.me/m/shop.name_1");
  EXPECT_EQ(dmLinkFor("a b/\xc3\xa9"), "https://ig.me/m/a%20b%2F%C3%A9");
}

TEST_F(ChannelTest, DescribesItselfFromTheSettings) {
  h.settings.sendRatePerSecond = 50;
  h.settings.replyRetrySeconds = 30;
  h.settings.profileFetch = false;
  auto d = channel().describe();
  EXPECT_EQ(d.name, "instagram");
  EXPECT_EQ(d.displayName, "Instagram");
  EXPECT_EQ(d.maxTextBytes, 1000u);
  EXPECT_EQ(d.sendRatePerSecond, 50);
  EXPECT_EQ(d.replyRetrySeconds, 30);
  EXPECT_FALSE(d.fetchesProfiles);

  ASSERT_EQ(d.connectFields.size(), 5u);
  std::vector<std::string> names;
  for (const auto& f : d.connectFields) {
    names.push_back(f.name);
    EXPECT_FALSE(f.label.empty()) << f.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"accessToken", "instagramAccountId", "pageId",
                                             "webhookVerificationToken", "webhookSecret"}));
  auto field = [&](const std::string& n) {
    for (const auto& f : d.connectFields)
      if (f.name == n) return f;
    return chathost::sdk::ConnectField{};
  };
  EXPECT_TRUE(field("accessToken").required && field("accessToken").secret);
  EXPECT_TRUE(field("instagramAccountId").required && !field("instagramAccountId").secret);
  EXPECT_TRUE(field("pageId").required);  // Facebook-login flavour
  EXPECT_TRUE(field("webhookVerificationToken").secret);
  EXPECT_FALSE(field("webhookSecret").required);
  EXPECT_TRUE(field("webhookSecret").secret);

  ASSERT_EQ(d.configKeys.size(), settingsKeys().size());
  for (std::size_t i = 0; i < d.configKeys.size(); ++i)
    EXPECT_EQ(d.configKeys[i].name, settingsKeys()[i].name);
}

TEST_F(ChannelTest, PageIdIsOptionalWithInstagramLogin) {
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  bool seen = false;
  for (const auto& f : channel().describe().connectFields) {
    if (f.name != "pageId") continue;
    seen = true;
    EXPECT_FALSE(f.required);
  }
  EXPECT_TRUE(seen);
}

TEST_F(ChannelTest, DefaultSettingsDescribeTheDefaultPacing) {
  Settings defaults;
  InstagramChannel c(defaults, h.ctx.httpFake, h.ctx.metricsFake, h.ctx.log);
  auto d = c.describe();
  EXPECT_EQ(d.sendRatePerSecond, 100);
  EXPECT_EQ(d.replyRetrySeconds, 600);
  EXPECT_TRUE(d.fetchesProfiles);
}

// -------------------------------------------------------------------------- answerChallenge
Request challenge(const std::string& mode, const std::string& token) {
  Request r;
  r.query = {{"hub.mode", mode}, {"hub.verify_token", token}, {"hub.challenge", "12345"}};
  return r;
}

TEST_F(ChannelTest, ChallengeIsAnsweredForTheConnectionsToken) {
  auto conn = h.connection();
  auto ok = channel().answerChallenge(challenge("subscribe", "verify-me"), &conn);
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "12345");
  EXPECT_EQ(ok->contentType.rfind("text/plain", 0), 0u);
}

TEST_F(ChannelTest, ChallengeWithAWrongTokenOrModeIsForbidden) {
  h.settings.verifyToken = "app-verify";
  auto conn = h.connection();
  for (const auto& req : {challenge("subscribe", "wrong"), challenge("subscribe", "verify-m"),
                          challenge("subscribe", "app-verify"),
                          challenge("unsubscribe", "verify-me"), challenge("", "verify-me")}) {
    auto r = channel().answerChallenge(req, &conn);
    ASSERT_FALSE(r.isOk());
    EXPECT_EQ(r.status().code(), ErrorCode::kForbidden);
    EXPECT_EQ(r.status().message(), "webhook verification failed");
  }
  Request noChallenge;
  noChallenge.query = {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}};
  EXPECT_EQ(channel().answerChallenge(noChallenge, &conn).status().code(), ErrorCode::kForbidden);
  EXPECT_EQ(channel().answerChallenge(Request{}, &conn).status().code(), ErrorCode::kForbidden);
}

TEST_F(ChannelTest, AppLevelChallengeUsesTheConfiguredToken) {
  h.settings.verifyToken = "app-verify";
  auto ok = channel().answerChallenge(challenge("subscribe", "app-verify"), nullptr);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->body, "12345");
  EXPECT_EQ(channel().answerChallenge(challenge("subscribe", "verify-me"), nullptr).status().code(),
            ErrorCode::kForbidden);
}

TEST_F(ChannelTest, NoTokenConfiguredNeverVerifies) {
  auto appLevel = channel().answerChallenge(challenge("subscribe", ""), nullptr);
  EXPECT_EQ(appLevel.status().code(), ErrorCode::kForbidden);
  auto conn = h.connection();
  conn.secrets.erase("verifyToken");
  EXPECT_EQ(channel().answerChallenge(challenge("subscribe", ""), &conn).status().code(),
            ErrorCode::kForbidden);
}

TEST_F(ChannelTest, ADisconnectedConnectionAnswersNoChallenge) {
  auto conn = h.connection();
  conn.connected = false;
  EXPECT_EQ(channel().answerChallenge(challenge("subscribe", "verify-me"), &conn).status().code(),
            ErrorCode::kForbidden);
}

// ---------------------------------------------------------------------------- verifyWebhook
TEST_F(ChannelTest, ASignatureWithTheAppSecretVerifies) {
  std::string body = readCorpus("text_and_replies.json");
  auto conn = h.connection();
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, kAppSecret), &conn).isOk());
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, kAppSecret), nullptr).isOk());
  auto lowerCaseName = signedPost(body, kAppSecret);
  lowerCaseName.headers[0].first = "x-hub-signature-256";
  EXPECT_TRUE(channel().verifyWebhook(lowerCaseName, &conn).isOk());
  EXPECT_EQ(counter(kRejectedMetric), 0);
}

TEST_F(ChannelTest, BadOrMissingSignaturesAreForbiddenAndCounted) {
  std::string body = readCorpus("text_and_replies.json");
  auto conn = h.connection();
  Request unsignedPost;
  unsignedPost.body = body;
  auto tampered = signedPost(body, kAppSecret);
  tampered.body += " ";
  auto sha1Only = signedPost(body, kAppSecret);
  sha1Only.headers = {{"X-Hub-Signature", "sha1=" + hmacSha256Hex(kAppSecret, body).substr(0, 40)}};
  for (const auto& req : {unsignedPost, signedPost(body, "wrong-secret"), tampered, sha1Only}) {
    auto s = channel().verifyWebhook(req, &conn);
    ASSERT_FALSE(s.isOk());
    EXPECT_EQ(s.code(), ErrorCode::kForbidden);
    EXPECT_EQ(s.message(), "missing or invalid X-Hub-Signature-256");
  }
  EXPECT_EQ(channel().verifyWebhook(signedPost(body, "nope"), nullptr).code(),
            ErrorCode::kForbidden);
  EXPECT_EQ(counter(kRejectedMetric), 5);
}

TEST_F(ChannelTest, TheConnectionsWebhookSecretWinsOverTheAppSecret) {
  std::string body = readCorpus("text_and_replies.json");
  auto conn = h.connection(/*withWebhookSecret=*/true);
  EXPECT_EQ(channel().verifyWebhook(signedPost(body, kAppSecret), &conn).code(),
            ErrorCode::kForbidden);
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, "agent-hook-secret"), &conn).isOk());
  // The channel-wide URL knows no connection: only the app secret.
  EXPECT_EQ(channel().verifyWebhook(signedPost(body, "agent-hook-secret"), nullptr).code(),
            ErrorCode::kForbidden);
  // A disconnected connection's secret is not used.
  conn.connected = false;
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, kAppSecret), &conn).isOk());
}

TEST_F(ChannelTest, WithNoSecretAtAllRequireSignatureDecides) {
  h.settings.appSecret.clear();
  h.settings.requireSignature = true;
  std::string body = readCorpus("text_and_replies.json");
  auto conn = h.connection();
  Request unsignedPost;
  unsignedPost.body = body;
  auto refused = channel().verifyWebhook(unsignedPost, &conn);
  EXPECT_EQ(refused.code(), ErrorCode::kForbidden);
  EXPECT_EQ(refused.message(),
            "no webhook secret is configured, so the request cannot be verified");
  EXPECT_EQ(channel().verifyWebhook(unsignedPost, nullptr).code(), ErrorCode::kForbidden);
  EXPECT_EQ(counter(kRejectedMetric), 2);

  h.settings.requireSignature = false;
  built.reset();
  EXPECT_TRUE(channel().verifyWebhook(unsignedPost, &conn).isOk());
  EXPECT_TRUE(channel().verifyWebhook(unsignedPost, nullptr).isOk());
}

TEST_F(ChannelTest, RequireSignatureFalseStillChecksAnyConfiguredSecret) {
  h.settings.requireSignature = false;
  std::string body = readCorpus("text_and_replies.json");
  auto conn = h.connection(/*withWebhookSecret=*/true);
  Request unsignedPost;
  unsignedPost.body = body;
  EXPECT_EQ(channel().verifyWebhook(unsignedPost, &conn).code(), ErrorCode::kForbidden);
  EXPECT_EQ(channel().verifyWebhook(unsignedPost, nullptr).code(), ErrorCode::kForbidden);
  EXPECT_TRUE(channel().verifyWebhook(signedPost(body, "agent-hook-secret"), &conn).isOk());
}

// ----------------------------------------------------------------------------- parseWebhook
TEST_F(ChannelTest, ParsesEveryKindIntoSdkEvents) {
  auto p = channel().parseWebhook(readCorpus("other_events.json"));
  ASSERT_TRUE(p.isOk()) << p.status().message();
  std::vector<EventKind> kinds;
  for (const auto& e : p->events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<EventKind>{
                       EventKind::kEcho, EventKind::kUnsend, EventKind::kMessage, EventKind::kEdit,
                       EventKind::kReaction, EventKind::kReaction, EventKind::kPostback,
                       EventKind::kPostback, EventKind::kRead, EventKind::kReferral}));
  for (const auto& e : p->events) {
    EXPECT_EQ(e.accountId, kAccount);
    EXPECT_EQ(e.userId, kUser);
    EXPECT_FALSE(e.dedupKey.empty());
  }
  EXPECT_EQ(p->events[0].dedupKey, "mid:m_echo_1");
  EXPECT_EQ(p->events[1].dedupKey, "deleted:aWdfZAG1faXRlbTo1");
  EXPECT_EQ(p->ignored, 0);
}

TEST_F(ChannelTest, ParseCountsChangesAsIgnoredAndRefusesOtherBodies) {
  auto p = channel().parseWebhook(readCorpus("standby_changes_unknown.json"));
  ASSERT_TRUE(p.isOk());
  ASSERT_EQ(p->events.size(), 2u);
  EXPECT_TRUE(p->events[0].standby);
  EXPECT_EQ(p->events[1].kind, EventKind::kUnknown);
  EXPECT_EQ(p->ignored, 2);
  EXPECT_EQ(channel().parseWebhook("{not json").status().code(), ErrorCode::kValidation);
  EXPECT_EQ(channel().parseWebhook(R"({"object":"instagram"})").status().code(),
            ErrorCode::kValidation);
}

// ------------------------------------------------------------------------------------- send
struct SendTest : ChannelTest {
  std::string sendUrl() const { return h.graphUrl(std::string(kPage) + "/messages"); }
  void answer(int status, const std::string& body) {
    h.ctx.httpFake.on(Method::kPost, sendUrl(), FakeHttpClient::json(status, body));
  }
  SendResult send(const std::string& text = "Hello") {
    return channel().send(h.connection(), textTo(kUser, text));
  }
};

TEST_F(SendTest, SendsTheTextAndReturnsThePlatformsIds) {
  h.scriptSendOk();
  auto r = send("Hello \"there\"");
  EXPECT_EQ(r.kind, SendResult::Kind::kSent);
  EXPECT_EQ(r.messageId, "sent_1");
  EXPECT_EQ(r.recipientId, kUser);
  EXPECT_TRUE(r.error.empty());
  ASSERT_EQ(h.sendCalls(), 1u);
  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_EQ(req.body,
            std::string(R"({"recipient":{"id":")") + kUser +
                R"("},"message":{"text":"Hello \"there\""},"messaging_type":"RESPONSE"})");
  EXPECT_EQ(counter(kSendsMetric, "ok"), 1);
  EXPECT_EQ(counter(kSendsMetric, "error"), 0);
}

TEST_F(SendTest, InstagramLoginSendsThroughTheAccount) {
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kPost, h.graphUrl(std::string(kAccount) + "/messages"),
                    FakeHttpClient::json(200, R"({"recipient_id":"55","message_id":"m1"})"));
  auto conn = h.connection();
  conn.pageId.clear();
  auto r = channel().send(conn, textTo("55", "x"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent);
  EXPECT_EQ(r.messageId, "m1");
}

TEST_F(SendTest, ThrottlingIsReportedAsThrottled) {
  answer(400, R"({"error":{"message":"Application request limit reached","code":4}})");
  answer(429, "{}");
  answer(400, R"({"error":{"message":"too many","code":613}})");
  for (int i = 0; i < 3; ++i) {
    auto r = send();
    EXPECT_EQ(r.kind, SendResult::Kind::kThrottled) << i << ": " << r.error;
    EXPECT_EQ(r.retryAfterMs, 0);  // the host's backoff
  }
  EXPECT_EQ(counter(kSendsMetric, "error"), 3);
}

TEST_F(SendTest, ServerAndTransportFailuresAreRetried) {
  answer(500, R"({"error":{"message":"An unknown error occurred","code":1}})");
  answer(503, "<html>");
  h.ctx.httpFake.on(Method::kPost, sendUrl(), Status(ErrorCode::kUnavailable, "refused"));
  h.ctx.httpFake.on(Method::kPost, sendUrl(), Status(ErrorCode::kTimeout, "timed out"));
  auto unknown = send();
  EXPECT_EQ(unknown.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(unknown.error, "Graph error 1: An unknown error occurred");
  auto html = send();
  EXPECT_EQ(html.kind, SendResult::Kind::kRetry);
  EXPECT_NE(html.error.find("HTTP 503"), std::string::npos);
  auto refused = send();
  EXPECT_EQ(refused.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(refused.error, "the Graph API could not be reached: refused");
  auto timeout = send();
  EXPECT_EQ(timeout.kind, SendResult::Kind::kRetry);
  EXPECT_EQ(timeout.error, "the Graph API did not answer in time");
}

TEST_F(SendTest, ARefusedTokenAsksForReauthentication) {
  answer(401, R"({"error":{"message":"Session has expired","type":"OAuthException","code":190,
                 "error_subcode":463,"fbtrace_id":"TR1"}})");
  auto r = send();
  EXPECT_EQ(r.kind, SendResult::Kind::kReauth);
  EXPECT_EQ(r.error, "Graph error 190/463: Session has expired");
  EXPECT_EQ(
      r.errorMetaJson,
      R"({"graphError":{"code":190,"subcode":463,"message":"Session has expired","fbtraceId":"TR1"}})");
}

TEST_F(SendTest, PermanentRefusalsCarryTheGraphError) {
  answer(400, R"({"error":{"message":"This message is sent outside of allowed window.","code":10,
                 "error_subcode":2018278,"fbtrace_id":"W"}})");
  answer(400, R"({"error":{"message":"This person isn't available right now.","code":551,
                 "error_subcode":1545041}})");
  answer(400, R"({"error":{"message":"No matching user found","code":100,
                 "error_subcode":2018001}})");
  auto window = send();
  EXPECT_EQ(window.kind, SendResult::Kind::kOutsideWindow);
  EXPECT_NE(window.error.find(
                "(Graph error 10/2018278: This message is sent outside of allowed window.)"),
            std::string::npos)
      << window.error;
  auto meta = parseObject(window.errorMetaJson);
  ASSERT_TRUE(meta);
  auto graphError = getObject(*meta, "graphError");
  ASSERT_TRUE(graphError);
  EXPECT_EQ(getInt(*graphError, "code"), 10);
  EXPECT_EQ(getInt(*graphError, "subcode"), 2018278);
  EXPECT_EQ(getString(*graphError, "fbtraceId"), "W");
  auto unavailable = send();
  EXPECT_EQ(unavailable.kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(unavailable.error, "Graph error 551/1545041: This person isn't available right now.");
  EXPECT_EQ(send().kind, SendResult::Kind::kPermanent);
  EXPECT_EQ(h.sendCalls(), 3u);  // one call each: retrying is the host's decision
}

TEST_F(SendTest, AnAcknowledgementWithoutMessageIdIsRetried) {
  answer(200, R"({"recipient_id":"5500000000000001"})");
  auto r = send();
  EXPECT_EQ(r.kind, SendResult::Kind::kRetry);
  EXPECT_NE(r.error.find("message_id"), std::string::npos);
}

TEST_F(SendTest, AConnectionWithoutTokenNeedsReauthenticationWithoutACall) {
  auto conn = h.connection();
  conn.secrets.clear();
  auto r = channel().send(conn, textTo(kUser, "hi"));
  EXPECT_EQ(r.kind, SendResult::Kind::kReauth);
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

TEST_F(SendTest, ErrorsNeverCarryTheToken) {
  answer(400, R"({"error":{"message":"bad","code":100}})");
  auto r = send();
  EXPECT_EQ(r.error.find(kToken), std::string::npos);
  EXPECT_EQ(r.errorMetaJson.find(kToken), std::string::npos);
  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_EQ(req.url.find(kToken), std::string::npos);  // only in the Authorization header
}

// ---------------------------------------------------------------------------------- connect
struct ConnectTest : ChannelTest {
  void scriptIdentify(const std::string& body = R"({"id":"17841400000000001","username":"shop",
      "name":"The Shop","profile_picture_url":"https://pic"})") {
    h.ctx.httpFake.on(Method::kGet, h.graphUrl(kAccount), FakeHttpClient::json(200, body));
    h.scriptSubscribed(h.graphUrl(std::string(kPage) + "/subscribed_apps"));
  }
  static std::string body() {
    return std::string(R"({"accessToken":")") + kToken +
           R"(","instagramAccountId":"17841400000000001","pageId":"100200300",
              "webhookVerificationToken":"verify-me","webhookSecret":"hook-secret-42"})";
  }
  static std::string without(const std::string& field) {
    auto b = parseObject(body());
    b->remove(field);
    return toJson(*b);
  }
  template <typename T>
  static std::string with(const std::string& field, T value) {
    auto b = parseObject(body());
    b->set(field, value);
    return toJson(*b);
  }
  Status refusal(const std::string& json) {
    auto r = channel().connect(h.agent, json);
    return r.isOk() ? Status::ok() : r.status();
  }
};

TEST_F(ConnectTest, RefusesABodyThatIsNotAnObject) {
  for (const char* bad : {"not json", "[]", "\"text\"", ""}) {
    auto s = refusal(bad);
    EXPECT_EQ(s.code(), ErrorCode::kValidation) << bad;
    EXPECT_EQ(s.message(), "request body must be a JSON object");
  }
}

TEST_F(ConnectTest, NamesEveryMissingEmptyOrNonStringField) {
  for (const char* field :
       {"accessToken", "instagramAccountId", "pageId", "webhookVerificationToken"}) {
    auto missing = refusal(without(field));
    EXPECT_EQ(missing.code(), ErrorCode::kValidation);
    EXPECT_EQ(missing.message(), std::string(field) + " is required");
    auto null = parseObject(body());
    null->set(field, Poco::Dynamic::Var());
    EXPECT_EQ(refusal(toJson(*null)).message(), std::string(field) + " is required");
    EXPECT_EQ(refusal(with(field, std::string())).message(),
              std::string(field) + " must not be empty");
    EXPECT_EQ(refusal(with(field, 5)).message(), std::string(field) + " must be a string");
  }
  EXPECT_EQ(refusal(with("webhookSecret", true)).message(), "webhookSecret must be a string");
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

TEST_F(ConnectTest, RefusesIdsThatCannotNameAGraphNode) {
  for (const char* bad : {"../../me", "..", "a/b", "1 2", "17841400000000001?x=1"}) {
    EXPECT_EQ(refusal(with("instagramAccountId", std::string(bad))).message(),
              "instagramAccountId is not a valid id")
        << bad;
    EXPECT_EQ(refusal(with("pageId", std::string(bad))).message(), "pageId is not a valid id")
        << bad;
  }
  EXPECT_EQ(refusal(with("instagramAccountId", std::string(129, '1'))).message(),
            "instagramAccountId is not a valid id");
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

TEST_F(ConnectTest, AnswersTheQrAndTheConnectionToStore) {
  scriptIdentify();
  auto r = channel().connect(h.agent, body());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->message,
            "Instagram QR code generated. Scan with your mobile app or connect via API.");

  const std::string& data = r->dataJson;
  auto at = [&](const char* member) { return data.find(std::string("\"") + member + "\":"); };
  EXPECT_EQ(at("qrCode"), 1u);
  EXPECT_LT(at("qrCode"), at("qrCodeDataUrl"));
  EXPECT_LT(at("qrCodeDataUrl"), at("instagramUrl"));
  EXPECT_LT(at("instagramUrl"), at("username"));
  EXPECT_EQ(data.find("alreadyConnected"), std::string::npos);  // the host adds it
  auto d = parseObject(data);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->size(), 4u);
  EXPECT_EQ(getString(*d, "qrCode"), "https://ig.me/m/shop");
  EXPECT_EQ(getString(*d, "qrCodeDataUrl").value_or("").rfind("data:image/png;base64,", 0), 0u);
  EXPECT_EQ(getString(*d, "instagramUrl"), "https://www.instagram.com/shop/");
  EXPECT_EQ(getString(*d, "username"), "shop");

  const auto& c = r->connection;
  EXPECT_EQ(c.accountId, kAccount);
  EXPECT_EQ(c.pageId, kPage);
  EXPECT_EQ(c.username, "shop");
  EXPECT_EQ(c.accountType, "UNKNOWN");  // the Facebook flavour does not say
  EXPECT_EQ(c.secrets, (std::map<std::string, std::string>{{"accessToken", kToken},
                                                           {"verifyToken", "verify-me"},
                                                           {"webhookSecret", "hook-secret-42"}}));
  auto settings = parseObject(c.settingsJson);
  ASSERT_TRUE(settings);
  EXPECT_EQ(getString(*settings, "name"), "The Shop");
  EXPECT_EQ(getString(*settings, "userId"), "");
  EXPECT_EQ(getString(*settings, "profilePictureUrl"), "https://pic");

  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_EQ(req.url.find(kToken), std::string::npos);
  EXPECT_FALSE(h.ctx.log.mentions(kToken));
}

TEST_F(ConnectTest, WebhookSecretIsOptional) {
  scriptIdentify();
  auto r = channel().connect(h.agent, without("webhookSecret"));
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->connection.secrets.count("webhookSecret"), 0u);
  auto empty = channel().connect(h.agent, with("webhookSecret", std::string()));
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ(empty->connection.secrets.count("webhookSecret"), 0u);
}

TEST_F(ConnectTest, InstagramLoginNeedsNoPageAndKeepsTheUserIdWebhooksCarry) {
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl("me"),
                    FakeHttpClient::json(200, R"({"id":"9001","user_id":"17841400000000777",
                                                 "username":"shop","account_type":"BUSINESS"})"));
  h.scriptSubscribed(h.graphUrl("me/subscribed_apps"));
  auto body = std::string(R"({"accessToken":")") + kToken +
              R"(","instagramAccountId":"9001","webhookVerificationToken":"v"})";
  auto r = channel().connect(h.agent, body);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->connection.accountId, "17841400000000777");
  EXPECT_TRUE(r->connection.pageId.empty());
  EXPECT_EQ(r->connection.accountType, "BUSINESS");
  EXPECT_EQ(getString(*parseObject(r->connection.settingsJson), "userId"), "17841400000000777");
}

TEST_F(ConnectTest, InstagramLoginFallsBackToTheGivenIdWithoutUserId) {
  h.settings.apiFlavor = ApiFlavor::kInstagram;
  h.ctx.httpFake.on(Method::kGet, h.graphUrl("me"),
                    FakeHttpClient::json(200, R"({"id":"9001","username":"shop"})"));
  h.scriptSubscribed(h.graphUrl("me/subscribed_apps"));
  auto body = std::string(R"({"accessToken":")") + kToken +
              R"(","instagramAccountId":"9001","webhookVerificationToken":"v"})";
  auto r = channel().connect(h.agent, body);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->connection.accountId, "9001");
}

TEST_F(ConnectTest, GraphRefusalsAreMappedAndLoggedWithoutSecrets) {
  auto url = h.graphUrl(kAccount);
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(
                        400, R"({"error":{"message":"bad token","code":190,"fbtrace_id":"F"}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"slow down","code":4}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"no such id","code":100}})"));
  h.ctx.httpFake.on(Method::kGet, url, Status(ErrorCode::kUnavailable, "refused"));
  auto auth = refusal(body());
  EXPECT_EQ(auth.code(), ErrorCode::kAuthFailed);
  EXPECT_NE(auth.metaJson().find("\"fbtraceId\":\"F\""), std::string::npos);
  EXPECT_EQ(refusal(body()).code(), ErrorCode::kRateLimited);
  auto api = refusal(body());
  EXPECT_EQ(api.code(), ErrorCode::kApiError);
  EXPECT_NE(api.message().find("verify the Instagram account"), std::string::npos);
  EXPECT_NE(api.message().find("Graph error 100: no such id"), std::string::npos);
  EXPECT_EQ(refusal(body()).code(), ErrorCode::kApiError);
  EXPECT_TRUE(h.ctx.log.contains(LogLevel::kWarning, "the Graph API refused the account"));
  EXPECT_FALSE(h.ctx.log.mentions(kToken));
  EXPECT_FALSE(h.ctx.log.mentions("verify-me"));
  EXPECT_FALSE(h.ctx.log.mentions("hook-secret-42"));
}

TEST_F(ConnectTest, AnAccountWithoutUsernameIsRefused) {
  scriptIdentify(R"({"id":"17841400000000001"})");
  EXPECT_EQ(refusal(body()).code(), ErrorCode::kApiError);
}

// ----------------------------------------------------------------------------- fetchProfile
TEST_F(ChannelTest, FetchesTheProfileOrNothingWhenThePlatformWillNotTell) {
  auto url = h.graphUrl(kUser);
  h.ctx.httpFake.on(
      Method::kGet, url,
      FakeHttpClient::json(200, R"({"name":"Ana","username":"ana","profile_pic":"p"})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"no consent","code":230}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"no user","code":9010}})"));
  auto conn = h.connection();
  auto ok = channel().fetchProfile(conn, kUser);
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->name, "Ana");
  EXPECT_EQ((*ok)->username, "ana");
  for (int i = 0; i < 2; ++i) {
    auto ignorable = channel().fetchProfile(conn, kUser);
    ASSERT_TRUE(ignorable.isOk());
    EXPECT_FALSE(ignorable->has_value());
  }
}

TEST_F(ChannelTest, ProfileFailuresThatMayChangeAreErrors) {
  auto url = h.graphUrl(kUser);
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(400, R"({"error":{"message":"boom","code":100}})"));
  h.ctx.httpFake.on(Method::kGet, url,
                    FakeHttpClient::json(401, R"({"error":{"message":"expired","code":190}})"));
  auto conn = h.connection();
  EXPECT_EQ(channel().fetchProfile(conn, kUser).status().code(), ErrorCode::kApiError);
  EXPECT_EQ(channel().fetchProfile(conn, kUser).status().code(), ErrorCode::kAuthFailed);
}

TEST_F(ChannelTest, ProfileOfAnIdThatCannotNameAGraphNodeIsNotFetched) {
  auto conn = h.connection();
  for (const char* bad : {"", "..", "../me", "a/b"})
    EXPECT_EQ(channel().fetchProfile(conn, bad).status().code(), ErrorCode::kValidation) << bad;
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

}  // namespace
