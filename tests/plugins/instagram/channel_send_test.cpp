// send(): tags, attachments, sender actions, the closed messaging window and per-connection hosts.
#include "channel_fixture.h"

using namespace chathost::instagram;
using namespace chathost::instagram::testing;
namespace sdk = chathost::sdk;
using chathost::sdk::Method;
using chathost::sdk::OutboundAttachment;
using chathost::sdk::OutboundMessage;
using chathost::sdk::SenderAction;
using chathost::sdk::SendResult;
using chathost::sdk::testing::FakeHttpClient;

namespace {
constexpr const char* kSendsMetric = "chathost_instagram_sends_total";
constexpr const char* kActionsMetric = "chathost_instagram_sender_actions_total";

struct ChannelSendTest : ChannelFixture {
  std::string pageSendUrl() const { return h.graphUrl(std::string(kPage) + "/messages"); }
  void answer(int status, const std::string& body) {
    h.ctx.httpFake.on(Method::kPost, pageSendUrl(), FakeHttpClient::json(status, body));
  }
  std::string lastBody() const { return h.ctx.httpFake.requests().back().body; }
  double counter(const char* name, const char* result) const {
    return h.ctx.metricsFake.counterValue(name, {{"result", result}});
  }
};

OutboundMessage tagged(const std::string& text) {
  auto m = textTo(kUser, text);
  m.tag = "HUMAN_AGENT";
  return m;
}
OutboundMessage media(const std::string& type, const std::string& url) {
  OutboundMessage m;
  m.recipientId = kUser;
  m.attachment = OutboundAttachment{type, url};
  return m;
}
OutboundMessage action(SenderAction a) {
  OutboundMessage m;
  m.recipientId = kUser;
  m.action = a;
  return m;
}
}  // namespace

TEST_F(ChannelSendTest, ATaggedMessageGoesAsAMessageTag) {
  h.scriptSendOk();
  auto r = channel().send(h.connection(), tagged("Sorry for the wait"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent);
  EXPECT_EQ(r.messageId, "sent_1");
  EXPECT_EQ(lastBody(), std::string(R"({"recipient":{"id":")") + kUser +
                            R"("},"message":{"text":"Sorry for the wait"},)"
                            R"("messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})");
}

TEST_F(ChannelSendTest, AnAttachmentGoesAsItsTypeAndUrl) {
  h.scriptSendOk();
  auto r = channel().send(h.connection(), media("video", "https://cdn.example/v.mp4"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent);
  EXPECT_EQ(r.messageId, "sent_1");
  auto req = h.ctx.httpFake.requests().at(0);
  EXPECT_EQ(req.method, Method::kPost);
  EXPECT_EQ(bare(req.url), pageSendUrl());
  EXPECT_EQ(req.contentType, "application/json");
  EXPECT_EQ(req.body, std::string(R"({"recipient":{"id":")") + kUser +
                          R"("},"message":{"attachment":{"type":"video","payload":{"url":)"
                          R"("https://cdn.example/v.mp4"}}},"messaging_type":"RESPONSE"})");
  EXPECT_EQ(counter(kSendsMetric, "ok"), 1);
}

TEST_F(ChannelSendTest, ASenderActionIsSentAndAcknowledgedWithoutMessageId) {
  answer(200, R"({"recipient_id":"5500000000000001"})");
  answer(200, "{}");
  auto typing = channel().send(h.connection(), action(SenderAction::kTypingOn));
  EXPECT_EQ(typing.kind, SendResult::Kind::kSent) << typing.error;
  EXPECT_EQ(typing.messageId, "");
  EXPECT_EQ(typing.recipientId, kUser);
  EXPECT_EQ(lastBody(),
            std::string(R"({"recipient":{"id":")") + kUser + R"("},"sender_action":"typing_on"})");
  auto seen = channel().send(h.connection(), action(SenderAction::kMarkSeen));
  EXPECT_EQ(seen.kind, SendResult::Kind::kSent);
  EXPECT_EQ(seen.recipientId, kUser);  // the platform did not say: the one asked for
  EXPECT_EQ(lastBody(),
            std::string(R"({"recipient":{"id":")") + kUser + R"("},"sender_action":"mark_seen"})");
  // Actions are not messages: they have their own counter.
  EXPECT_EQ(counter(kActionsMetric, "ok"), 2);
  EXPECT_EQ(counter(kSendsMetric, "ok"), 0);
}

TEST_F(ChannelSendTest, AFailedSenderActionIsMappedLikeAnySend) {
  answer(400, R"({"error":{"message":"slow down","code":613}})");
  auto r = channel().send(h.connection(), action(SenderAction::kTypingOff));
  EXPECT_EQ(r.kind, SendResult::Kind::kThrottled);
  EXPECT_EQ(counter(kActionsMetric, "error"), 1);
  EXPECT_EQ(counter(kSendsMetric, "error"), 0);
}

TEST_F(ChannelSendTest, AClosedWindowIsOutsideWindowTaggedOrNot) {
  const char* closed = R"({"error":{"message":"This message is sent outside of allowed window.",
      "type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"W"}})";
  answer(400, closed);
  answer(400, closed);
  for (const auto& m : {textTo(kUser, "hello"), tagged("hello")}) {
    auto r = channel().send(h.connection(), m);
    EXPECT_EQ(r.kind, SendResult::Kind::kOutsideWindow);
    EXPECT_EQ(r.error.rfind("outside the messaging window", 0), 0u) << r.error;
    EXPECT_NE(r.errorMetaJson.find("\"subcode\":2018278"), std::string::npos);
    EXPECT_EQ(r.error.find(kToken), std::string::npos);
  }
  EXPECT_EQ(h.sendCalls(), 2u);
}

TEST_F(ChannelSendTest, OtherPermissionErrorsStayPermanent) {
  answer(400, R"({"error":{"message":"Requires permission","code":10}})");
  EXPECT_EQ(channel().send(h.connection(), textTo(kUser, "x")).kind, SendResult::Kind::kPermanent);
}

TEST_F(ChannelSendTest, AMessageThatCannotBeSentAsItIsMakesNoCall) {
  auto badTag = textTo(kUser, "x");
  badTag.tag = "ACCOUNT_UPDATE";
  auto r = channel().send(h.connection(), badTag);
  EXPECT_EQ(r.kind, SendResult::Kind::kPermanent);
  EXPECT_NE(r.error.find("ACCOUNT_UPDATE"), std::string::npos);
  EXPECT_EQ(channel().send(h.connection(), media("sticker", "https://x.example/s")).kind,
            SendResult::Kind::kPermanent);
  EXPECT_EQ(channel().send(h.connection(), media("image", "file:///etc/passwd")).error,
            "attachment url must be an absolute http(s) URL");
  EXPECT_TRUE(h.ctx.httpFake.requests().empty());
}

TEST_F(ChannelSendTest, AnInstagramLoginConnectionSendsOnTheInstagramHost) {
  // The plugin is configured for Facebook Login; the connection says otherwise.
  h.ctx.httpFake.on(Method::kPost, h.igGraphUrl(std::string(kAccount) + "/messages"),
                    FakeHttpClient::json(200, R"({"recipient_id":"55","message_id":"ig.1"})"));
  auto r = channel().send(loginConnection(), textTo("55", "hi"));
  EXPECT_EQ(r.kind, SendResult::Kind::kSent) << r.error;
  EXPECT_EQ(r.messageId, "ig.1");
  auto req = requests().at(0);
  EXPECT_EQ(bare(req.url), h.igGraphUrl(std::string(kAccount) + "/messages"));
  EXPECT_EQ(headerOf(req, "Authorization"), std::string("Bearer ") + kToken);
}

TEST_F(ChannelSendTest, AnInstagramLoginConnectionFetchesProfilesOnTheInstagramHost) {
  h.ctx.httpFake.on(Method::kGet, h.igGraphUrl(kUser),
                    FakeHttpClient::json(200, R"({"name":"Ana","username":"ana"})"));
  auto p = channel().fetchProfile(loginConnection(), kUser);
  ASSERT_TRUE(p.isOk()) << p.status().message();
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->username, "ana");
}
