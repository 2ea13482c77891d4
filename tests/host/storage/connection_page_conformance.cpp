// Whether a Page is still used by another connection, on every backend: Messenger and Instagram
// (Facebook Login) share a Page's webhook subscription, so a disconnect ends it only for the
// Page's last connection.
#include "storage_conformance.h"

#include <optional>

#include "secrets/secret_cipher.h"

namespace chathost::host::testing {
namespace {

class ConnectionPages : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto options =
        GetParam().options(::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto cipher = SecretCipher::fromKey(std::string(32, 'p'));
    ASSERT_TRUE(cipher.isOk());
    cipher_.emplace(std::move(cipher.value()));
    auto s = openStorage(options, *cipher_);
    ASSERT_TRUE(s.isOk()) << "openStorage: " << s.status().message();
    storage_ = std::move(s.value());
  }

  void connect(const std::string& sub, const std::string& agentId, const std::string& channel,
               const std::string& accountId, const std::string& pageId) {
    sdk::Connection c;
    c.subaccountId = sub;
    c.agentId = agentId;
    c.channel = channel;
    c.accountId = accountId;
    c.pageId = pageId;
    c.secrets = {{"accessToken", "TOKEN-" + agentId}};
    auto r = storage_->connections().connect(c);
    ASSERT_TRUE(r.isOk()) << r.status().message();
  }

  bool usedByAnother(const std::string& pageId, const std::string& sub, const std::string& agentId,
                     const std::string& channel) {
    auto r = storage_->connections().pageUsedByAnother(pageId, sub, agentId, channel);
    EXPECT_TRUE(r.isOk()) << r.status().message();
    return r.isOk() && *r;
  }

  std::optional<SecretCipher> cipher_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(ConnectionPages, APageIsUsedByAnotherWhenAnyOtherConnectedConnectionHasIt) {
  connect("acme", "social", "instagram", "17841400000000501", "100200501");
  EXPECT_FALSE(usedByAnother("100200501", "acme", "social", "instagram"));  // only itself

  // Another tenant's agent holds the same Page on Messenger.
  connect("globex", "inbox", "messenger", "100200501", "100200501");
  EXPECT_TRUE(usedByAnother("100200501", "acme", "social", "instagram"));
  EXPECT_TRUE(usedByAnother("100200501", "globex", "inbox", "messenger"));
  EXPECT_FALSE(usedByAnother("300400500", "acme", "social", "instagram"));  // another Page

  // Only connected connections count.
  ASSERT_TRUE(storage_->connections().disconnect("globex", "inbox", "messenger").isOk());
  EXPECT_FALSE(usedByAnother("100200501", "acme", "social", "instagram"));
  EXPECT_TRUE(usedByAnother("100200501", "globex", "inbox", "messenger"));
}

TEST_P(ConnectionPages, EachPartOfTheConnectionsKeyMakesItAnother) {
  connect("acme", "social", "instagram", "17841400000000501", "100200501");
  // The same agent id and channel in another subaccount, and the same agent on another channel.
  EXPECT_TRUE(usedByAnother("100200501", "globex", "social", "instagram"));
  EXPECT_TRUE(usedByAnother("100200501", "acme", "social", "messenger"));
  EXPECT_TRUE(usedByAnother("100200501", "acme", "other", "instagram"));
}

TEST_P(ConnectionPages, AnEmptyPageIdIsNeverShared) {
  connect("acme", "a1", "instagram", "1784140000000001", "");
  connect("acme", "a2", "instagram", "1784140000000002", "");
  EXPECT_FALSE(usedByAnother("", "acme", "a1", "instagram"));
}

INSTANTIATE_TEST_SUITE_P(Backend, ConnectionPages, ::testing::Values(conformanceBackend()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace chathost::host::testing
