// POST <channel>/connect: the channel verifies the account, the host stores it and answers.
#include "channel_routes_fixture.h"

using namespace chathost;
using namespace chathost::testing;
using sdk::ErrorCode;
using sdk::Method;

TEST_F(ChannelRoutesTest, ConnectStoresWhatTheChannelVerified) {
  scriptConnect();
  h.now += 42;
  auto r = call(Method::kPost, "connect", connectBody());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  auto calls = h.channel.connectCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].agent.id, "agent1");
  EXPECT_EQ(calls[0].agent.subaccountId, "sub1");
  EXPECT_EQ(calls[0].body, connectBody());

  auto c = stored();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->subaccountId, "sub1");
  EXPECT_EQ(c->agentId, "agent1");
  EXPECT_EQ(c->channel, kChannel);
  EXPECT_EQ(c->accountId, kAccount);
  EXPECT_EQ(c->username, "shop");
  EXPECT_EQ(c->secrets.at("token"), kToken);
  EXPECT_EQ(c->connectedAt, h.now);
  EXPECT_EQ(c->updatedAt, h.now);
  EXPECT_TRUE(c->connected);
  EXPECT_TRUE(c->active);
  EXPECT_FALSE(h.log.mentions(kToken));
}

TEST_F(ChannelRoutesTest, ConnectAnswersTheChannelsDataWithAlreadyConnectedLast) {
  scriptConnect();
  auto r = call(Method::kPost, "connect", connectBody());
  ASSERT_TRUE(r.isOk());
  EXPECT_NE(r->body.find("\"message\":\"FakeChat connected. Say hello!\""), std::string::npos);
  auto d = dataOf(*r);
  ASSERT_TRUE(d) << r->body;
  EXPECT_EQ(json::names(d), (std::vector<std::string>{"qrCode", "username", "alreadyConnected"}));
  EXPECT_EQ(d->getValue<std::string>("qrCode"), "https://x/shop");
  EXPECT_FALSE(d->getValue<bool>("alreadyConnected"));

  auto again = call(Method::kPost, "connect", connectBody());
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(dataOf(*again)->getValue<bool>("alreadyConnected"));
}

TEST_F(ChannelRoutesTest, ConnectReplacesAnAlreadyConnectedTheChannelSet) {
  scriptConnect(R"({"alreadyConnected":true,"a":{"b":[1,2]},"c":"d"})");
  auto r = call(Method::kPost, "connect", connectBody());
  ASSERT_TRUE(r.isOk());
  auto d = dataOf(*r);
  ASSERT_TRUE(d) << r->body;
  EXPECT_EQ(json::names(d), (std::vector<std::string>{"a", "c", "alreadyConnected"}));
  EXPECT_FALSE(d->getValue<bool>("alreadyConnected"));
  EXPECT_EQ(json::toText(d->get("a")), R"({"b":[1,2]})");
}

TEST_F(ChannelRoutesTest, ConnectDataHoldingOnlyAlreadyConnectedStaysValid) {
  scriptConnect(R"({"alreadyConnected":true})");
  auto r = call(Method::kPost, "connect", connectBody());
  ASSERT_TRUE(r.isOk());
  auto d = dataOf(*r);
  ASSERT_TRUE(d) << r->body;
  EXPECT_EQ(json::names(d), std::vector<std::string>{"alreadyConnected"});
  EXPECT_FALSE(d->getValue<bool>("alreadyConnected"));
}

TEST_F(ChannelRoutesTest, ConnectDataThatIsNotAnObjectLeavesOnlyAlreadyConnected) {
  for (const char* data : {"{}", "[1,2]", "not json", "", "\"text\""}) {
    SCOPED_TRACE(data);
    scriptConnect(data);
    auto r = call(Method::kPost, "connect", connectBody());
    ASSERT_TRUE(r.isOk());
    auto d = dataOf(*r);
    ASSERT_TRUE(d) << r->body;
    EXPECT_EQ(json::names(d), std::vector<std::string>{"alreadyConnected"});
  }
}

TEST_F(ChannelRoutesTest, ConnectRefusesABodyThatIsNotAJsonObject) {
  for (const char* body : {"not json", "", "[1]", "\"token\""})
    EXPECT_EQ(call(Method::kPost, "connect", body).status().code(), ErrorCode::kValidation) << body;
  EXPECT_TRUE(h.channel.connectCalls().empty());
}

TEST_F(ChannelRoutesTest, ConnectPassesTheChannelsRefusalOnAndStoresNothing) {
  h.channel.connects.then(sdk::Status(ErrorCode::kAuthFailed, "bad token", R"({"fbtraceId":"F"})"));
  auto r = call(Method::kPost, "connect", connectBody());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(r.status().message(), "bad token");
  EXPECT_EQ(r.status().metaJson(), R"({"fbtraceId":"F"})");
  h.channel.connects.then(sdk::Status::validation("token is required"));
  EXPECT_EQ(call(Method::kPost, "connect", "{}").status().message(), "token is required");
  EXPECT_FALSE(stored().has_value());
}

TEST_F(ChannelRoutesTest, ConnectWithoutAnAccountIdIsAnInternalError) {
  h.channel.connects.then(sdk::ConnectResult{});
  EXPECT_EQ(call(Method::kPost, "connect", connectBody()).status().code(), ErrorCode::kInternal);
  EXPECT_FALSE(stored().has_value());
}

TEST_F(ChannelRoutesTest, AChannelThatThrowsWhileConnectingGivesAnInternalError) {
  h.channel.connects.thenDo(
      []() -> sdk::Result<sdk::ConnectResult> { throw std::runtime_error("bad state"); });
  auto r = call(Method::kPost, "connect", connectBody());
  EXPECT_EQ(r.status().code(), ErrorCode::kInternal);
  EXPECT_NE(r.status().message().find("bad state"), std::string::npos);
}

TEST_F(ChannelRoutesTest, ConnectRefusesAnAccountInUseByAnotherAgent) {
  auto other = h.connection();
  other.agentId = "agent2";
  other.subaccountId = "sub2";
  h.connections.put(other);
  scriptConnect();
  auto r = call(Method::kPost, "connect", connectBody());
  EXPECT_EQ(r.status().code(), ErrorCode::kAccountInUse);
  EXPECT_EQ(r.status().message().find("sub2"), std::string::npos);
  EXPECT_FALSE(stored().has_value());
}

TEST_F(ChannelRoutesTest, ConnectMakesTheWebhookPathSeeTheNewConnection) {
  ASSERT_FALSE(h.cache.byAgent("sub1", "agent1", kChannel)->has_value());  // cached: none
  scriptConnect();
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  auto seen = h.cache.byAgent("sub1", "agent1", kChannel);
  ASSERT_TRUE(seen->has_value());
  EXPECT_TRUE((*seen)->connected);
  // The channel-wide URL finds the agent by the account id the channel chose.
  auto routed = h.cache.byAccount(kChannel, kAccount);
  ASSERT_TRUE(routed.isOk() && routed->has_value());
  EXPECT_EQ((*routed)->agentId, "agent1");
}

TEST_F(ChannelRoutesTest, ConnectingAnotherAccountLetsTheChannelUndoThePreviousOne) {
  scriptConnect();
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  scriptConnect();  // the same account again: nothing to undo
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  EXPECT_TRUE(h.channel.disconnectCalls().empty());

  sdk::ConnectResult other;
  other.connection.accountId = "another-account";
  other.connection.username = "other";
  other.connection.secrets = {{"token", "other-token"}};
  h.channel.connects.then(other);
  h.channel.disconnects.then(sdk::Status::internal("unsubscribe failed"));
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  auto undone = h.channel.disconnectCalls();
  ASSERT_EQ(undone.size(), 1u);
  EXPECT_EQ(undone[0].accountId, kAccount);
  EXPECT_EQ(undone[0].secrets.at("token"), kToken);  // the old account's own credentials
  EXPECT_EQ(stored()->accountId, "another-account");
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "could not undo the previous connection"));
}

TEST_F(ChannelRoutesTest, ConnectingAnotherAccountKeepsThePreviousPageWhileItIsStillUsed) {
  auto previous = h.connection();
  previous.pageId = "page-1";
  h.connections.put(previous);
  auto sharer = previous;  // another channel's connection on the same Page
  sharer.channel = "otherchat";
  sharer.subaccountId = "sub2";
  h.connections.put(sharer);
  sdk::ConnectResult moved;
  moved.connection.accountId = "acct-2";
  moved.connection.pageId = "page-2";
  h.channel.connects.then(moved);
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  EXPECT_TRUE(h.channel.disconnectCalls().empty());
  EXPECT_EQ(stored()->accountId, "acct-2");
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kInfo, "kept the Page's webhook subscription"));
}

TEST_F(ChannelRoutesTest, ConnectingAnotherAccountOnTheSamePageKeepsItsSubscription) {
  auto previous = h.connection();
  previous.pageId = "page-1";
  h.connections.put(previous);
  sdk::ConnectResult samePage;
  samePage.connection.accountId = "acct-2";
  samePage.connection.pageId = "page-1";
  h.channel.connects.then(samePage);
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  EXPECT_TRUE(h.channel.disconnectCalls().empty());

  sdk::ConnectResult otherPage;  // its own Page again: the old one is free to go
  otherPage.connection.accountId = "acct-3";
  otherPage.connection.pageId = "page-3";
  h.channel.connects.then(otherPage);
  ASSERT_TRUE(call(Method::kPost, "connect", connectBody()).isOk());
  ASSERT_EQ(h.channel.disconnectCalls().size(), 1u);
  EXPECT_EQ(h.channel.disconnectCalls()[0].pageId, "page-1");
}
