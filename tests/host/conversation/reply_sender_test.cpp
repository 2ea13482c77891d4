#include "conversation/reply_sender.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace chathost;
using namespace chathost::testing;
using host::MessageStatus;
using host::ReplySender;
using sdk::ErrorCode;
using Kind = sdk::SendResult::Kind;

namespace {

struct ReplySenderTest : ::testing::Test {
  Harness h;
  std::unique_ptr<ReplySender> sender;

  ReplySender& start() {
    if (!sender) sender = std::make_unique<ReplySender>(h.registered(), h.services);
    return *sender;
  }
  // A pending outbound message, as the engine and the send route store it before sending.
  std::string pending(const std::string& localId) {
    auto chat = h.chats.ensureChat({"sub1", "agent1", kChannel, kUser}, h.now);
    host::Message m;
    m.localId = localId;
    m.chatId = chat->chatId;
    m.direction = "outbound";
    m.text = "hello";
    m.status = MessageStatus::kPending;
    EXPECT_TRUE(h.chats.addMessage(m).isOk());
    return localId;
  }
  host::Message stored(const std::string& localId) { return **h.chats.findByLocalId(localId); }
  sdk::SendResult send(const std::string& localId) {
    return start().sendStored(h.connection(), localId, {kUser, "hello"});
  }
  sdk::Connection current() { return **h.connections.get("sub1", "agent1", kChannel); }
  int linesWith(const std::string& text) {
    int n = 0;
    for (const auto& l : h.log.lines()) n += l.message.find(text) != std::string::npos;
    return n;
  }
};

}  // namespace

TEST_F(ReplySenderTest, ASentMessageIsMarkedWithThePlatformsId) {
  h.connect();
  h.now += 5000;
  auto r = send(pending("p1"));
  EXPECT_EQ(r.kind, Kind::kSent);
  auto m = stored("p1");
  EXPECT_EQ(m.status, MessageStatus::kSent);
  EXPECT_EQ(m.mid, "sent_1");
  EXPECT_EQ(m.timestamp, h.now);
  auto calls = h.channel.sendCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message.recipientId, kUser);
  EXPECT_EQ(calls[0].message.text, "hello");
  EXPECT_EQ(calls[0].connection.secrets.at("token"), kToken);
}

TEST_F(ReplySenderTest, RefusedCredentialsFailTheMessageAndDeactivateTheConnection) {
  h.connect();
  h.channel.sends.then(sdk::SendResult::failed(Kind::kReauth, "token expired"));
  EXPECT_EQ(send(pending("p1")).kind, Kind::kReauth);
  EXPECT_EQ(stored("p1").status, MessageStatus::kFailed);
  EXPECT_EQ(stored("p1").error, "token expired");
  EXPECT_FALSE(current().active);
  EXPECT_EQ(current().inactiveReason, "token expired");
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "marked inactive"));
}

// The user reconnected with new credentials while a send with the old ones was under way: the
// refusal of the old ones must not switch the new connection off.
TEST_F(ReplySenderTest, AConnectionReconnectedWithOtherSecretsStaysActive) {
  h.connect();
  h.channel.sends.thenDo([this] {
    auto fresh = h.connection();
    fresh.secrets["token"] = "a-new-token";
    h.connections.put(fresh);
    return sdk::SendResult::failed(Kind::kReauth, "token expired");
  });
  EXPECT_EQ(send(pending("p1")).kind, Kind::kReauth);
  EXPECT_TRUE(current().active);
  EXPECT_EQ(stored("p1").status, MessageStatus::kFailed);
}

TEST_F(ReplySenderTest, DeactivateLeavesADisconnectedConnectionAlone) {
  h.connect();
  h.connections.disconnect("sub1", "agent1", kChannel);
  start().deactivate(h.connection(), "refused");
  EXPECT_EQ(current().inactiveReason, "");
}

TEST_F(ReplySenderTest, DeactivateInvalidatesTheCachedConnection) {
  Harness cached(60000);
  cached.connect();
  ReplySender s(cached.registered(), cached.services);
  ASSERT_TRUE((*cached.cache.byAgent("sub1", "agent1", kChannel))->active);
  s.deactivate(cached.connection(), "refused");
  EXPECT_FALSE((*cached.cache.byAgent("sub1", "agent1", kChannel))->active);
}

TEST_F(ReplySenderTest, APermanentFailureFailsTheMessageOnly) {
  h.connect();
  h.channel.sends.then(sdk::SendResult::failed(Kind::kPermanent, "Graph error 10/2018278: window"));
  EXPECT_EQ(send(pending("p1")).kind, Kind::kPermanent);
  EXPECT_EQ(stored("p1").status, MessageStatus::kFailed);
  EXPECT_EQ(stored("p1").error, "Graph error 10/2018278: window");
  EXPECT_TRUE(current().active);
}

TEST_F(ReplySenderTest, TransientFailuresLeaveTheMessagePendingForTheCaller) {
  h.connect();
  h.channel.sends.then(sdk::SendResult::failed(Kind::kRetry, "503"));
  EXPECT_EQ(send(pending("p1")).kind, Kind::kRetry);
  EXPECT_EQ(stored("p1").status, MessageStatus::kPending);
  h.channel.sends.then(sdk::SendResult::failed(Kind::kThrottled, "slow down", "{}", 5000));
  auto throttled = send(pending("p2"));
  EXPECT_EQ(throttled.kind, Kind::kThrottled);
  EXPECT_EQ(throttled.retryAfterMs, 5000);
  EXPECT_EQ(stored("p2").status, MessageStatus::kPending);
  EXPECT_TRUE(current().active);
}

TEST_F(ReplySenderTest, AChannelThatThrowsGivesARetryNotAnException) {
  h.connect();
  h.channel.sends.thenDo([]() -> sdk::SendResult { throw std::runtime_error("socket gone"); });
  auto r = send(pending("p1"));
  EXPECT_EQ(r.kind, Kind::kRetry);
  EXPECT_NE(r.error.find("socket gone"), std::string::npos);
  EXPECT_EQ(stored("p1").status, MessageStatus::kPending);
}

TEST_F(ReplySenderTest, FailuresMapToTheApiErrors) {
  const std::string meta = R"({"graphError":{"code":190}})";
  struct Case {
    Kind kind;
    ErrorCode code;
  };
  for (auto [kind, code] :
       {Case{Kind::kReauth, ErrorCode::kAuthFailed},
        Case{Kind::kThrottled, ErrorCode::kRateLimited}, Case{Kind::kRetry, ErrorCode::kApiError},
        Case{Kind::kPermanent, ErrorCode::kApiError}}) {
    auto s =
        start().toStatus(sdk::SendResult::failed(kind, "the reason", meta), "send the message");
    EXPECT_EQ(s.code(), code);
    EXPECT_EQ(s.metaJson(), meta);
    EXPECT_NE(s.message().find("the reason"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("FakeChat"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(start().toStatus(sdk::SendResult::sent("m", "u"), "send").isOk());
}

TEST_F(ReplySenderTest, ErrorsNameTheChannelWhenItHasNoDisplayName) {
  h.channel.description.displayName.clear();
  auto s = start().toStatus(sdk::SendResult::failed(Kind::kPermanent, "x"), "send the message");
  EXPECT_NE(s.message().find("fakechat API error"), std::string::npos) << s.message();
}

TEST_F(ReplySenderTest, SendsAreLimitedPerAccountInEveryOneSecondWindow) {
  h.channel.description.sendRatePerSecond = 2;
  auto& s = start();
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  h.now += 400;
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  EXPECT_EQ(s.tryAcquire("acct-1"), 600);  // until the first send leaves the window
  EXPECT_EQ(s.tryAcquire("acct-2"), 0);
  h.now += 600;
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  EXPECT_EQ(s.tryAcquire("acct-1"), 400);
}

TEST_F(ReplySenderTest, RepliesQueuedTogetherAreDatedOneSpacingApartPerAccount) {
  h.channel.description.sendRatePerSecond = 4;
  auto& s = start();
  const auto t0 = h.now;
  EXPECT_EQ(s.nextSlot("acct-1"), t0);
  EXPECT_EQ(s.nextSlot("acct-1"), t0 + 250);
  EXPECT_EQ(s.nextSlot("acct-2"), t0);  // another account is not behind acct-1's backlog
}

TEST_F(ReplySenderTest, TheWindowSharedByAllHostsDecidesWhenThereIsOne) {
  h.channel.description.sendRatePerSecond = 5;
  std::vector<std::pair<std::string, int>> asked;
  std::int64_t answer = 0;
  h.services.sharedSendWindow = [&](const std::string& key, int limit) {
    asked.push_back({key, limit});
    return sdk::Result<std::int64_t>(answer);
  };
  auto& s = start();
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(s.tryAcquire("acct-1"), 0) << "this host's own window is not used";
  answer = 640;
  EXPECT_EQ(s.tryAcquire("acct-1"), 640);
  ASSERT_EQ(asked.size(), 11u);
  EXPECT_EQ(asked[0].first, "fakechat:acct-1");
  EXPECT_EQ(asked[0].second, 5);
}

TEST_F(ReplySenderTest, AnUnreachableSharedWindowFallsBackToThisHostsOwn) {
  h.channel.description.sendRatePerSecond = 2;
  bool down = true;
  h.services.sharedSendWindow = [&](const std::string&, int) -> sdk::Result<std::int64_t> {
    if (down) return sdk::Status::unavailable("redis: connection refused");
    return std::int64_t{0};
  };
  auto& s = start();
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  EXPECT_EQ(s.tryAcquire("acct-1"), 1000) << "paced by this host's window";
  EXPECT_EQ(linesWith("shared send window unreachable"), 1) << "warned once, not per send";
  down = false;
  EXPECT_EQ(s.tryAcquire("acct-1"), 0);
  EXPECT_EQ(linesWith("reachable again"), 1);
}

TEST_F(ReplySenderTest, ABusySharedWindowMeansASoonRetryNotPacingAlone) {
  h.channel.description.sendRatePerSecond = 2;
  h.services.sharedSendWindow = [&](const std::string&, int) -> sdk::Result<std::int64_t> {
    return sdk::Status(sdk::ErrorCode::kTimeout, "redis: all 8 connections busy");
  };
  auto& s = start();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.tryAcquire("acct-1"), 50);
  EXPECT_EQ(linesWith("unreachable"), 0);
}

TEST_F(ReplySenderTest, ARateOfZeroNeverPaces) {
  auto& s = start();
  for (int i = 0; i < 100; ++i) ASSERT_EQ(s.tryAcquire("acct-1"), 0);
}
