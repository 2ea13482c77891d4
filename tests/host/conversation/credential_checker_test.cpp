// The credential check: every active connection is offered to its channel, which refreshes or
// checks what is due; the outcome is stored, and refused credentials switch the connection off.
#include "conversation/credential_checker.h"
#include "dedup/memory_key_value.h"
#include "harness.h"

#include <gtest/gtest.h>

#include <set>

using namespace chathost;
using namespace chathost::testing;
using host::CredentialChecker;
using Outcome = sdk::CredentialCheck::Outcome;

namespace {

constexpr std::int64_t kRoundMs = 3600000;
constexpr std::int64_t kDay = 86400000;

sdk::CredentialCheck outcome(Outcome o, std::int64_t expiresAt = 0, std::string reason = {}) {
  sdk::CredentialCheck c;
  c.outcome = o;
  c.tokenExpiresAt = expiresAt;
  c.reason = std::move(reason);
  return c;
}

struct CredentialCheckerTest : ::testing::Test {
  Harness h{60000};  // the connection cache keeps answers a minute of the test's clock
  std::unique_ptr<host::ReplySender> sender;
  std::unique_ptr<CredentialChecker> checker;

  CredentialChecker& start() {
    if (!checker) {
      sender = std::make_unique<host::ReplySender>(h.registered(), h.services);
      checker = std::make_unique<CredentialChecker>(*sender, h.services);
    }
    return *checker;
  }
  /// The fake channel's connection as stored some time ago, with a token expiring in 30 days.
  sdk::Connection connected(const std::string& agentId = "agent1",
                            const std::string& account = kAccount) {
    sdk::Connection c = h.connection();
    c.agentId = agentId;
    c.accountId = account;
    c.connectedAt = c.updatedAt = c.credentialsCheckedAt = kStart - kDay;
    c.tokenExpiresAt = kStart + 30 * kDay;
    h.connections.put(c);
    return c;
  }
  sdk::Connection current(const std::string& agentId = "agent1") {
    return **h.connections.get("sub1", agentId, kChannel);
  }
  double checks(const std::string& result) const {
    return h.metrics.counterValue("chathost_credential_checks_total",
                                  {{"channel", kChannel}, {"result", result}});
  }
};

void expectSameConnection(const sdk::Connection& a, const sdk::Connection& b) {
  EXPECT_EQ(a.secrets, b.secrets);
  EXPECT_EQ(a.tokenExpiresAt, b.tokenExpiresAt);
  EXPECT_EQ(a.credentialsCheckedAt, b.credentialsCheckedAt);
  EXPECT_EQ(a.updatedAt, b.updatedAt);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.connected, b.connected);
  EXPECT_EQ(a.inactiveReason, b.inactiveReason);
}

}  // namespace

TEST_F(CredentialCheckerTest, NothingDueChangesNothing) {
  const auto before = connected();
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.offered, 1);
  EXPECT_EQ(round.checked + round.refreshed + round.invalid + round.failed, 0);
  expectSameConnection(current(), before);
  auto calls = h.channel.refreshCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].nowMs, h.now);
  EXPECT_EQ(calls[0].connection.secrets.at("token"), kToken) << "offered with its secrets";
  EXPECT_EQ(calls[0].connection.tokenExpiresAt, before.tokenExpiresAt);
  EXPECT_EQ(calls[0].connection.credentialsCheckedAt, before.credentialsCheckedAt);
  EXPECT_EQ(checks("offered"), 1);
}

TEST_F(CredentialCheckerTest, ACheckMovesTheCheckTimeOnly) {
  const auto before = connected();
  h.channel.refreshes.then(outcome(Outcome::kChecked));
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.checked, 1);
  auto after = current();
  EXPECT_EQ(after.credentialsCheckedAt, h.now);
  EXPECT_EQ(after.secrets, before.secrets);
  EXPECT_EQ(after.tokenExpiresAt, before.tokenExpiresAt);
  EXPECT_TRUE(after.active);
  EXPECT_EQ(checks("checked"), 1);
}

TEST_F(CredentialCheckerTest, ACheckThatLearnsTheExpiryStoresIt) {
  const auto before = connected();
  h.channel.refreshes.then(outcome(Outcome::kChecked, kStart + 50 * kDay));
  EXPECT_EQ(start().runOnce(kRoundMs).checked, 1);
  auto after = current();
  EXPECT_EQ(after.tokenExpiresAt, kStart + 50 * kDay);
  EXPECT_EQ(after.secrets, before.secrets) << "the same credentials";
  EXPECT_EQ(after.credentialsCheckedAt, h.now);
}

TEST_F(CredentialCheckerTest, ARefreshStoresTheNewSecretsAndExpiry) {
  connected();
  ASSERT_EQ((*h.cache.byAgent("sub1", "agent1", kChannel))->secrets.at("token"), kToken);
  auto refreshed = outcome(Outcome::kRefreshed, kStart + 60 * kDay);
  refreshed.secrets = {{"token", "fresh-token"}, {"verifyToken", "verify-me"}};
  h.channel.refreshes.then(refreshed);
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.refreshed, 1);
  auto after = current();
  EXPECT_EQ(after.secrets, refreshed.secrets);
  EXPECT_EQ(after.tokenExpiresAt, kStart + 60 * kDay);
  EXPECT_EQ(after.credentialsCheckedAt, h.now);
  EXPECT_TRUE(after.active);
  EXPECT_EQ((*h.cache.byAgent("sub1", "agent1", kChannel))->secrets.at("token"), "fresh-token")
      << "the connection cache sees the new token";
  EXPECT_EQ((*h.cache.byAccount(kChannel, kAccount))->secrets.at("token"), "fresh-token");
  EXPECT_EQ(checks("refreshed"), 1);
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kInfo, "access token refreshed"));
  for (const auto& line : h.log.lines())
    EXPECT_EQ(line.message.find("fresh-token"), std::string::npos) << line.message;
}

TEST_F(CredentialCheckerTest, RefusedCredentialsMarkTheConnectionInactiveWithTheReason) {
  connected();
  h.channel.refreshes.then(outcome(Outcome::kInvalid, 0, "the token was revoked by the user"));
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.invalid, 1);
  auto after = current();
  EXPECT_FALSE(after.active);
  EXPECT_TRUE(after.connected);
  EXPECT_EQ(after.inactiveReason, "the token was revoked by the user");
  EXPECT_EQ(checks("invalid"), 1);
  EXPECT_FALSE((*h.cache.byAgent("sub1", "agent1", kChannel))->active);
  // An inactive connection is not offered again.
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 0);
}

TEST_F(CredentialCheckerTest, ARefusalWithoutAReasonStillSaysWhy) {
  connected();
  h.channel.refreshes.then(outcome(Outcome::kInvalid));
  start().runOnce(kRoundMs);
  EXPECT_EQ(current().inactiveReason, "the platform refused the credentials");
}

TEST_F(CredentialCheckerTest, ACheckThatCouldNotBeMadeLeavesTheConnectionActive) {
  const auto before = connected();
  h.channel.refreshes.then(outcome(Outcome::kFailed, 0, "HTTP 503 from the platform"));
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.failed, 1);
  expectSameConnection(current(), before);
  EXPECT_EQ(checks("failed"), 1);
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "credential check failed"));
}

TEST_F(CredentialCheckerTest, AChannelThatThrowsCountsAsAFailedCheck) {
  const auto before = connected();
  h.channel.refreshes.thenDo([]() -> sdk::CredentialCheck { throw std::runtime_error("boom"); });
  EXPECT_EQ(start().runOnce(kRoundMs).failed, 1);
  expectSameConnection(current(), before);
}

TEST_F(CredentialCheckerTest, AConnectionReconnectedMeanwhileIsNotOverwritten) {
  connected();
  sdk::Connection reconnected = h.connection();
  reconnected.secrets = {{"token", "token-from-the-new-connect"}};
  reconnected.connectedAt = reconnected.updatedAt = reconnected.credentialsCheckedAt = kStart;
  reconnected.tokenExpiresAt = kStart + 59 * kDay;
  h.channel.refreshes.thenDo([&] {
    h.connections.put(reconnected);  // the user connected again while the platform answered
    auto refreshed = outcome(Outcome::kRefreshed, kStart + 60 * kDay);
    refreshed.secrets = {{"token", "refreshed-old-token"}};
    return refreshed;
  });
  auto round = start().runOnce(kRoundMs);
  expectSameConnection(current(), reconnected);
  // Nothing was refreshed: neither counted nor logged as if it had been.
  EXPECT_EQ(round.offered, 1);
  EXPECT_EQ(round.refreshed, 0);
  EXPECT_EQ(checks("refreshed"), 0);
  EXPECT_FALSE(h.log.contains(sdk::LogLevel::kInfo, "access token refreshed"));
}

TEST_F(CredentialCheckerTest, ACheckOfAConnectionDisconnectedMeanwhileStoresNothing) {
  connected();
  h.channel.refreshes.thenDo([&] {
    h.connections.disconnect("sub1", "agent1", kChannel);
    return outcome(Outcome::kChecked);
  });
  EXPECT_EQ(start().runOnce(kRoundMs).checked, 0);
  EXPECT_FALSE(current().connected);
  EXPECT_TRUE(current().secrets.empty());
}

TEST_F(CredentialCheckerTest, ARefusalOfOldCredentialsLeavesAReconnectedAccountActive) {
  connected();
  h.channel.refreshes.thenDo([&] {
    auto fresh = h.connection();
    fresh.secrets = {{"token", "token-from-the-new-connect"}};
    fresh.updatedAt = kStart;
    h.connections.put(fresh);
    return outcome(Outcome::kInvalid, 0, "revoked");
  });
  start().runOnce(kRoundMs);
  EXPECT_TRUE(current().active);
  EXPECT_EQ(current().secrets.at("token"), "token-from-the-new-connect");
}

TEST_F(CredentialCheckerTest, OnlyActiveConnectionsOfTheChannelAreOffered) {
  connected("agent1", "acct-1");
  connected("agent2", "acct-2");
  auto inactive = connected("agent3", "acct-3");
  h.connections.setActive("sub1", "agent3", kChannel, false, "revoked");
  connected("agent4", "acct-4");
  h.connections.disconnect("sub1", "agent4", kChannel);
  auto elsewhere = h.connection();
  elsewhere.agentId = "agent5";
  elsewhere.channel = "otherchat";
  h.connections.put(elsewhere);
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.offered, 2);
  std::set<std::string> agents;
  for (const auto& call : h.channel.refreshCalls()) agents.insert(call.connection.agentId);
  EXPECT_EQ(agents, (std::set<std::string>{"agent1", "agent2"}));
}

TEST_F(CredentialCheckerTest, EachConnectionIsOfferedOncePerRound) {
  connected("agent1", "acct-1");
  connected("agent2", "acct-2");
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 2);
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 0) << "this round's claims still hold";
  h.kv.expire("credential-check:fakechat:sub1:agent1");
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 1);
}

TEST_F(CredentialCheckerTest, HostsSharingAStoreOfferEachConnectionOncePerRound) {
  std::int64_t kvNow = 0;
  host::MemoryKeyValue shared({100, 1, [&] { return kvNow; }});
  const host::ConversationServices& s = h.services;
  host::ConversationServices hostA{
      s.logger, s.chats,  s.connections, s.inbox, s.outbox, s.confirmSendClaim,
      shared,   s.agents, s.metrics,     s.cache, s.clock};
  host::ConversationServices hostB = hostA;
  host::ReplySender senderA(h.registered(), hostA);
  host::ReplySender senderB(h.registered(), hostB);
  CredentialChecker a(senderA, hostA);
  CredentialChecker b(senderB, hostB);
  for (int i = 1; i <= 3; ++i) connected("agent" + std::to_string(i), "acct-" + std::to_string(i));

  EXPECT_EQ(a.runOnce(kRoundMs).offered, 3);
  EXPECT_EQ(b.runOnce(kRoundMs).offered, 0);
  EXPECT_EQ(h.channel.refreshCalls().size(), 3u);
  // The claims last half a round: the next round finds them gone, whoever runs first.
  kvNow += kRoundMs / 2 + 1;
  EXPECT_EQ(b.runOnce(kRoundMs).offered, 3);
  EXPECT_EQ(a.runOnce(kRoundMs).offered, 0);
  EXPECT_EQ(h.channel.refreshCalls().size(), 6u);
}

TEST_F(CredentialCheckerTest, WithoutTheSharedStoreEveryHostOffersEachConnection) {
  connected();
  h.kv.unavailable = true;
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 1);
  EXPECT_EQ(start().runOnce(kRoundMs).offered, 1);
}

TEST_F(CredentialCheckerTest, ConnectionsThatCannotBeListedAreLoggedAndTheRoundIsEmpty) {
  connected();
  h.connections.failWith = sdk::Status::unavailable("db down");
  auto round = start().runOnce(kRoundMs);
  EXPECT_EQ(round.offered, 0);
  EXPECT_TRUE(h.channel.refreshCalls().empty());
  EXPECT_TRUE(h.log.contains(sdk::LogLevel::kWarning, "could not list connections"));
}
