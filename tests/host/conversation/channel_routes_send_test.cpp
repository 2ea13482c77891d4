// POST <channel>/send: validation, pacing, the channel's verdict as the API error, the message.
#include "channel_routes_fixture.h"

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
