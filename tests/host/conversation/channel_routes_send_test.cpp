// POST <channel>/send: validation, pacing, the channel's verdict as the API error, the message.
#include "channel_routes_fixture.h"
#include "conversation/send_request.h"

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using sdk::ErrorCode;
using sdk::Method;
using Kind = sdk::SendResult::Kind;

TEST_F(ChannelRoutesTest, SendValidatesAndNeedsAConnection) {
  EXPECT_EQ(call(Method::kPost, "send", R"({"message":"hi"})").status().code(),
            ErrorCode::kValidation);
  EXPECT_NE(call(Method::kPost, "send", R"({"to":"55"})").status().message().find("message"),
            std::string::npos);
  EXPECT_NE(call(Method::kPost, "send", R"({"to":5,"message":"hi"})")
                .status()
                .message()
                .find("to must be a string"),
            std::string::npos);
  EXPECT_EQ(call(Method::kPost, "send", R"({"to":"","message":"hi"})").status().code(),
            ErrorCode::kValidation);
  EXPECT_EQ(call(Method::kPost, "send", R"({"to":"../me","message":"hi"})").status().code(),
            ErrorCode::kValidation);
  EXPECT_EQ(call(Method::kPost, "send", "not json").status().code(), ErrorCode::kValidation);
  const std::string big(101, 'a');  // the fake channel takes 100 bytes
  auto tooLong = call(Method::kPost, "send", R"({"to":"55","message":")" + big + "\"}");
  EXPECT_EQ(tooLong.status().code(), ErrorCode::kValidation);
  EXPECT_NE(tooLong.status().message().find("100 bytes"), std::string::npos);
  EXPECT_EQ(call(Method::kPost, "send", "{\"to\":\"55\",\"message\":\"\xc3\x28\"}").status().code(),
            ErrorCode::kValidation);
  const std::string exact(100, 'a');
  auto notConnected = call(Method::kPost, "send", R"({"to":"55","message":")" + exact + "\"}");
  EXPECT_EQ(notConnected.status().code(), ErrorCode::kNotConnected);
  EXPECT_NE(notConnected.status().message().find("FakeChat"), std::string::npos);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_TRUE(h.chats.allMessages().empty());
}

TEST_F(ChannelRoutesTest, SendDeliversAndStoresTheMessage) {
  h.connect();
  auto r = call(Method::kPost, "send", R"({"to":"user-1","message":"Hello"})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto d = dataOf(*r);
  EXPECT_EQ(d->getValue<std::string>("messageId"), "sent_1");
  EXPECT_EQ(d->getValue<std::string>("recipientId"), kUser);
  auto msgs = h.chats.allMessages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].direction, "outbound");
  EXPECT_EQ(msgs[0].text, "Hello");
  EXPECT_EQ(msgs[0].mid, "sent_1");
  EXPECT_EQ(msgs[0].senderId, kAccount);
  EXPECT_EQ(msgs[0].status, MessageStatus::kSent);
  EXPECT_EQ(msgs[0].localId.rfind("send:op-test:", 0), 0u) << msgs[0].localId;
  auto chats = h.chats.allChats();
  ASSERT_EQ(chats.size(), 1u);
  EXPECT_EQ(chats[0].key.channelUserId, kUser);
  EXPECT_EQ(chats[0].key.channel, kChannel);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.recipientId, kUser);
  EXPECT_EQ(calls[0].message.text, "Hello");
  EXPECT_EQ(calls[0].connection.secrets.at("token"), kToken);
}

TEST_F(ChannelRoutesTest, RefusedCredentialsAreAuthFailedAndDeactivateTheConnection) {
  h.connect();
  h.channel.sends.then(sdk::SendResult::failed(Kind::kReauth, "Graph error 190: expired",
                                               R"({"graphError":{"code":190}})"));
  auto r = call(Method::kPost, "send", R"({"to":"55","message":"a"})");
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(r.status().metaJson(), R"({"graphError":{"code":190}})");
  EXPECT_FALSE(stored()->active);
  EXPECT_EQ(stored()->inactiveReason, "Graph error 190: expired");
  auto msgs = h.chats.allMessages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].status, MessageStatus::kFailed);
  EXPECT_EQ(msgs[0].error, "Graph error 190: expired");
}

TEST_F(ChannelRoutesTest, RefusedOldCredentialsLeaveAReconnectedAccountActive) {
  h.connect();
  h.channel.sends.thenDo([this] {
    auto fresh = h.connection();
    fresh.secrets["token"] = "a-new-token";
    h.connections.put(fresh);
    return sdk::SendResult::failed(Kind::kReauth, "expired");
  });
  auto r = call(Method::kPost, "send", R"({"to":"55","message":"a"})");
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_TRUE(stored()->active);
  EXPECT_EQ(h.chats.allMessages().at(0).status, MessageStatus::kFailed);
}

TEST_F(ChannelRoutesTest, EveryOtherFailureIsMappedAndFailsTheMessage) {
  h.connect();
  struct Case {
    Kind kind;
    ErrorCode code;
  };
  const std::string meta = R"({"graphError":{"code":10,"subcode":2018278}})";
  int n = 0;
  for (auto [kind, code] :
       {Case{Kind::kThrottled, ErrorCode::kRateLimited}, Case{Kind::kRetry, ErrorCode::kApiError},
        Case{Kind::kPermanent, ErrorCode::kApiError}}) {
    h.channel.sends.then(sdk::SendResult::failed(kind, "why " + std::to_string(n), meta, 5000));
    auto r = call(Method::kPost, "send", R"({"to":"55","message":"m)" + std::to_string(n) + "\"}");
    EXPECT_EQ(r.status().code(), code) << n;
    EXPECT_EQ(r.status().metaJson(), meta) << n;
    EXPECT_NE(r.status().message().find("why " + std::to_string(n)), std::string::npos);
    auto msgs = h.chats.allMessages();
    ASSERT_EQ(msgs.size(), static_cast<std::size_t>(n + 1));
    EXPECT_EQ(msgs.back().status, MessageStatus::kFailed) << n;
    EXPECT_EQ(msgs.back().error, "why " + std::to_string(n));
    ++n;
  }
  EXPECT_EQ(h.channel.sendCalls().size(), 3u);  // one attempt each: the caller decides to retry
  EXPECT_TRUE(stored()->active);
}

TEST_F(ChannelRoutesTest, AChannelThatThrowsWhileSendingIsAnApiError) {
  h.connect();
  h.channel.sends.thenDo([]() -> sdk::SendResult { throw std::runtime_error("socket gone"); });
  auto r = call(Method::kPost, "send", R"({"to":"55","message":"a"})");
  EXPECT_EQ(r.status().code(), ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("socket gone"), std::string::npos);
  EXPECT_EQ(h.chats.allMessages().at(0).status, MessageStatus::kFailed);
}

TEST_F(ChannelRoutesTest, SendsArePacedPerAccount) {
  h.channel.description.sendRatePerSecond = 1;
  h.connect();
  ASSERT_TRUE(call(Method::kPost, "send", R"({"to":"55","message":"a"})").isOk());
  auto second = call(Method::kPost, "send", R"({"to":"55","message":"b"})");
  EXPECT_EQ(second.status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(h.channel.sendCalls().size(), 1u);
  EXPECT_EQ(h.chats.allMessages().size(), 1u);
  h.now += 1000;
  EXPECT_TRUE(call(Method::kPost, "send", R"({"to":"55","message":"c"})").isOk());
}

// ---- media, tags and the platform's messaging windows -----------------------------------------

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;

// The fake channel with Instagram's windows (24 h, or 7 days tagged HUMAN_AGENT) and media.
void describeWindows(FakeChannel& channel) {
  channel.description.sendsAttachments = true;
  channel.description.replyWindowMs = kDay;
  channel.description.messageTags = {"HUMAN_AGENT"};
  channel.description.taggedWindowMs = 7 * kDay;
}

// The user wrote to the connected account at `timestamp`.
void userWroteAt(Harness& h, std::int64_t timestamp) {
  auto chat = h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, timestamp);
  host::Message m;
  m.chatId = chat->chatId;
  m.mid = "in-" + std::to_string(timestamp);
  m.direction = "inbound";
  m.text = "hello?";
  m.timestamp = timestamp;
  m.senderId = kUser;
  ASSERT_TRUE(*h.chats.addMessage(m));
}

std::vector<std::string> idsOf(const json::ObjectPtr& data) {
  std::vector<std::string> out;
  auto ids = data->getArray("messageIds");
  for (std::size_t i = 0; ids && i < ids->size(); ++i)
    out.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

}  // namespace

TEST_F(ChannelRoutesTest, AnAttachmentIsStoredAndSentAlone) {
  describeWindows(h.channel);
  h.connect();
  auto r = call(Method::kPost, "send",
                R"({"to":"user-1","attachment":{"type":"image","url":"https://cdn.x/a.png"}})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto d = dataOf(*r);
  EXPECT_EQ(d->getValue<std::string>("messageId"), "sent_1");
  EXPECT_EQ(idsOf(d), std::vector<std::string>{"sent_1"});
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0].message.attachment);
  EXPECT_EQ(calls[0].message.attachment->type, "image");
  EXPECT_EQ(calls[0].message.attachment->url, "https://cdn.x/a.png");
  EXPECT_EQ(calls[0].message.text, "");
  EXPECT_EQ(calls[0].message.tag, "");
  EXPECT_EQ(calls[0].message.action, sdk::SenderAction::kNone);
  auto msgs = h.byDirection("outbound");
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].text, "");
  EXPECT_EQ(msgs[0].attachmentsJson,
            R"([{"type":"image","payload":{"url":"https://cdn.x/a.png"}}])");
  EXPECT_EQ(msgs[0].status, MessageStatus::kSent);
  EXPECT_EQ(msgs[0].mid, "sent_1");
}

TEST_F(ChannelRoutesTest, TextWithAnAttachmentGoesAsTwoMessagesTextFirst) {
  describeWindows(h.channel);
  h.connect();
  auto r = call(Method::kPost, "send",
                R"({"to":"user-1","message":"Your invoice","attachment":)"
                R"({"type":"file","url":"https://cdn.x/invoice.pdf"}})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto d = dataOf(*r);
  EXPECT_EQ(d->getValue<std::string>("messageId"), "sent_1");
  EXPECT_EQ(d->getValue<std::string>("recipientId"), kUser);
  EXPECT_EQ(idsOf(d), (std::vector<std::string>{"sent_1", "sent_2"}));
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].message.text, "Your invoice");
  EXPECT_FALSE(calls[0].message.attachment);
  EXPECT_EQ(calls[1].message.text, "");
  ASSERT_TRUE(calls[1].message.attachment);
  EXPECT_EQ(calls[1].message.attachment->url, "https://cdn.x/invoice.pdf");
  auto msgs = h.byDirection("outbound");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].text, "Your invoice");
  EXPECT_EQ(msgs[0].attachmentsJson, "[]");
  EXPECT_EQ(msgs[0].mid, "sent_1");
  EXPECT_EQ(msgs[1].text, "");
  EXPECT_EQ(msgs[1].attachmentsJson,
            R"([{"type":"file","payload":{"url":"https://cdn.x/invoice.pdf"}}])");
  EXPECT_EQ(msgs[1].mid, "sent_2");
  EXPECT_NE(msgs[0].localId, msgs[1].localId);
  EXPECT_EQ(msgs[0].chatId, msgs[1].chatId);
}

TEST_F(ChannelRoutesTest, ATextWithAnAttachmentTakesTwoSlotsOfTheAccountsRate) {
  describeWindows(h.channel);
  h.channel.description.sendRatePerSecond = 2;
  h.connect();
  ASSERT_TRUE(
      call(Method::kPost, "send",
           R"({"to":"55","message":"a","attachment":{"type":"image","url":"https://x.io/a"}})")
          .isOk());
  EXPECT_EQ(call(Method::kPost, "send", R"({"to":"55","message":"b"})").status().code(),
            ErrorCode::kRateLimited);
  EXPECT_EQ(h.channel.sendCalls().size(), 2u);
}

TEST_F(ChannelRoutesTest, AFailedAttachmentAfterItsTextSaysWhatFailed) {
  describeWindows(h.channel);
  h.connect();
  h.channel.sends.then(sdk::SendResult::sent("sent_text", kUser));
  h.channel.sends.then(sdk::SendResult::failed(Kind::kPermanent, "media too large"));
  auto r =
      call(Method::kPost, "send",
           R"({"to":"55","message":"a","attachment":{"type":"video","url":"https://x.io/v"}})");
  EXPECT_EQ(r.status().code(), ErrorCode::kApiError);
  EXPECT_NE(r.status().message().find("could not send the attachment"), std::string::npos)
      << r.status().message();
  auto msgs = h.byDirection("outbound");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].status, MessageStatus::kSent);
  EXPECT_EQ(msgs[1].status, MessageStatus::kFailed);
  EXPECT_EQ(msgs[1].error, "media too large");
}

TEST_F(ChannelRoutesTest, AChannelWithoutMediaRefusesAnAttachmentBeforeSending) {
  h.connect();
  auto r = call(Method::kPost, "send",
                R"({"to":"55","attachment":{"type":"image","url":"https://x.io/a"}})");
  EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
  EXPECT_NE(r.status().message().find("cannot send attachments"), std::string::npos);
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_TRUE(h.chats.allMessages().empty());
}

TEST_F(ChannelRoutesTest, ATagGoesToTheChannelAndIntoTheStoredMeta) {
  describeWindows(h.channel);
  h.connect();
  auto r = call(Method::kPost, "send",
                R"({"to":"user-1","message":"Sorry for the wait","tag":"HUMAN_AGENT",)"
                R"("attachment":{"type":"image","url":"https://x.io/a"}})");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].message.tag, "HUMAN_AGENT");
  EXPECT_EQ(calls[1].message.tag, "HUMAN_AGENT");
  auto msgs = h.byDirection("outbound");
  ASSERT_EQ(msgs.size(), 2u);
  for (const auto& m : msgs) {
    auto meta = json::parseObject(m.metaJson);
    ASSERT_TRUE(meta) << m.metaJson;
    EXPECT_EQ(meta->getValue<std::string>("tag"), "HUMAN_AGENT");
  }
  EXPECT_EQ(
      call(Method::kPost, "send", R"({"to":"55","message":"x","tag":"OTHER"})").status().code(),
      ErrorCode::kValidation);
}

TEST_F(ChannelRoutesTest, AnUntaggedSendAfterTheReplyWindowIsRefusedAndNothingIsSent) {
  describeWindows(h.channel);
  h.connect();
  userWroteAt(h, h.now - 25 * kHour);
  auto r = call(Method::kPost, "send", R"({"to":"user-1","message":"Still there?"})");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kOutsideWindow);
  EXPECT_STREQ(sdk::errorCodeName(r.status().code()), "OUTSIDE_WINDOW");
  const std::string why = r.status().message();
  EXPECT_EQ(why.rfind("Not sent: the 24-hour reply window", 0), 0u) << why;
  EXPECT_NE(why.find("\"tag\": \"HUMAN_AGENT\""), std::string::npos) << why;
  EXPECT_NE(why.find(host::utcTime(h.now - 25 * kHour + 7 * kDay)), std::string::npos) << why;
  EXPECT_TRUE(h.channel.sendCalls().empty());
  EXPECT_TRUE(h.byDirection("outbound").empty());
}

TEST_F(ChannelRoutesTest, ATaggedSendAfterTheReplyWindowGoesUntilTheTaggedWindowCloses) {
  describeWindows(h.channel);
  h.connect();
  userWroteAt(h, h.now - 25 * kHour);
  ASSERT_TRUE(
      call(Method::kPost, "send", R"({"to":"user-1","message":"Hi","tag":"HUMAN_AGENT"})").isOk());
  h.now += 7 * kDay;
  auto late = call(Method::kPost, "send", R"({"to":"user-1","message":"Hi","tag":"HUMAN_AGENT"})");
  EXPECT_EQ(late.status().code(), ErrorCode::kOutsideWindow);
  EXPECT_NE(late.status().message().find("the user must write first"), std::string::npos);
  EXPECT_EQ(h.channel.sendCalls().size(), 1u);
}

TEST_F(ChannelRoutesTest, WindowsCountFromTheUsersLastMessageOnly) {
  describeWindows(h.channel);
  h.connect();
  userWroteAt(h, h.now - 23 * kHour);
  // The account's own later message does not reopen or move the window.
  ASSERT_TRUE(call(Method::kPost, "send", R"({"to":"user-1","message":"a"})").isOk());
  h.now += 2 * kHour;
  EXPECT_EQ(call(Method::kPost, "send", R"({"to":"user-1","message":"b"})").status().code(),
            ErrorCode::kOutsideWindow);
  userWroteAt(h, h.now - 1000);
  EXPECT_TRUE(call(Method::kPost, "send", R"({"to":"user-1","message":"c"})").isOk());
  // A user who never wrote is left to the platform.
  EXPECT_TRUE(call(Method::kPost, "send", R"({"to":"someone-new","message":"d"})").isOk());
}

TEST_F(ChannelRoutesTest, AChannelWithoutTagsTellsThatTheUserMustWriteFirst) {
  h.channel.description.replyWindowMs = kDay;
  h.connect();
  userWroteAt(h, h.now - 2 * kDay);
  auto r = call(Method::kPost, "send", R"({"to":"user-1","message":"a"})");
  EXPECT_EQ(r.status().code(), ErrorCode::kOutsideWindow);
  EXPECT_NE(r.status().message().find("the user must write first"), std::string::npos);
  EXPECT_EQ(r.status().message().find("HUMAN_AGENT"), std::string::npos);
}

TEST_F(ChannelRoutesTest, TheChannelsOwnWindowRefusalFailsTheMessage) {
  describeWindows(h.channel);
  h.connect();
  h.channel.sends.then(sdk::SendResult::failed(Kind::kOutsideWindow,
                                               "Graph error 10/2534022: outside of allowed window",
                                               R"({"graphError":{"code":10,"subcode":2534022}})"));
  auto r = call(Method::kPost, "send", R"({"to":"user-1","message":"a"})");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::kOutsideWindow);
  EXPECT_NE(r.status().message().find("outside of allowed window"), std::string::npos);
  EXPECT_EQ(r.status().metaJson(), R"({"graphError":{"code":10,"subcode":2534022}})");
  auto msgs = h.byDirection("outbound");
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].status, MessageStatus::kFailed);
  EXPECT_EQ(msgs[0].error, "Graph error 10/2534022: outside of allowed window");
  EXPECT_EQ(h.channel.sendCalls().size(), 1u) << "not retried";
  EXPECT_TRUE(stored()->active);
}
